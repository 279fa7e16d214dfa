package main

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"assessor/history"
)

// build compiles the assessor binary for process-level tests.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "assessor")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// fixture generates an input large enough for a run to take a while, and a
// state folder with the year before assessed.
type fixture struct {
	bin, in, out, state string
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	f := fixture{bin: build(t), in: t.TempDir(), out: t.TempDir(), state: t.TempDir()}
	if out, err := exec.Command(f.bin, "samples", "--out", f.in, "--platforms", "3000", "--seed", "7").CombinedOutput(); err != nil {
		t.Fatalf("samples: %v\n%s", err, out)
	}
	if code := f.run(t, "2024", "--first-year", "2024"); code != 0 && code != 1 {
		t.Fatalf("run 2024: exit %d", code)
	}
	return f
}

// run runs a year to completion and returns its exit status.
func (f fixture) run(t *testing.T, year string, extra ...string) int {
	t.Helper()
	cmd := f.command(year, extra...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run %s: %v\n%s", year, err, out)
	}
	return cmd.ProcessState.ExitCode()
}

func (f fixture) command(year string, extra ...string) *exec.Cmd {
	args := append([]string{"run", "--year", year, "--in", f.in, "--out", f.out, "--state", f.state, "--log-level", "error"}, extra...)
	return exec.Command(f.bin, args...)
}

// snapshot hashes every visible file under the folders (temporary files, whose
// names start with a dot, are left out).
func snapshot(t *testing.T, dirs ...string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out[path] = sha256.Sum256(data)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// checkIntact checks that the files of before are unchanged and that every new
// visible file is complete: history files load, workbooks open.
func (f fixture) checkIntact(t *testing.T, before map[string][32]byte, label string) {
	t.Helper()
	now := snapshot(t, f.out, filepath.Join(f.state, "history"))
	for path, sum := range before {
		if now[path] != sum {
			t.Errorf("%s: %s changed or disappeared", label, path)
		}
	}
	for path := range now {
		if _, old := before[path]; old {
			continue
		}
		switch filepath.Ext(path) {
		case ".parquet":
			store, err := history.OpenReadOnly(f.state)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := store.Load(2025); err != nil {
				t.Errorf("%s: new history file does not load: %v", label, err)
			}
			store.Close()
		case ".xlsx":
			wb, err := excelize.OpenFile(path)
			if err != nil {
				t.Errorf("%s: new workbook does not open: %v", label, err)
				continue
			}
			if len(wb.GetSheetList()) < 5 {
				t.Errorf("%s: new workbook has %d sheets", label, len(wb.GetSheetList()))
			}
			wb.Close()
		}
	}
}

// TestKilledRunLeavesHistoryAndOutputsIntact kills runs with SIGKILL at points
// spread over a run's duration: the previous history and outputs must stay as
// they were, and anything new must be complete. A later run cleans up and
// finishes.
func TestKilledRunLeavesHistoryAndOutputsIntact(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and generates a large input")
	}
	f := newFixture(t)
	before := snapshot(t, f.out, filepath.Join(f.state, "history"))

	// Time a full run of 2025 on a copy of the state.
	timing := fixture{bin: f.bin, in: f.in, out: t.TempDir(), state: t.TempDir()}
	if out, err := exec.Command("cp", "-r", f.state+"/.", timing.state).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	start := time.Now()
	if code := timing.run(t, "2025"); code != 0 && code != 1 {
		t.Fatalf("timing run: exit %d", code)
	}
	full := time.Since(start)
	t.Logf("a full run takes %v", full)

	for _, frac := range []float64{0.05, 0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.95, 0.98} {
		cmd := f.command("2025")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(float64(full) * frac))
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		f.checkIntact(t, before, "killed at "+time.Duration(float64(full)*frac).String())
		// If this kill came after the commit, the new files are now the baseline.
		before = snapshot(t, f.out, filepath.Join(f.state, "history"))
	}

	if code := f.run(t, "2025"); code != 0 && code != 1 {
		t.Fatalf("run after the kills: exit %d", code)
	}
	for _, dir := range []string{filepath.Join(f.state, "history"), filepath.Join(f.out, "2025")} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".tmp") {
				t.Errorf("temporary file %s left in %s after a complete run", e.Name(), dir)
			}
		}
	}
	f.checkIntact(t, map[string][32]byte{}, "after a complete run")
}

// TestInterruptedRunWritesNothing sends SIGINT during a run: it exits with
// status 6 and leaves outputs and history as they were, without temporary files.
func TestInterruptedRunWritesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and generates a large input")
	}
	f := newFixture(t)
	before := snapshot(t, f.out, filepath.Join(f.state, "history"))
	cmd := f.command("2025")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	_ = cmd.Process.Signal(syscall.SIGINT)
	_ = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 6 {
		t.Fatalf("exit %d after SIGINT, want 6", code)
	}
	after := snapshot(t, f.out, filepath.Join(f.state, "history"))
	if len(after) != len(before) {
		t.Errorf("files after SIGINT: %d, before: %d", len(after), len(before))
	}
	f.checkIntact(t, before, "interrupted")
	entries, _ := os.ReadDir(filepath.Join(f.state, "history"))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left by an interrupted run", e.Name())
		}
	}
}
