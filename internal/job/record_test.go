package job

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"assessor/internal/manifest"
)

// recordedRun runs the sample year as the first year with the options given
// by change, and returns the summary, the log and the error.
func recordedRun(t *testing.T, out, state string, change func(*Options)) (*Summary, string, error) {
	t.Helper()
	cfg := testConfig(t)
	cfg.Run.FirstYear = sampleYear
	var log bytes.Buffer
	o := Options{Config: cfg, Year: sampleYear, In: samplesDir, Out: out, State: state, Version: "test",
		Log: zerolog.New(zerolog.SyncWriter(&log)), RunID: "r" + filepath.Base(t.TempDir()),
		ExitStatus: func(s *Summary, err error) int {
			if err != nil {
				return 9
			}
			return s.Errors
		}}
	if change != nil {
		change(&o)
	}
	s, err := Run(context.Background(), o)
	return s, log.String(), err
}

// files hashes every file under the folders, by path.
func files(t *testing.T, dirs ...string) map[string][32]byte {
	t.Helper()
	sums := map[string][32]byte{}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && path == dir {
				return nil
			}
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			sums[path] = sha256.Sum256(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return sums
}

// withoutRun is a manifest without its per-run part, as JSON.
func withoutRun(t *testing.T, path string) string {
	t.Helper()
	m, err := manifest.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	m.Run = manifest.Run{}
	b, err := manifest.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRerunReproducesOutputsAndSaysSo(t *testing.T) {
	out, state := t.TempDir(), t.TempDir()
	s, log, err := recordedRun(t, out, state, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log, "no previous manifest") {
		t.Errorf("first run's log:\n%s", log)
	}
	first, manifest1 := files(t, out, filepath.Join(state, "history")), withoutRun(t, s.Manifest)

	s, log, err = recordedRun(t, out, state, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log, "outputs unchanged: same inputs, rules and engine") {
		t.Errorf("the re-run does not say its outputs are unchanged:\n%s", log)
	}
	second := files(t, out, filepath.Join(state, "history"))
	for path, sum := range first {
		if filepath.Base(path) != manifest.FileName && second[path] != sum {
			t.Errorf("%s changed on the re-run", path)
		}
	}
	if len(second) != len(first) {
		t.Errorf("%d files after the re-run, %d before", len(second), len(first))
	}
	if manifest2 := withoutRun(t, s.Manifest); manifest2 != manifest1 {
		t.Errorf("the manifests differ outside \"run\":\n%s\n%s", manifest1, manifest2)
	}
	m, err := manifest.Read(s.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	if m.Counts == nil || m.Counts.Files != s.Files || m.Counts.Rows.Read != s.Rows.Read || m.Counts.Assessed == 0 ||
		m.ExitStatus == nil || *m.ExitStatus != s.Errors || len(m.Outputs) != len(s.Workbooks)+1 || len(m.Inputs) != s.Files {
		t.Errorf("manifest %+v does not match the summary %+v", m, s)
	}
	records, _ := filepath.Glob(filepath.Join(state, manifest.RecordsFolder, "*.json"))
	if len(records) != 2 {
		t.Errorf("run records %v, want one per run", records)
	}

}

func TestCompareSaysWhatChanged(t *testing.T) {
	file := func(folder, path, sum string) manifest.File {
		return manifest.File{Folder: folder, Path: path, SHA256: sum}
	}
	prev := manifest.Manifest{ConfigHash: "c", EngineVersion: "v1", Run: manifest.Run{ID: "before"},
		Inputs:  []manifest.File{file(manifest.FolderIn, "a.xlsx", "1")},
		Outputs: []manifest.File{file(manifest.FolderOut, "2025/r.xlsx", "2"), file(manifest.FolderState, "history/2025.parquet", "3")}}
	path := filepath.Join(t.TempDir(), manifest.FileName)
	tests := []struct {
		name   string
		dryRun bool
		change func(m *manifest.Manifest)
		want   []string
	}{
		{"same", false, func(*manifest.Manifest) {}, []string{`"level":"info"`, "outputs unchanged: same inputs, rules and engine", `"previous_run":"before"`}},
		{"same, dry run", true, func(*manifest.Manifest) {}, []string{"dry run: outputs would be unchanged"}},
		{"inputs changed, outputs not", false, func(m *manifest.Manifest) { m.Inputs[0].SHA256 = "9" },
			[]string{"outputs unchanged: the inputs changed", `"inputs_changed":["in:a.xlsx"]`}},
		{"outputs changed alone", false, func(m *manifest.Manifest) { m.Outputs[1].SHA256 = "9" },
			[]string{`"level":"warn"`, "although the inputs, rules and engine did not", `"outputs_changed":["state:history/2025.parquet"]`}},
		{"engine and outputs changed", true, func(m *manifest.Manifest) { m.EngineVersion = "v2"; m.Outputs[0].SHA256 = "9" },
			[]string{"dry run: outputs would change", `"outputs_changed":["out:2025/r.xlsx"]`, `"engine_changed":true`}},
	}
	for _, tt := range tests {
		b, _ := manifest.Encode(&prev)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		cur := prev
		cur.Inputs, cur.Outputs = slices.Clone(prev.Inputs), slices.Clone(prev.Outputs)
		cur.Run = manifest.Run{ID: "now", DryRun: tt.dryRun}
		tt.change(&cur)
		var log bytes.Buffer
		(&record{m: cur}).compare(path, zerolog.New(&log))
		for _, want := range tt.want {
			if !strings.Contains(log.String(), want) {
				t.Errorf("%s: log lacks %s:\n%s", tt.name, want, log.String())
			}
		}
	}
	var log bytes.Buffer
	(&record{}).compare(filepath.Join(t.TempDir(), manifest.FileName), zerolog.New(&log))
	if !strings.Contains(log.String(), "no previous manifest") {
		t.Errorf("no previous manifest: %s", log.String())
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	root := t.TempDir()
	out, state := filepath.Join(root, "out"), filepath.Join(root, "state")
	var calls [][2]int
	s, log, err := recordedRun(t, out, state, func(o *Options) {
		o.DryRun = true
		o.Progress = func(done, total int) { calls = append(calls, [2]int{done, total}) }
	})
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("a dry run into fresh folders created %v", entries)
	}
	if len(calls) != s.Files {
		t.Errorf("%d progress calls for %d files", len(calls), s.Files)
	}
	for i, c := range calls {
		if c != [2]int{i + 1, s.Files} {
			t.Errorf("progress call %d: %v", i, c)
		}
	}
	if s.Rows.Read == 0 || s.Errors == 0 || !strings.Contains(log, "dry run: nothing written") {
		t.Errorf("summary %+v; log:\n%s", s, log)
	}

	// Over a real run, it compares and still writes nothing.
	if _, _, err := recordedRun(t, out, state, nil); err != nil {
		t.Fatal(err)
	}
	before := files(t, out, state)
	if _, log, err = recordedRun(t, out, state, func(o *Options) { o.DryRun = true }); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log, "dry run: outputs would be unchanged") {
		t.Errorf("the dry run does not compare its outputs:\n%s", log)
	}
	after := files(t, out, state)
	if len(after) != len(before) {
		t.Errorf("%d files after the dry run, %d before", len(after), len(before))
	}
	for path, sum := range before {
		if after[path] != sum {
			t.Errorf("the dry run changed %s", path)
		}
	}
}

func TestFailedRunLeavesRecord(t *testing.T) {
	out, state := t.TempDir(), t.TempDir()
	_, _, err := recordedRun(t, out, state, func(o *Options) { o.Config.Run.FirstYear = 0 })
	if !errors.Is(err, ErrNoHistory) {
		t.Fatalf("err = %v, want ErrNoHistory", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a failed run wrote %v", entries)
	}
	records, _ := filepath.Glob(filepath.Join(state, manifest.RecordsFolder, "*.json"))
	if len(records) != 1 {
		t.Fatalf("run records %v, want one", records)
	}
	m, err := manifest.Read(records[0])
	if err != nil {
		t.Fatal(err)
	}
	if m.ExitStatus == nil || *m.ExitStatus != 9 || !strings.Contains(m.Error, "has no 2024") || m.Outputs != nil ||
		m.Run.ID == "" || m.Run.Finished.IsZero() {
		t.Errorf("record %+v", m)
	}
}
