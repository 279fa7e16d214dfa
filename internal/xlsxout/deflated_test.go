package xlsxout

import (
	"bytes"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestCRC32Combine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	cases := [][2]int{{0, 0}, {0, 1}, {1, 1}, {1, 2}, {3, 5}, {100, 1 << 16}, {1 << 19, 1<<19 + 7}, {1<<20 - 1, 1 << 20}}
	for range 20 {
		a := rng.IntN(len(data))
		cases = append(cases, [2]int{a, a + rng.IntN(len(data)-a)})
	}
	for _, c := range cases {
		at, end := c[0], c[1]
		want := crc32.ChecksumIEEE(data[:end])
		got := crc32Combine(crc32.ChecksumIEEE(data[:at]), crc32.ChecksumIEEE(data[at:end]), int64(end-at))
		if got != want {
			t.Errorf("split %d of %d bytes: %08x, want %08x", at, end, got, want)
		}
	}
}

// splicedBook writes sheet "表" of a workbook, its header through
// excelize's StreamWriter and the rest through write while it is saved, and
// returns the package's bytes.
func splicedBook(t *testing.T, write func(*RowWriter) error) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "表"); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("表")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"名称", "值"}); err != nil {
		t.Fatal(err)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := Save(f, path, SheetRows{Sheet: "表", Write: write}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Rows deflated ahead and put into a part give the sheet that writing them
// there gives (archive/zip checks the part's checksum as it reads it), and
// rows cut at the same places give the same package however they are shared
// among DeflatedRows; nothing shows in TMPDIR meanwhile.
func TestDeflatedRowsSpliced(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	rows := sampleRows()
	for len(rows) < 400 { // several of RowWriter's flushes, with the long texts
		rows = append(rows, rows...)
	}
	const kept, cut = 5, 40 // rows written as they come, then deflated ahead, cut every 40
	direct := func(w *RowWriter) error {
		for i, r := range rows {
			if err := w.Row(i+2, r.cells, r.height); err != nil {
				return err
			}
		}
		return nil
	}
	ahead := func(shares ...int) func(w *RowWriter) error {
		return func(w *RowWriter) error {
			for i, r := range rows[:kept] {
				if err := w.Row(i+2, r.cells, r.height); err != nil {
					return err
				}
			}
			from := kept
			for _, to := range append(shares, len(rows)-1) {
				d, err := NewDeflatedRows()
				if err != nil {
					return err
				}
				defer d.Close()
				for i := from; i < to; i++ {
					if (i-kept)%cut == 0 {
						if err := d.Cut(); err != nil {
							return err
						}
					}
					if err := d.Row(i+2, rows[i].cells, rows[i].height); err != nil {
						return err
					}
				}
				if d.Rows() != to-from {
					t.Errorf("Rows = %d, want %d", d.Rows(), to-from)
				}
				if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
					t.Errorf("TMPDIR holds %s while rows are deflated", entries[0].Name())
				}
				if err := w.Deflated(d); err != nil {
					return err
				}
				from = to
			}
			last := rows[len(rows)-1]
			return w.Row(len(rows)+1, last.cells, last.height)
		}
	}
	sheet := func(book []byte) []byte {
		path := filepath.Join(t.TempDir(), "b.xlsx")
		if err := os.WriteFile(path, book, 0o600); err != nil {
			t.Fatal(err)
		}
		return part(t, path, "xl/worksheets/sheet1.xml")
	}
	want := sheet(splicedBook(t, direct))
	one := splicedBook(t, ahead())
	if got := sheet(one); !bytes.Equal(got, want) {
		t.Errorf("rows deflated ahead give a sheet of %d bytes, written directly %d", len(got), len(want))
	}
	for _, shares := range [][]int{{kept + 2*cut}, {kept + cut, kept + 3*cut, kept + 4*cut}} {
		if got := splicedBook(t, ahead(shares...)); !bytes.Equal(got, one) {
			t.Errorf("rows shared at %v give other bytes than in one", shares)
		}
	}
}

func TestDeflatedRowsRefuse(t *testing.T) {
	d, err := NewDeflatedRows()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Row(2, []excelize.Cell{{Value: "a"}}, 0); err != nil {
		t.Fatal(err)
	}
	if err := d.Row(0, nil, 0); err == nil {
		t.Error("row 0 taken")
	}
	var buf bytes.Buffer
	if err := NewRowWriter(&buf).Deflated(d); err == nil || !strings.Contains(err.Error(), "outside a part") {
		t.Errorf("deflated rows written to a plain writer: %v", err)
	}
	splicedBook(t, func(w *RowWriter) error {
		if err := w.Deflated(d); err != nil {
			return err
		}
		if err := w.Deflated(d); err != errDeflatedTaken {
			t.Errorf("rows written twice: %v", err)
		}
		if err := d.Row(3, nil, 0); err != errDeflatedTaken {
			t.Errorf("row added once written: %v", err)
		}
		return nil
	})
	d.Close()
	if err := d.Row(4, nil, 0); err == nil {
		t.Error("row added once closed")
	}
}
