package manifest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"assessor/internal/atomicfile"
)

func TestCompare(t *testing.T) {
	in := func(path, sum string) File { return File{Folder: FolderIn, Path: path, SHA256: sum} }
	prev := &Manifest{ConfigHash: "c", EngineVersion: "v1", Counts: &Counts{Files: 2},
		Inputs:  []File{in("a.xlsx", "1"), in("b.xlsx", "2")},
		Outputs: []File{{Folder: FolderOut, Path: "2025/r.xlsx", SHA256: "9"}},
		Run:     Run{ID: "one", Started: time.Now()}}
	same := *prev
	same.Run = Run{ID: "two"}
	if d := Compare(prev, &same); !d.Reproduced() || !d.SameInputs() {
		t.Errorf("a run differing only in Run: %+v", d)
	}
	cur := same
	cur.Inputs = []File{in("b.xlsx", "3"), in("c.xlsx", "4")}
	cur.ConfigHash = "d"
	cur.Counts = &Counts{Files: 3}
	d := Compare(prev, &cur)
	if want := []string{"in:a.xlsx", "in:b.xlsx", "in:c.xlsx"}; !slices.Equal(d.Inputs, want) {
		t.Errorf("inputs changed %v, want %v", d.Inputs, want)
	}
	if !d.Config || d.Engine || !d.Reproduced() || d.SameInputs() {
		t.Errorf("diff %+v", d)
	}
	cur.Outputs = []File{{Folder: FolderOut, Path: "2025/r.xlsx", SHA256: "8"}, {Folder: FolderOut, Path: "2025/notice.xlsx"}}
	if d := Compare(prev, &cur); !slices.Equal(d.Outputs, []string{"out:2025/notice.xlsx", "out:2025/r.xlsx"}) {
		t.Errorf("outputs changed %v", d.Outputs)
	}
}

func TestStageReadAndRecord(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data.bin")
	if err := os.WriteFile(data, []byte("A"), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := HashFile(FolderIn, dir, "data.bin")
	if err != nil || in.Bytes != 1 || in.SHA256 != "559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd" {
		t.Fatalf("HashFile: %+v, %v", in, err)
	}
	if err := os.Mkdir(filepath.Join(dir, "2025"), 0o755); err != nil {
		t.Fatal(err)
	}
	st, err := atomicfile.Stage(filepath.Join(dir, "2025", "r.xlsx"), writeBytes([]byte("A")))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Abort()
	out, err := Staged(FolderOut, dir, st)
	if err != nil || out.Path != "2025/r.xlsx" || out.SHA256 != in.SHA256 {
		t.Fatalf("Staged: %+v, %v", out, err)
	}

	code := 1
	m := &Manifest{Format: Format, Year: 2025, Inputs: []File{in}, Outputs: []File{out}, ExitStatus: &code,
		Run: Run{ID: "abcd1234", Started: time.Date(2025, 12, 15, 2, 0, 0, 0, time.FixedZone("CST", 8*3600))}}
	path := filepath.Join(dir, "2025", FileName)
	ms, err := Stage(path, m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Read(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a staged manifest is readable before its commit: %v", err)
	}
	if err := ms.Commit(); err != nil {
		t.Fatal(err)
	}
	got, err := Read(path)
	if err != nil || *got.ExitStatus != 1 || len(got.Inputs) != 1 || !Compare(m, got).Reproduced() {
		t.Errorf("read back %+v, %v", got, err)
	}

	rec, err := WriteRecord(filepath.Join(dir, RecordsFolder), m)
	if err != nil || filepath.Base(rec) != "20251214T180000Z-abcd1234.json" {
		t.Errorf("record %s, %v", rec, err)
	}
}
