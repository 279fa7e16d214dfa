package job

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
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
		Log: zerolog.New(&log), RunID: "r" + filepath.Base(t.TempDir()),
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
		m.ExitStatus == nil || *m.ExitStatus != s.Errors || len(m.Outputs) != 2 || len(m.Inputs) != s.Files {
		t.Errorf("manifest %+v does not match the summary %+v", m, s)
	}
	records, _ := filepath.Glob(filepath.Join(state, manifest.RecordsFolder, "*.json"))
	if len(records) != 2 {
		t.Errorf("run records %v, want one per run", records)
	}

	// A changed output (as a different engine would write) is named.
	m.Outputs[0].SHA256 = "0"
	m.EngineVersion = "older"
	b, _ := manifest.Encode(m)
	if err := os.WriteFile(s.Manifest, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, log, err = recordedRun(t, out, state, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log, `"outputs_changed":["out:2025/2025年度创新平台绩效评估结果.xlsx"]`) ||
		!strings.Contains(log, `"engine_changed":true`) {
		t.Errorf("the log does not say what changed:\n%s", log)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	root := t.TempDir()
	out, state := filepath.Join(root, "out"), filepath.Join(root, "state")
	s, log, err := recordedRun(t, out, state, func(o *Options) { o.DryRun = true })
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("a dry run into fresh folders created %v", entries)
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

func TestProgressCountsEveryFile(t *testing.T) {
	var calls [][2]int
	s, _, err := recordedRun(t, t.TempDir(), t.TempDir(), func(o *Options) {
		o.Progress = func(done, total int) { calls = append(calls, [2]int{done, total}) }
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != s.Files {
		t.Fatalf("%d progress calls for %d files", len(calls), s.Files)
	}
	for i, c := range calls {
		if c != [2]int{i + 1, s.Files} {
			t.Errorf("call %d: %v", i, c)
		}
	}
}
