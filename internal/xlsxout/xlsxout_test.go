package xlsxout

import (
	"archive/zip"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
)

// multiStreamWorkbook builds a workbook with several stream-written sheets and
// a chart, the case in which excelize's own zip order and content types vary
// between runs.
func multiStreamWorkbook(t *testing.T) *excelize.File {
	t.Helper()
	f := excelize.NewFile()
	for i := 0; i < 6; i++ {
		name := fmt.Sprintf("表%d", i)
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			t.Fatal(err)
		}
		for r := 1; r <= 50; r++ {
			cell, _ := excelize.CoordinatesToCellName(1, r)
			if err := sw.SetRow(cell, []any{name, r, float64(r) / 3}); err != nil {
				t.Fatal(err)
			}
		}
		if i == 0 {
			// A chart makes excelize add the image content types in map order.
			if err := f.AddChart(name, "E2", &excelize.Chart{Type: excelize.Col, Series: []excelize.ChartSeries{
				{Name: "'表0'!$A$1", Categories: "'表0'!$B$1:$B$5", Values: "'表0'!$C$1:$C$5"}}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func TestSaveIsReproducible(t *testing.T) {
	dir := t.TempDir()
	var sums [][32]byte
	for i := 0; i < 8; i++ {
		path := filepath.Join(dir, fmt.Sprintf("w%d.xlsx", i))
		f := multiStreamWorkbook(t)
		if err := Save(f, path); err != nil {
			t.Fatal(err)
		}
		f.Close()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, sha256.Sum256(b))
	}
	for i := 1; i < len(sums); i++ {
		if sums[i] != sums[0] {
			t.Fatalf("save %d differs from save 0", i)
		}
	}
	// The result is a valid package in canonical order that excelize reads back.
	path := filepath.Join(dir, "w0.xlsx")
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if got := zr.File[0].Name; got != "[Content_Types].xml" {
		t.Errorf("first part = %s, want [Content_Types].xml", got)
	}
	for i := 2; i < len(zr.File); i++ {
		if zr.File[i-1].Name > zr.File[i].Name && i > 2 {
			t.Errorf("parts out of order: %s before %s", zr.File[i-1].Name, zr.File[i].Name)
		}
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("表5", "B50"); v != "50" {
		t.Errorf("表5!B50 = %q, want 50", v)
	}
}
