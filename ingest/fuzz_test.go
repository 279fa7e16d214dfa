package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/xuri/excelize/v2"

	"assessor/config"
	"assessor/dataset"
)

// seedWorkbooks returns the bytes of workbooks from several producers: written
// here with excelize (plain and streaming), and the committed producer files
// under testdata/producers (LibreOffice, openpyxl, xlsxwriter, SheetJS,
// exceljs, hand-edited XML), when present.
func seedWorkbooks(t testing.TB) [][]byte {
	t.Helper()
	dir := t.TempDir()
	var seeds [][]byte
	add := func(path string) {
		if b, err := os.ReadFile(path); err == nil && len(b) < 256<<10 {
			seeds = append(seeds, b)
		}
	}
	for name, sheets := range map[string][]sheetSpec{
		"register.xlsx": {registerSheet()},
		"tic.xlsx":      {ticSheet()},
		"form.xlsx":     {ticForm("2,379.42")},
	} {
		path := filepath.Join(dir, name)
		writeWorkbook(t, path, sheets...)
		add(path)
	}
	path := filepath.Join(dir, "stream.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range ticSheet().rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
	add(path)
	producers, _ := filepath.Glob(filepath.Join("testdata", "producers", "*", "*.xlsx"))
	for _, p := range producers {
		add(p)
	}
	return seeds
}

// checkInvariants reads dir and checks what must hold for any input;
// pipelined decodes every sheet ahead, as big sheets are.
func checkInvariants(t *testing.T, cfg *config.Config, dir string, pipelined bool) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	opts := Options{Mem: mem}
	if pipelined {
		opts.pipelineMin = 1
	}
	set, err := Read(context.Background(), cfg, dir, opts)
	if err != nil {
		t.Fatalf("Read returned an error for a bad file (it must become a problem): %v", err)
	}
	defer mem.AssertSize(t, 0)
	defer set.Release()
	explained := map[string]bool{}
	for _, p := range set.Problems {
		if p.Code == "reader_crashed" {
			t.Fatalf("the spreadsheet library panicked: %s", p.Reason)
		}
		if p.Severity == dataset.Error {
			explained[p.File] = true
		}
		if p.Reason == "" || p.Code == "" {
			t.Fatalf("a problem without code or reason: %+v", p)
		}
	}
	for _, f := range set.Files {
		if f.Status == dataset.FileRejected && !explained[f.Path] {
			t.Fatalf("%s rejected without an error problem", f.Path)
		}
	}
	accepted := map[string]int{}
	for _, src := range set.Sources {
		if !src.Rows.Balanced() {
			t.Fatalf("%s [%s]: rows do not balance: %+v", src.File, src.Sheet, src.Rows)
		}
		accepted[src.Table] += src.Rows.Accepted
	}
	for key, tbl := range set.Tables {
		if int(tbl.NumRows()) != accepted[key] {
			t.Fatalf("%s: %d rows in the table, %d accepted", key, tbl.NumRows(), accepted[key])
		}
	}
}

// FuzzWorkbook feeds arbitrary bytes to ingest as a workbook file.
func FuzzWorkbook(f *testing.F) {
	for _, s := range seedWorkbooks(f) {
		f.Add(s)
	}
	f.Add([]byte{})
	f.Add([]byte("PK\x03\x04"))
	cfg := defaultConfig(f)
	cfg.Ingest.MaxUnzipBytes = 64 << 20
	cfg.Ingest.MaxCells = 200000
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "f.xlsx"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, cfg, dir, len(data)%2 == 1)
	})
}

// FuzzSheetXML puts arbitrary worksheet XML into a valid package (the roster
// of ticSheet, with its shared strings and styles) and reads it.
func FuzzSheetXML(f *testing.F) {
	dir := f.TempDir()
	base := filepath.Join(dir, "base.xlsx")
	writeWorkbook(f, base, ticSheet())
	parts := readParts(f, base)
	sheet := parts["xl/worksheets/sheet1.xml"]
	f.Add(sheet)
	f.Add(bytes.Replace(sheet, []byte(`<row r="4"`), []byte(`<row r="1048577"`), 1))
	f.Add(bytes.ReplaceAll(sheet, []byte(` t="s"`), []byte(` t="inlineStr"`)))
	f.Add([]byte(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>平台编号</t></is></c><c><v>1</v></c></row></sheetData></worksheet>`))
	cfg := defaultConfig(f)
	cfg.Ingest.MaxCells = 200000
	f.Fuzz(func(t *testing.T, xml []byte) {
		dir := t.TempDir()
		writeParts(t, filepath.Join(dir, "f.xlsx"), parts, "xl/worksheets/sheet1.xml", xml)
		checkInvariants(t, cfg, dir, len(xml)%2 == 1)
	})
}

// readParts reads every part of a package.
func readParts(t testing.TB, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = b
	}
	return out
}

// writeParts writes a package with one part replaced.
func writeParts(t testing.TB, path string, parts map[string][]byte, name string, data []byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range slices.Sorted(maps.Keys(parts)) {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if n == name {
			w.Write(data)
		} else {
			w.Write(parts[n])
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
