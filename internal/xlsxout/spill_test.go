package xlsxout

import (
	"io"
	"os"
	"runtime"
	"testing"
)

// TestSpillHasNoName requires a spill to be usable while nothing of it shows
// in TMPDIR: a run killed while writing leaves no file behind.
func TestSpillHasNoName(t *testing.T) {
	for name, create := range map[string]func() (*os.File, bool, error){"spill": createSpill, "named spill": createNamedSpill} {
		t.Run(name, func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			f, unlinked, err := create()
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if !unlinked {
				if runtime.GOOS == "windows" { // an open file cannot lose its name there
					t.Skip("spills keep their names until closed on Windows")
				}
				t.Fatal("the spill keeps its name on a system that can remove it")
			}
			if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
				t.Errorf("TMPDIR holds %s while the spill is open", entries[0].Name())
			}
			if _, err := f.WriteString("deflated bytes"); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			if b, err := io.ReadAll(f); err != nil || string(b) != "deflated bytes" {
				t.Errorf("read back %q, %v", b, err)
			}
		})
	}
}
