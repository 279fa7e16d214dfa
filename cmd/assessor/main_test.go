package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"assessor/history"
	"assessor/internal/manifest"
)

// shared is what the process-level tests share, made once: the binary, a
// generated input large enough for a run to take a while, and output and
// state folders with the year before assessed. Tests copy the folders.
type shared struct {
	dir, bin, in, out, state string
	err                      error
}

var (
	sharedOnce sync.Once
	built      shared
)

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// setUp makes what the tests share, once; it fails t if that failed.
func setUp(t *testing.T) shared {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and generates a large input")
	}
	sharedOnce.Do(func() { built = makeShared() })
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built
}

func makeShared() shared {
	s := shared{}
	if s.dir, s.err = os.MkdirTemp("", "assessor-cmd-test-"); s.err != nil {
		return s
	}
	s.bin, s.in, s.out, s.state = filepath.Join(s.dir, "assessor"), filepath.Join(s.dir, "in"), filepath.Join(s.dir, "out"), filepath.Join(s.dir, "state")
	steps := [][]string{
		{"go", "build", "-o", s.bin, "."},
		{s.bin, "samples", "--out", s.in, "--platforms", "3000", "--seed", "7"},
	}
	for _, step := range steps {
		if out, err := exec.Command(step[0], step[1:]...).CombinedOutput(); err != nil {
			s.err = fmt.Errorf("%v: %v\n%s", step, err, out)
			return s
		}
	}
	cmd := exec.Command(s.bin, "run", "--year", "2024", "--first-year", "2024", "--in", s.in, "--out", s.out, "--state", s.state, "--log-level", "error")
	if out, err := cmd.CombinedOutput(); err != nil && cmd.ProcessState.ExitCode() != 1 {
		s.err = fmt.Errorf("run 2024: %v\n%s", err, out)
	}
	return s
}

// fixture is a binary, the large input, and output and state folders of its
// own with 2024 assessed.
type fixture struct {
	bin, in, out, state string
	tmp                 string // the runs' TMPDIR
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	s := setUp(t)
	f := fixture{bin: s.bin, in: s.in, out: t.TempDir(), state: t.TempDir(), tmp: t.TempDir()}
	for _, pair := range [][2]string{{s.out, f.out}, {s.state, f.state}} {
		if out, err := exec.Command("cp", "-r", pair[0]+"/.", pair[1]).CombinedOutput(); err != nil {
			t.Fatalf("cp: %v %s", err, out)
		}
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
	cmd := exec.Command(f.bin, args...)
	cmd.Env = append(os.Environ(), "TMPDIR="+f.tmp)
	return cmd
}

// checkNoTemporaries fails when the runs left files in their TMPDIR.
func (f fixture) checkNoTemporaries(t *testing.T, label string) {
	t.Helper()
	entries, err := os.ReadDir(f.tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("%s: temporary file %s left in TMPDIR", label, e.Name())
	}
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
		if now[path] == sum {
			continue
		}
		// A run killed after it began its commit, or after it finished,
		// has replaced the previous run's manifest: with a complete one.
		if filepath.Base(path) == manifest.FileName {
			if _, err := manifest.Read(path); err == nil {
				continue
			}
		}
		t.Errorf("%s: %s changed or disappeared", label, path)
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
			least := 5 // a result workbook; a public notice has a sheet per assessment graded
			if strings.Contains(filepath.Base(path), "公示名单") {
				least = 1
			}
			if len(wb.GetSheetList()) < least {
				t.Errorf("%s: new workbook %s has %d sheets", label, filepath.Base(path), len(wb.GetSheetList()))
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
	f := newFixture(t)
	before := snapshot(t, f.out, filepath.Join(f.state, "history"))

	// Time a full run of 2025 on a copy of the state.
	timing := newFixture(t)
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
		f.checkNoTemporaries(t, "killed at "+time.Duration(float64(full)*frac).String())
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

// TestInterruptedRunWritesNothing sends SIGINT, then SIGTERM, during a run:
// it exits with status 6 and leaves outputs and history as they were, without
// temporary files; its record in the state folder says it was cancelled.
func TestInterruptedRunWritesNothing(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			f := newFixture(t)
			before := snapshot(t, f.out, filepath.Join(f.state, "history"))
			cmd := f.command("2025")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond)
			_ = cmd.Process.Signal(sig)
			_ = cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != 6 {
				t.Fatalf("exit %d after %v, want 6", code, sig)
			}
			after := snapshot(t, f.out, filepath.Join(f.state, "history"))
			if len(after) != len(before) {
				t.Errorf("files after %v: %d, before: %d", sig, len(after), len(before))
			}
			f.checkIntact(t, before, "interrupted")
			f.checkNoTemporaries(t, "interrupted")
			for _, dir := range []string{filepath.Join(f.state, "history"), filepath.Join(f.out, "2025")} {
				entries, _ := os.ReadDir(dir)
				for _, e := range entries {
					if strings.HasSuffix(e.Name(), ".tmp") {
						t.Errorf("temporary file %s left by an interrupted run", e.Name())
					}
				}
			}
			if rec := lastRecord(t, f.state); !strings.Contains(rec, `"exit_status": 6`) || !strings.Contains(rec, "context canceled") {
				t.Errorf("the run record does not say the run was cancelled:\n%s", rec)
			}
		})
	}
}

// lastRecord returns the last run record of the state folder.
func lastRecord(t *testing.T, state string) string {
	t.Helper()
	records, _ := filepath.Glob(filepath.Join(state, "runs", "*.json"))
	if len(records) == 0 {
		t.Fatal("no run record")
	}
	b, err := os.ReadFile(records[len(records)-1])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLockContention holds the state folder's lock as a run would: a second
// run exits at once with status 5 naming the holder; a run with --wait waits
// for the lock, then runs, reproduces the previous outputs and says so.
func TestLockContention(t *testing.T) {
	s := setUp(t)
	samples := filepath.Join("..", "..", "samples", "data")
	out, state := t.TempDir(), t.TempDir()
	run := func(extra ...string) *exec.Cmd {
		args := append([]string{"run", "--year", "2025", "--first-year", "2025", "--in", samples, "--out", out, "--state", state,
			"--log-format", "json"}, extra...)
		return exec.Command(s.bin, args...)
	}
	if out, err := run().CombinedOutput(); err != nil && !strings.Contains(err.Error(), "exit status 1") {
		t.Fatalf("first run: %v\n%s", err, out)
	}
	outputs := snapshot(t, out, filepath.Join(state, "history"))

	held, err := history.Open(context.Background(), state, history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	start := time.Now()
	second := run()
	msg, _ := second.CombinedOutput()
	if code := second.ProcessState.ExitCode(); code != 5 || !strings.Contains(string(msg), fmt.Sprintf("is locked by pid %d", os.Getpid())) {
		t.Errorf("second run: exit %d, want 5 with the holder named:\n%s", code, msg)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the second run took %v to give up", took)
	}

	waiting := run("--wait")
	var log strings.Builder
	waiting.Stderr = &log
	if err := waiting.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		_ = waiting.Wait()
		close(done)
	}()
	select {
	case <-done:
		t.Fatalf("the run with --wait did not wait: %s", log.String())
	case <-time.After(time.Second):
	}
	held.Close()
	<-done
	if code := waiting.ProcessState.ExitCode(); code != 1 {
		t.Fatalf("the run with --wait: exit %d, want 1 (the samples' rejected rows):\n%s", code, log.String())
	}
	if !strings.Contains(log.String(), "outputs unchanged") {
		t.Errorf("the re-run does not say its outputs are unchanged:\n%s", log.String())
	}
	now := snapshot(t, out, filepath.Join(state, "history"))
	for path, sum := range outputs {
		if now[path] != sum && filepath.Base(path) != "run-manifest.json" {
			t.Errorf("%s changed on the re-run", path)
		}
	}
}
