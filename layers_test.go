package assessor

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// allowed lists, for each package of the module, the packages of the module it
// may import. A package missing here is an error too: add it with its place in
// the layers.
var allowed = map[string][]string{
	"assessor":                     nil,
	"assessor/config":              nil,
	"assessor/internal/atomicfile": nil,
	"assessor/internal/golden":     nil, // imported by tests only
	"assessor/internal/manifest":   {"assessor/internal/atomicfile"},
	"assessor/internal/numfmt":     nil,
	"assessor/internal/xlsxout":    {"assessor/internal/atomicfile"},
	"assessor/internal/xlsxin":     nil,
	"assessor/dataset":             {"assessor/config"},
	"assessor/ingest":              {"assessor/config", "assessor/dataset", "assessor/internal/xlsxin"},
	"assessor/assess":              {"assessor/config", "assessor/dataset", "assessor/internal/numfmt"},
	"assessor/history":             {"assessor/dataset", "assessor/internal/atomicfile"},
	"assessor/report": {"assessor/assess", "assessor/config", "assessor/dataset", "assessor/internal/atomicfile",
		"assessor/internal/numfmt", "assessor/internal/xlsxout"},
	"assessor/samples": {"assessor/internal/xlsxout"},
	"assessor/forms":   {"assessor/config", "assessor/internal/xlsxout"},
	"assessor/internal/job": {"assessor/assess", "assessor/config", "assessor/dataset", "assessor/history", "assessor/ingest",
		"assessor/internal/atomicfile", "assessor/internal/manifest", "assessor/report"},
	"assessor/internal/cli": {"assessor/assess", "assessor/config", "assessor/dataset", "assessor/forms", "assessor/internal/job",
		"assessor/internal/manifest", "assessor/report", "assessor/samples"},
	"assessor/cmd/assessor": {"assessor/internal/cli"},
}

// TestLayers checks the module's import graph against the layers above
// (non-test imports only).
func TestLayers(t *testing.T) {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goBin, "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		may, known := allowed[pkg]
		if !known {
			t.Errorf("%s is not placed in the layers (layers_test.go)", pkg)
			continue
		}
		for _, imp := range imports {
			if (imp == "assessor" || strings.HasPrefix(imp, "assessor/")) && !slices.Contains(may, imp) {
				t.Errorf("%s imports %s, which its layer does not allow", pkg, imp)
			}
		}
	}
}
