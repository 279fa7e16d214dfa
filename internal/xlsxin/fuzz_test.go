package xlsxin

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// checkAgainstReference reads a workbook with both readers under a time
// limit. Neither may panic or hang; when both read it, their values must be
// equal. The fast reader may refuse what excelize reads (it reports what
// excelize passes over in silence), so a one-sided refusal is no failure.
func checkAgainstReference(t *testing.T, path string) (fast []sheetDump, ok bool) {
	t.Helper()
	type result struct {
		dump []sheetDump
		err  error
	}
	run := func(reference bool) result {
		done := make(chan result, 1)
		go func() {
			_, d, err := dumpFile(path, reference)
			done <- result{d, err}
		}()
		select {
		case r := <-done:
			return r
		case <-time.After(20 * time.Second):
			t.Fatalf("reading (reference %v) takes over 20 s", reference)
			return result{}
		}
	}
	f, ref := run(false), run(true)
	if f.err != nil || ref.err != nil {
		return f.dump, f.err == nil
	}
	if referenceDefect(path) == "" {
		if d := difference(f.dump, ref.dump); d != "" {
			t.Fatalf("fast reader against excelize:\n%s", d)
		}
	}
	return f.dump, true
}

// FuzzSheetXML puts arbitrary sheet data into a valid package and reads it
// with both readers.
func FuzzSheetXML(f *testing.F) {
	for _, rows := range []string{
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>42</v></c><c r="C1" s="1"><v>0.95</v></c></row>`,
		`<row><c><v>1</v></c><c/><c t="inlineStr"><is><r><t>a</t></r><rPh><t>b</t></rPh></is></c></row><row/>`,
		`<row r="2"><c r="B2" t="str"><f>A1</f><v>x&amp;y</v></c><c r="C2"><f>1</f><v></v></c><c r="D2" t="b"><v>1</v></c></row>`,
		`<x:row r="3" xmlns:x="u"><x:c r="A3" t="e"><x:v>#N/A</x:v></x:c></x:row>`,
		`<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a<b]]></t></is></c><c r="B1" t="s"><v>2</v></c></row>`,
		"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a\r\nb_x000D_</t></is></c></row>",
	} {
		f.Add(rows)
	}
	f.Fuzz(func(t *testing.T, rows string) {
		path := testPackage(t, rows, nil)
		if !wellFormed("<worksheet><sheetData>" + rows + "</sheetData></worksheet>") {
			// excelize stops silently at the first error of Go's XML
			// decoder: what it read is no reference. The fast reader must
			// still neither panic nor hang.
			dumpFile(path, false)
			return
		}
		checkAgainstReference(t, path)
	})
}

// wellFormed reports whether Go's XML decoder reads doc to its end.
func wellFormed(doc string) bool {
	dec := xml.NewDecoder(strings.NewReader(doc))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// FuzzGenerated builds a workbook from the fuzzer's bytes with excelize —
// texts with the characters writers escape, numbers, booleans, blanks, rows
// and columns with gaps, written cell by cell or streamed — and requires both
// readers to read back exactly what was written.
func FuzzGenerated(f *testing.F) {
	f.Add([]byte("平台\x01编号\n12.5\x0242\x03\x04 lead & <tail>\r\n\x05"), false)
	f.Add([]byte("_x000D_\x01-0\x021e300\x03TRUE\x04\t\x05\x06"), true)
	f.Fuzz(func(t *testing.T, data []byte, stream bool) {
		cells := generatedCells(data)
		path := filepath.Join(t.TempDir(), "g.xlsx")
		if err := writeGenerated(path, cells, stream); err != nil {
			t.Skip(err) // a value excelize will not write
		}
		dump, ok := checkAgainstReference(t, path)
		if !ok {
			t.Fatalf("the fast reader refuses a workbook excelize wrote")
		}
		for ref, want := range cells {
			col, row, _ := excelize.CellNameToCoordinates(ref)
			var got string
			if r := dump[0].rows[row]; col-1 < len(r) {
				got = r[col-1]
			}
			if got != want.read {
				t.Fatalf("%s: read %q, wrote %#v", ref, got, want.value)
			}
		}
	})
}

var escapeLike = regexp.MustCompile(`_[xX][0-9A-Fa-f]{4}_`)

// generatedCell is a value to write and the raw value it reads back as.
type generatedCell struct {
	value any
	read  string
}

// generatedCells turns bytes into cells: fields separated by bytes 1–6 move
// to the next column (1), skip a column (2), the next row (3), skip rows (4),
// or mark the field as a number (5) or a boolean (6).
func generatedCells(data []byte) map[string]generatedCell {
	cells := map[string]generatedCell{}
	col, row := 1, 1
	var field []byte
	kind := byte(0)
	flush := func() {
		defer func() { field, kind = field[:0], 0 }()
		text := string(field)
		ref, _ := excelize.CoordinatesToCellName(col, row)
		switch kind {
		case 5:
			n, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
			if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
				return
			}
			cells[ref] = generatedCell{n, strconv.FormatFloat(n, 'f', -1, 64)}
		case 6:
			b := len(text)%2 == 0
			cells[ref] = generatedCell{b, map[bool]string{true: "1", false: "0"}[b]}
		default:
			// Texts excelize cannot write faithfully are left out: one
			// that looks like an _xHHHH_ escape (excelize does not escape
			// its underscore) and characters XML cannot hold (written as
			// U+FFFD).
			if text != "" && validText(field) && !escapeLike.MatchString(text) {
				cells[ref] = generatedCell{text, text}
			}
		}
	}
	for _, c := range data {
		switch c {
		case 1, 2:
			flush()
			col += int(c)
		case 3, 4:
			flush()
			col, row = 1, row+int(c)-2
		case 5, 6:
			kind = c
		default:
			field = append(field, c)
		}
		if col > 50 || row > 200 {
			break
		}
	}
	flush()
	return cells
}

// writeGenerated writes the cells with excelize, cell by cell or streamed.
func writeGenerated(path string, cells map[string]generatedCell, stream bool) error {
	f := excelize.NewFile()
	defer f.Close()
	if !stream {
		for ref, c := range cells {
			if err := f.SetCellValue("Sheet1", ref, c.value); err != nil {
				return err
			}
		}
		return f.SaveAs(path)
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	byRow := map[int]map[int]any{}
	maxRow := 0
	for ref, c := range cells {
		col, row, _ := excelize.CellNameToCoordinates(ref)
		if byRow[row] == nil {
			byRow[row] = map[int]any{}
		}
		byRow[row][col] = c.value
		maxRow = max(maxRow, row)
	}
	for row := 1; row <= maxRow; row++ {
		if len(byRow[row]) == 0 {
			continue
		}
		width := 0
		for col := range byRow[row] {
			width = max(width, col)
		}
		vals := make([]any, width)
		for col, v := range byRow[row] {
			vals[col-1] = v
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", row), vals); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}
