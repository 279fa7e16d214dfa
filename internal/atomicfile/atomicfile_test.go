package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteLeavesNothingOnFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.xlsx")
	if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		w.Write(bytes.Repeat([]byte("x"), 1<<16))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the previous file", len(entries))
	}
	if b, _ := os.ReadFile(path); string(b) != "previous" {
		t.Errorf("previous file changed to %q", b)
	}
}

func TestStageCommitAbort(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	sa, err := Stage(a, func(w io.Writer) error { _, err := w.Write([]byte("A")); return err })
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Stage(b, func(w io.Writer) error { _, err := w.Write([]byte("B")); return err })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(a); !os.IsNotExist(err) {
		t.Error("a staged file is visible before Commit")
	}
	// sha256("A")
	if sum := sa.SHA256(); sum != "559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd" || sa.Size() != 1 {
		t.Errorf("staged a: sha256 %s, %d bytes", sum, sa.Size())
	}
	if err := sa.Commit(); err != nil {
		t.Fatal(err)
	}
	sb.Abort()
	if got, _ := os.ReadFile(a); string(got) != "A" {
		t.Errorf("a = %q", got)
	}

	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("after commit and abort the folder holds %d entries, want 1", len(entries))
	}
	if err := sa.Commit(); err == nil {
		t.Error("a second commit succeeded")
	}
}

func TestCleanStale(t *testing.T) {
	dir := t.TempDir()
	if _, err := Stage(filepath.Join(dir, "2025.parquet"), func(w io.Writer) error { return nil }); err != nil {
		t.Fatal(err) // staged and never committed: what a killed process leaves
	}
	for _, keep := range []string{"2024.parquet", ".lock", "notes.tmp"} {
		os.WriteFile(filepath.Join(dir, keep), nil, 0o644)
	}
	removed, err := CleanStale(dir)
	if err != nil || len(removed) != 1 {
		t.Fatalf("removed %v, %v; want the one staged file", removed, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d entries left, want the 3 others", len(entries))
	}
	if removed, err := CleanStale(filepath.Join(dir, "missing")); err != nil || removed != nil {
		t.Errorf("missing folder: %v, %v", removed, err)
	}
}
