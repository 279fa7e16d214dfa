package xlsxout

import (
	"archive/zip"
	"bytes"
	"cmp"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// sampleRow is a row of the cells RowWriter must write as excelize does.
type sampleRow struct {
	cells  []excelize.Cell
	height float64
}

// awkwardTexts are texts whose escaping or marking takes care.
var awkwardTexts = []string{
	"", "plain", "科创飞地（飞出平台）", " leading", "trailing ", "\tindented", "two\nlines", "line\r\nend",
	`a & b < c > d "e" 'f'`, "bell\x07 nul\x00", "bad \xff\xfe utf-8", "not a character \uFFFE\uFFFF", "\U0001F600 astral",
	"_x0041_", "_x005F_x0041_", "_x005F_", "x_x00zz_", "_X0041_", "_x123_", "a_x0041_b_x0042_c", "&#xA;",
	"\u2028 separator", "\uFFFD replacement", "飞地_x0041_", "长\uFFFE", "_x", "尾_", "\xef\xbf",
	"surrogate \xed\xa0\x80", "overlong \xe0\x80\x80", "cut 长\xe9\x95", "长\xe9\x95A", "\xe9\x95\x41\x41", "\uE000 private",
	strings.Repeat("长", 32767) + "cut", strings.Repeat("a", 32766) + "\U0001F600" + "b",
}

// sampleRows covers every value type RowWriter takes and every row height form.
func sampleRows() []sampleRow {
	var rows []sampleRow
	for i, s := range awkwardTexts {
		rows = append(rows, sampleRow{cells: []excelize.Cell{{Value: s, StyleID: i % 3}, {Value: i}}})
	}
	date := time.Date(2025, time.March, 31, 0, 0, 0, 0, time.UTC)
	shanghai := time.FixedZone("CST", 8*3600)
	rows = append(rows,
		sampleRow{cells: []excelize.Cell{{Value: 0.1}, {Value: 1e20}, {Value: 123456789.123456789}, {Value: -0.0}, {Value: 1.0 / 3},
			{Value: math.NaN()}, {Value: math.Inf(1)}, {Value: math.Inf(-1)}, {Value: math.MaxFloat64}, {Value: 5e-324},
			{Value: 0.30000000000000004}, {Value: 1234567890123456.0}, {Value: 123456789012345.67}, {Value: 1234567890123456789.0}, {Value: -9.87654321012345678e-5}, {Value: -math.MaxFloat64},
			{Value: 94.0}, {Value: -7.0}, {Value: 999999999999999.0}, {Value: 1e15}, {Value: -999999999999999.0}, {Value: 4503599627370497.0}}, height: 19.5},
		sampleRow{cells: []excelize.Cell{{Value: float32(0.1)}, {Value: float32(math.Inf(1))}, {Value: int8(-8)}, {Value: int16(16)},
			{Value: int32(-32)}, {Value: int64(math.MaxInt64)}, {Value: uint(7)}, {Value: uint8(8)}, {Value: uint16(16)},
			{Value: uint32(32)}, {Value: uint64(math.MaxUint64)}}, height: 15},
		sampleRow{cells: []excelize.Cell{{Value: true}, {Value: false, StyleID: 2}, {}, {StyleID: 1}, {Value: []byte("bytes")},
			{Value: struct{ A int }{3}}, {Value: date, StyleID: 1}, {Value: time.Date(2025, 12, 31, 0, 0, 0, 0, shanghai), StyleID: 1},
			{Value: time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), StyleID: 1}}, height: 409},
		sampleRow{},
		sampleRow{cells: []excelize.Cell{{Value: "far right"}}, height: 0.25},
	)
	return rows
}

// writeBoth writes rows after a header row into sheet "表" twice — all
// through excelize's StreamWriter, and the header through it and the rest
// through RowWriter — and returns the worksheet part of each. It writes the
// rows a third time, deflated ahead through DeflatedRows, a segment each,
// and requires the same part as through RowWriter.
func writeBoth(t *testing.T, rows []sampleRow) (excelized, ours []byte) {
	t.Helper()
	dir := t.TempDir()
	header := []any{excelize.Cell{Value: "名称", StyleID: 1}, excelize.Cell{Value: "值", StyleID: 1}}
	build := func(name string, splice, deflated bool) []byte {
		f := excelize.NewFile()
		defer f.Close()
		for i := 1; i <= 2; i++ {
			if _, err := f.NewStyle(&excelize.Style{NumFmt: 14 + i}); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SetSheetName("Sheet1", "表"); err != nil {
			t.Fatal(err)
		}
		sw, err := f.NewStreamWriter("表")
		if err != nil {
			t.Fatal(err)
		}
		if err := sw.SetColWidth(1, 1, 30); err != nil {
			t.Fatal(err)
		}
		if err := sw.SetRow("A1", header); err != nil {
			t.Fatal(err)
		}
		var splices []SheetRows
		switch {
		case deflated:
			d, err := NewDeflatedRows()
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			for i, r := range rows {
				if err := d.Cut(); err != nil {
					t.Fatal(err)
				}
				if err := d.Row(i+2, r.cells, r.height); err != nil {
					t.Fatal(err)
				}
			}
			splices = append(splices, SheetRows{Sheet: "表", Write: func(w *RowWriter) error { return w.Deflated(d) }})
		case splice:
			splices = append(splices, SheetRows{Sheet: "表", Write: func(w *RowWriter) error {
				for i, r := range rows {
					if err := w.Row(i+2, r.cells, r.height); err != nil {
						return err
					}
				}
				return nil
			}})
		default:
			for i, r := range rows {
				vals := make([]any, len(r.cells))
				for k := range r.cells {
					vals[k] = &r.cells[k]
				}
				var opts []excelize.RowOpts
				if r.height > 0 {
					opts = append(opts, excelize.RowOpts{Height: r.height})
				}
				cell, _ := excelize.CoordinatesToCellName(1, i+2)
				if err := sw.SetRow(cell, vals, opts...); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := f.AutoFilter("表", "A1:B2", nil); err != nil {
			t.Fatal(err)
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := Save(f, path, splices...); err != nil {
			t.Fatal(err)
		}
		return part(t, path, "xl/worksheets/sheet1.xml")
	}
	ours = build("ours.xlsx", true, false)
	if deflated := build("deflated.xlsx", false, true); !bytes.Equal(deflated, ours) {
		t.Errorf("rows deflated ahead give another part than written:\ndeflated: %q\nwritten:  %q", deflated, ours)
	}
	return build("excelize.xlsx", false, false), ours
}

// part reads one part of a package.
func part(t *testing.T, path, name string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("%s has no part %s", path, name)
	return nil
}

func TestRowWriterWritesAsExcelize(t *testing.T) {
	excelized, ours := writeBoth(t, sampleRows())
	if !bytes.Equal(excelized, ours) {
		i := 0
		for i < min(len(excelized), len(ours)) && excelized[i] == ours[i] {
			i++
		}
		from := max(i-80, 0)
		t.Fatalf("the sheets differ at byte %d:\nexcelize: %q\nours:     %q", i,
			excelized[from:min(i+120, len(excelized))], ours[from:min(i+120, len(ours))])
	}
}

func TestRowWriterRefuses(t *testing.T) {
	tests := []struct {
		name   string
		cells  []excelize.Cell
		height float64
		want   error
	}{
		{"formula", []excelize.Cell{{Formula: "SUM(A1:A2)"}}, 0, ErrUnsupportedValue},
		{"time of day", []excelize.Cell{{Value: time.Date(2025, 1, 1, 9, 30, 0, 0, time.UTC), StyleID: 1}}, 0, ErrUnsupportedValue},
		{"date without a style", []excelize.Cell{{Value: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}}, 0, ErrUnsupportedValue},
		{"date before March 1900", []excelize.Cell{{Value: time.Date(1900, 2, 28, 0, 0, 0, 0, time.UTC), StyleID: 1}}, 0, ErrUnsupportedValue},
		{"duration", []excelize.Cell{{Value: time.Second}}, 0, ErrUnsupportedValue},
		{"rich text", []excelize.Cell{{Value: []excelize.RichTextRun{{Text: "a"}}}}, 0, ErrUnsupportedValue},
		{"row too high", []excelize.Cell{{Value: 1}}, 409.5, excelize.ErrMaxRowHeight},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good := []excelize.Cell{{Value: "kept"}}
			var want bytes.Buffer
			ref := NewRowWriter(&want)
			if err := cmp.Or(ref.Row(1, good, 0), ref.Flush()); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			w := NewRowWriter(&out)
			if err := w.Row(1, good, 0); err != nil {
				t.Fatal(err)
			}
			err := w.Row(2, tt.cells, tt.height)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Row = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), "row 2") {
				t.Errorf("error %q does not name the row", err)
			}
			// The row before it stays, the refused one leaves nothing.
			if err := w.Flush(); err != nil || out.String() != want.String() {
				t.Errorf("after a refused row: Flush = %v, wrote %q, want %q", err, out.String(), want.String())
			}
		})
	}
}

// A sheet whose rows fail to be written leaves no file behind, temporary
// files included, and the error names the sheet's part and the row.
func TestSpliceErrorLeavesNoFile(t *testing.T) {
	dir, tmp := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmp)
	path := filepath.Join(dir, "out.xlsx")
	f := multiStreamWorkbook(t)
	defer f.Close()
	err := Save(f, path, SheetRows{Sheet: "表2", Write: func(w *RowWriter) error {
		if err := w.Row(51, []excelize.Cell{{Value: "ok"}}, 0); err != nil {
			return err
		}
		return w.Row(52, []excelize.Cell{{Formula: "A1"}}, 0)
	}})
	if !errors.Is(err, ErrUnsupportedValue) || !strings.Contains(err.Error(), "row 52") {
		t.Fatalf("Save = %v, want the refused row 52", err)
	}
	for _, d := range []string{dir, tmp} {
		if entries, _ := os.ReadDir(d); len(entries) != 0 {
			t.Errorf("left behind in %s: %v", d, entries)
		}
	}
}

func TestSpliceUnknownSheet(t *testing.T) {
	f := multiStreamWorkbook(t)
	defer f.Close()
	err := WriteTo(f, io.Discard, SheetRows{Sheet: "没有", Write: func(*RowWriter) error { return nil }})
	if err == nil || !strings.Contains(err.Error(), "没有") {
		t.Fatalf("WriteTo = %v, want an error naming the sheet", err)
	}
}

// Rows spliced into several sheets at once read back in place, and the
// package is the same bytes save after save.
func TestSpliceSeveralSheets(t *testing.T) {
	dir, tmp := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmp)
	save := func(name string) []byte {
		f := multiStreamWorkbook(t)
		defer f.Close()
		var rows []SheetRows
		for _, sheet := range []string{"表1", "表3", "表4", "表5"} {
			rows = append(rows, SheetRows{Sheet: sheet, Write: func(w *RowWriter) error {
				for r := 51; r <= 5000; r++ {
					if err := w.Row(r, []excelize.Cell{{Value: sheet}, {Value: r}, {Value: float64(r) / 3}}, 0); err != nil {
						return err
					}
				}
				return nil
			}})
		}
		path := filepath.Join(dir, name)
		if err := Save(f, path, rows...); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first, second := save("a.xlsx"), save("b.xlsx")
	if !bytes.Equal(first, second) {
		t.Error("two saves differ")
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("temporary files left: %v", entries)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "a.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range []struct{ sheet, cell, want string }{
		{"表1", "A5000", "表1"}, {"表5", "B5000", "5000"}, {"表4", "B50", "50"}, {"表2", "B51", ""}, {"表3", "C51", "17"},
	} {
		if got, _ := f.GetCellValue(c.sheet, c.cell); got != c.want {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}
	rows, err := f.GetRows("表3")
	if err != nil || len(rows) != 5000 {
		t.Errorf("表3 has %d rows (%v), want 5000", len(rows), err)
	}
}

// FuzzRowWriter requires RowWriter to write any text and number as excelize's
// StreamWriter writes it.
func FuzzRowWriter(f *testing.F) {
	for _, s := range awkwardTexts[:len(awkwardTexts)-2] {
		f.Add(s, 0.1, int64(3), 15.0)
	}
	f.Add("", math.Inf(1), int64(math.MinInt64), 0.0)
	f.Add("整数", 94.0, int64(0), 0.0)
	f.Add("负零", math.Copysign(0, -1), int64(-1), 0.0)
	f.Add("十五位", 999999999999999.0, int64(1e15), 0.0)
	f.Fuzz(func(t *testing.T, s string, x float64, n int64, height float64) {
		if height < 0 || height > excelize.MaxRowHeight || math.IsNaN(height) {
			height = 0
		}
		rows := []sampleRow{{cells: []excelize.Cell{{Value: s}, {Value: x, StyleID: 1}, {Value: n}, {Value: s, StyleID: 2}}, height: height}}
		excelized, ours := writeBoth(t, rows)
		if !bytes.Equal(excelized, ours) {
			t.Fatalf("differ for %q, %v, %d, %v:\nexcelize: %q\nours:     %q", s, x, n, height, excelized, ours)
		}
	})
}

// TestPlainText checks plainText against its definition, on the awkward
// texts and each of their prefixes (which cut characters short).
func TestPlainText(t *testing.T) {
	want := func(s string) (plain, underscoreX bool) {
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\uFFFE\uFFFF") {
			return false, false
		}
		for i := 0; i < len(s); i++ {
			if s[i] < utf8.RuneSelf && asciiEscaped[s[i]] {
				return false, false
			}
		}
		return true, strings.Contains(s, "_x")
	}
	for _, text := range awkwardTexts[:len(awkwardTexts)-2] {
		for n := range len(text) + 1 {
			s := text[:n]
			p, x := plainText(s)
			if wp, wx := want(s); p != wp || x != wx {
				t.Errorf("plainText(%q) = %v, %v; want %v, %v", s, p, x, wp, wx)
			}
		}
	}
}
