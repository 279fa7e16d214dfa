package job

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// TestRunProfiles runs the sample year with ProfileDir: the processor's
// profile and the heap profiles of reading and assessing are written, each
// a gzipped profile, and the run still writes its workbooks.
func TestRunProfiles(t *testing.T) {
	cfg := testConfig(t)
	cfg.Run.FirstYear = sampleYear
	dir := filepath.Join(t.TempDir(), "profiles")
	s, err := Run(context.Background(), Options{Config: cfg, Year: sampleYear, In: samplesDir, Out: t.TempDir(), State: t.TempDir(),
		Version: "test", Log: zerolog.Nop(), ProfileDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Workbooks) == 0 {
		t.Fatal("no workbooks written")
	}
	for _, name := range []string{"cpu.pprof", "heap-read.pprof", "heap-assess.pprof"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		n, err := io.Copy(io.Discard, zr)
		f.Close()
		if err != nil || n == 0 {
			t.Errorf("%s: %d bytes, %v", name, n, err)
		}
	}
}

// TestRunProfileFolderRefused: a profile folder that cannot be made stops
// the run before it reads anything, as a failure to write.
func TestRunProfileFolderRefused(t *testing.T) {
	cfg := testConfig(t)
	cfg.Run.FirstYear = sampleYear
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	_, err := Run(context.Background(), Options{Config: cfg, Year: sampleYear, In: samplesDir, Out: out, State: t.TempDir(),
		Version: "test", Log: zerolog.Nop(), ProfileDir: filepath.Join(file, "profiles")})
	var ioErr *IOError
	if !errors.As(err, &ioErr) || ioErr.Op != "start profiling" || !strings.Contains(err.Error(), file) {
		t.Fatalf("got %v, want a start profiling IOError naming %s", err, file)
	}
	if entries, _ := os.ReadDir(out); len(entries) > 0 {
		t.Errorf("output folder not empty: %v", entries)
	}
}
