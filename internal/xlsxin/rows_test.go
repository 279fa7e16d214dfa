package xlsxin

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testPackage writes a workbook package with one worksheet whose sheetData
// holds rows, three shared strings ("甲", "乙", "丙") and three cell styles
// (General, 0%, yyyy-mm-dd).
func testPackage(t testing.TB, rows string, extra map[string]string) string {
	t.Helper()
	parts := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
		"xl/sharedStrings.xml":       `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>甲</t></si><si><r><rPr><b/></rPr><t>乙</t></r><r><t xml:space="preserve"> 二</t></r><rPh sb="0" eb="1"><t>オツ</t></rPh></si><si><t>丙_x000D_</t></si></sst>`,
		"xl/styles.xml":              `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts><cellStyleXfs count="1"><xf numFmtId="10"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="164"/></cellXfs></styleSheet>`,
		"xl/worksheets/sheet1.xml": `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C3"/><sheetData>` +
			rows + `</sheetData><mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells></worksheet>`,
	}
	for name, data := range extra {
		parts[name] = data
	}
	path := filepath.Join(t.TempDir(), "t.xlsx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, data := range parts {
		if data == "" {
			continue // a part left out
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// readRows reads the first sheet of a workbook as lines "row: value|value",
// each value with its type and style when they are not the plain ones, and
// the uncomputed formulas.
func readRows(path string) (string, error) {
	wb, err := Open(path, Limits{MaxUnzipBytes: 1 << 20})
	if err != nil {
		return "", err
	}
	defer wb.Close()
	rows, err := wb.Rows(0)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var cells []string
		for c, v := range rows.Values() {
			s := v
			if typ := rows.Types()[c]; typ != TypeNumber && typ != TypeSharedString && typ != TypeEmpty {
				s += fmt.Sprintf("(t%d)", typ)
			}
			if st := rows.Styles()[c]; st != 0 {
				nf, _ := wb.NumFmt(st)
				s += "[" + nf.Code + "]"
			}
			cells = append(cells, s)
		}
		fmt.Fprintf(&b, "%d: %s", rows.Num(), strings.Join(cells, "|"))
		for _, f := range rows.Uncomputed() {
			fmt.Fprintf(&b, " {%s=%s}", ColumnName(f.Col), f.Text)
		}
		b.WriteString("\n")
	}
	return b.String(), rows.Err()
}

func TestRows(t *testing.T) {
	tests := []struct {
		name, rows, want string
		err              error
	}{
		{name: "types and styles", rows: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>42</v></c><c r="C1" s="1"><v>0.95</v></c></row>` +
			`<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="e"><v>#DIV/0!</v></c><c r="C3" t="d" s="2"><v>2023-12-29T00:00:00</v></c><c r="D3" s="2"><v>45289</v></c></row>`,
			want: "1: 甲|42|0.95[0%]\n3: 1(t5)|#DIV/0!(t6)|2023-12-29T00:00:00(t7)[yyyy\\-mm\\-dd]|45289[yyyy\\-mm\\-dd]\n"},
		{name: "rich text without its phonetic run, escapes decoded", rows: `<row r="1"><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v> 2 </v></c></row>`,
			want: "1: |乙 二|丙\r\n"},
		{name: "inline strings", rows: `<row r="1"><c r="A1" t="inlineStr"><is><t>内联</t></is></c><c r="B1" t="inlineStr"><is><r><t>a</t></r><r><t>b_x0009_</t></r></is></c><c r="C1" t="inlineStr"><is><t></t></is></c></row>`,
			want: "1: 内联(t3)|ab\t(t3)\n"},
		{name: "no r attributes", rows: `<row><c><v>1</v></c><c/><c><v>3</v></c></row><row/><row><c t="s"><v>0</v></c></row>`,
			want: "1: 1||3\n2: \n3: 甲\n"},
		{name: "r on some cells only", rows: `<row r="2"><c r="B2"><v>1</v></c><c><v>2</v></c><c r="E2"><v>5</v></c></row>`,
			want: "2: |1|2||5\n"},
		{name: "formulas: cached, text result, saved without result", rows: `<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>A1&amp;"x"</f><v>2x</v></c>` +
			`<c r="C1" t="str"><f>""</f><v></v></c><c r="D1"><f>SUM(A1:B1)</f><v></v></c><c r="E1" t="str"><f>A1</f></c><c r="F1"><f t="shared" si="0"/></c></row>`,
			want: "1: 2|2x(t4)|||| {D=SUM(A1:B1)} {E=A1} {F=}\n"},
		{name: "empty and styled-only cells do not lengthen a row", rows: `<row r="1"><c r="A1"><v>1</v></c><c r="B1" s="1"/><c r="C1" t="s"></c><c r="D1"><v></v></c></row>`,
			want: "1: 1\n"},
		{name: "prefixes and unknown elements", rows: `<x:row r="1" xmlns:x="u"><x:c r="A1"><x:v>7</x:v><x:extLst><x:ext><x:v>9</x:v></x:ext></x:extLst></x:c></x:row><extLst/>`,
			want: "1: 7\n"},
		{name: "whitespace kept in values", rows: `<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">  x  </t></is></c><c r="B1"><v> 5 </v></c></row>`,
			want: "1:   x  (t3)| 5 \n"},
		{name: "last row and column", rows: `<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`,
			want: "1048576: " + strings.Repeat("|", MaxColumns-1) + "1\n"},
		{name: "row past the limit", rows: `<row r="1048577"><c><v>1</v></c></row>`, err: ErrRowLimit},
		{name: "absurd row number", rows: `<row r="1"/><row r="231999999999940"/>`, err: ErrRowLimit},
		{name: "row number zero", rows: `<row r="0"/>`, err: ErrBadReference},
		{name: "row number not a number", rows: `<row r="abc"/>`, err: ErrBadReference},
		{name: "rows out of order", rows: `<row r="3"/><row r="2"/>`, err: ErrOrder},
		{name: "row twice", rows: `<row r="3"/><row r="3"/>`, err: ErrOrder},
		{name: "cells out of order", rows: `<row r="1"><c r="C1"><v>1</v></c><c r="A1"><v>1</v></c></row>`, err: ErrOrder},
		{name: "column past XFD", rows: `<row r="1"><c r="XFE1"><v>1</v></c></row>`, err: ErrBadReference},
		{name: "bad cell reference", rows: `<row r="1"><c r="1A"><v>1</v></c></row>`, err: ErrBadReference},
		{name: "shared string past the end", rows: `<row r="1"><c t="s"><v>3</v></c></row>`, err: ErrSharedString},
		{name: "shared string index not a number", rows: `<row r="1"><c t="s"><v>abc</v></c></row>`, err: ErrSharedString},
		{name: "negative style", rows: `<row r="1"><c s="-1"><v>1</v></c></row>`, err: ErrMalformed},
		{name: "element inside a value", rows: `<row r="1"><c><v>1<b/></v></c></row>`, err: ErrMalformed},
		{name: "bad XML in a value", rows: `<row r="1"><c><v>1 &bogus; 2</v></c></row>`, err: ErrMalformed},
		{name: "two values in a cell", rows: `<row r="1"><c r="B1"><v>42</v>x<v>0.95</v></c></row>`, err: ErrMalformed},
		{name: "two formulas in a cell", rows: `<row r="1"><c r="B1"><f>A1</f><f>A2</f><v>1</v></c></row>`, err: ErrMalformed},
		{name: "two inline strings in a cell", rows: `<row r="1"><c r="B1" t="inlineStr"><is><t>a</t></is><is><t>b</t></is></c></row>`, err: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readRows(testPackage(t, tt.rows, nil))
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("error %v, want %v; rows:\n%s", err, tt.err, got)
				}
				var xe *Error
				if !errors.As(err, &xe) || xe.Part != "xl/worksheets/sheet1.xml" {
					t.Errorf("error %v does not name its part", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("rows:\n%q\nwant:\n%q", got, tt.want)
			}
		})
	}
}

// TestSheetCutShort reads a worksheet part that ends inside its data.
func TestSheetCutShort(t *testing.T) {
	path := testPackage(t, "", map[string]string{
		"xl/worksheets/sheet1.xml": `<worksheet><sheetData><row r="1"><c><v>1</v></c></row><row r="2"><c><v>2`,
	})
	got, err := readRows(path)
	if !errors.Is(err, ErrMalformed) || got != "1: 1\n" {
		t.Fatalf("rows %q, error %v; want row 1, then an error", got, err)
	}
}

func TestOpenRefusals(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, err := os.ReadFile(testPackage(t, `<row r="1"><c><v>1</v></c></row>`, nil))
	if err != nil {
		t.Fatal(err)
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...)
	tests := []struct {
		name string
		path string
		want error
	}{
		{"empty", write("empty.xlsx", nil), ErrEmpty},
		{"encrypted", write("enc.xlsx", append(append([]byte(nil), ole...), encryptedPackage...)), ErrEncrypted},
		{"old binary", write("old.xlsx", ole), ErrLegacy},
		{"text", write("text.xlsx", []byte("平台编号,平台名称\n")), ErrNotZip},
		{"truncated", write("cut.xlsx", good[:len(good)/2]), ErrCorrupt},
		{"no workbook", testPackage(t, "", map[string]string{"xl/workbook.xml": "", "_rels/.rels": ""}), ErrMissing},
		{"no sheets", testPackage(t, "", map[string]string{"xl/workbook.xml": `<workbook><sheets/></workbook>`}), ErrNoSheets},
		{"xlsb", testPackage(t, "", map[string]string{
			"_rels/.rels":     `<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>`,
			"xl/workbook.bin": "\x83\x01\x00"}), ErrBinary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wb, err := Open(tt.path, Limits{MaxUnzipBytes: 1 << 20})
			if err == nil {
				wb.Close()
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Open: %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := Open(testPackage(t, "", nil), Limits{MaxUnzipBytes: 100}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the size cap: %v", err)
	}
	// A worksheet the workbook names but the package lacks.
	wb, err := Open(testPackage(t, "", map[string]string{"xl/worksheets/sheet1.xml": ""}), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if _, err := wb.Rows(0); !errors.Is(err, ErrMissing) {
		t.Errorf("missing worksheet: %v", err)
	}
}

// TestFallbackToReference opens a package the fast reader leaves to excelize:
// a worksheet in GBK, as an old system might write it.
func TestFallbackToReference(t *testing.T) {
	// 甲 and 乙 in GBK.
	sheet := "<?xml version=\"1.0\" encoding=\"GBK\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" +
		"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>\xbc\xd7\xd2\xd2</t></is></c><c r=\"B1\" t=\"s\"><v>0</v></c><c r=\"C1\"><v>2</v></c></row></sheetData></worksheet>"
	path := testPackage(t, "", map[string]string{"xl/worksheets/sheet1.xml": sheet})
	wb, err := Open(path, Limits{MaxUnzipBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	reader := wb.Reader()
	wb.Close()
	got, err := readRows(path)
	if reader != "excelize" || err != nil || got != "1: 甲乙(t3)|甲|2\n" {
		t.Errorf("read by %s: %q, %v", reader, got, err)
	}
}

func TestMerges(t *testing.T) {
	wb, err := Open(testPackage(t, `<row r="1"><c><v>1</v></c></row>`, nil), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	got, err := wb.Merges(0)
	if err != nil || len(got) != 1 || got[0] != (Range{FromCol: 0, FromRow: 1, ToCol: 2, ToRow: 1}) {
		t.Errorf("merges %v, %v", got, err)
	}
}

func TestColumnName(t *testing.T) {
	for col, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA", MaxColumns - 1: "XFD"} {
		if got := ColumnName(col); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", col, got, want)
		}
		if c, ok := columnOf([]byte(want + "1")); !ok || c != col {
			t.Errorf("columnOf(%s1) = %d, %v", want, c, ok)
		}
	}
}

// TestBadPartFailsEveryUse: a shared strings or styles part that fails to
// read fails the first use and every later one, rather than reading as empty
// the second time.
func TestBadPartFailsEveryUse(t *testing.T) {
	bad := `<?xml version="1.0" encoding="UTF-8"?><x xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>甲</t></sx></x>`
	row := `<row r="1"><c r="A1" t="s" s="1"><v>0</v></c></row>`
	for _, part := range []string{"xl/sharedStrings.xml", "xl/styles.xml"} {
		t.Run(part, func(t *testing.T) {
			wb, err := Open(testPackage(t, row, map[string]string{part: bad}), Limits{MaxUnzipBytes: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			for try := range 2 {
				if part == "xl/styles.xml" {
					_, err = wb.NumFmt(1)
				} else {
					var rows *Rows
					if rows, err = wb.Rows(0); err == nil {
						rows.Close()
					}
				}
				if !errors.Is(err, ErrMalformed) {
					t.Errorf("use %d: err = %v, want malformed XML", try+1, err)
				}
			}
		})
	}
}

// TestRowAllocations: reading a row allocates once at most (its values'
// string), however many cells and tokens it has.
func TestRowAllocations(t *testing.T) {
	var rows strings.Builder
	for r := 1; r <= 300; r++ {
		fmt.Fprintf(&rows, `<row r="%d" spans="1:6"><c r="A%d" t="s"><v>0</v></c><c r="B%d" s="1"><v>%d.5</v></c>`+
			`<c r="C%d" t="inlineStr"><is><t>乙%d</t></is></c><c r="D%d"><f>B%d*2</f><v>%d</v></c><c r="E%d" t="b"><v>1</v></c>`+
			`<c r="F%d" t="str"><v>文本 &amp; %d</v></c></row>`, r, r, r, r, r, r, r, r, 2*r+1, r, r, r)
	}
	wb, err := Open(testPackage(t, rows.String(), nil), Limits{MaxUnzipBytes: 1 << 24})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rs, err := wb.Rows(0)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	for range 5 { // buffers grown to their size
		rs.Next()
	}
	allocs := testing.AllocsPerRun(200, func() {
		if !rs.Next() {
			t.Fatal("rows ran out")
		}
	})
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	if allocs > 1 {
		t.Errorf("%.1f allocations a row, want at most 1", allocs)
	}
}

// TestPackageVariants: the package forms the package doc promises to read —
// backslashed part names and targets, strict OOXML, a document type
// declaration — give the same cells, read fast or by the reference reader as
// documented; a hidden sheet says so. A package whose relationships name no
// workbook, which excelize cannot read either, is refused as damaged with
// that cause.
func TestPackageVariants(t *testing.T) {
	const row = `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row>`
	base := testPackage(t, row, nil)
	part := func(name string) string {
		zr, err := zip.OpenReader(base)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if f.Name == name {
				rc, _ := f.Open()
				defer rc.Close()
				b, _ := io.ReadAll(rc)
				return string(b)
			}
		}
		t.Fatalf("no part %s", name)
		return ""
	}
	wbRels, workbook, sheet := part("xl/_rels/workbook.xml.rels"), part("xl/workbook.xml"), part("xl/worksheets/sheet1.xml")
	strict := func(s string) string {
		s = strings.ReplaceAll(s, "http://schemas.openxmlformats.org/officeDocument/2006/relationships", "http://purl.oclc.org/ooxml/officeDocument/relationships")
		return strings.ReplaceAll(s, "http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
	}
	tests := []struct {
		name   string
		parts  map[string]string
		reader string
		hidden bool
	}{
		{"plain", nil, "fast", false},
		{"backslashed targets", map[string]string{"xl/_rels/workbook.xml.rels": strings.ReplaceAll(wbRels, "worksheets/sheet1.xml", `worksheets\sheet1.xml`)}, "fast", false},
		{"backslashed part name", map[string]string{"xl/worksheets/sheet1.xml": "", `xl\worksheets\sheet1.xml`: sheet}, "fast", false},
		{"strict OOXML", map[string]string{
			"_rels/.rels":                strict(part("_rels/.rels")),
			"xl/_rels/workbook.xml.rels": strict(wbRels),
			"xl/workbook.xml":            strict(workbook),
			"xl/worksheets/sheet1.xml":   strict(sheet),
			"xl/sharedStrings.xml":       strict(part("xl/sharedStrings.xml")),
			"xl/styles.xml":              strict(part("xl/styles.xml")),
		}, "fast", false},
		{"document type declaration", map[string]string{"xl/worksheets/sheet1.xml": strings.Replace(sheet, "<worksheet ", "<!DOCTYPE worksheet><worksheet ", 1)}, "excelize", false},
		{"hidden sheet", map[string]string{"xl/workbook.xml": strings.Replace(workbook, `sheetId="1"`, `sheetId="1" state="hidden"`, 1)}, "fast", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := testPackage(t, row, tt.parts)
			wb, err := Open(path, Limits{MaxUnzipBytes: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			reader, sheets := wb.Reader(), wb.Sheets()
			wb.Close()
			got, err := readRows(path)
			if err != nil || got != "1: 甲|2\n" {
				t.Errorf("read %q, %v; want 1: 甲|2", got, err)
			}
			if reader != tt.reader {
				t.Errorf("read by %s, want %s", reader, tt.reader)
			}
			if len(sheets) != 1 || sheets[0].Hidden != tt.hidden {
				t.Errorf("sheets %+v, want one, hidden %v", sheets, tt.hidden)
			}
		})
	}
	for _, rels := range []string{"", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>`} {
		_, err := Open(testPackage(t, row, map[string]string{"_rels/.rels": rels}), Limits{MaxUnzipBytes: 1 << 20})
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "no workbook part named by the package relationships") {
			t.Errorf("package relationships %q: err = %v, want damaged, naming the relationships", rels, err)
		}
	}
}
