package xlsxin

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sheetDump is every row with a value of one sheet.
type sheetDump struct {
	name string
	rows map[int][]string
}

// dump reads every sheet of a workbook.
func dump(wb *Workbook) ([]sheetDump, error) {
	var out []sheetDump
	for i, sh := range wb.Sheets() {
		d := sheetDump{name: sh.Name, rows: map[int][]string{}}
		if sh.Kind == Worksheet {
			rows, err := wb.Rows(i)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				if len(rows.Values()) > 0 {
					d.rows[rows.Num()] = slices.Clone(rows.Values())
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// dumpFile opens and dumps a workbook with the fast reader or the reference.
func dumpFile(path string, reference bool) (string, []sheetDump, error) {
	open := Open
	if reference {
		open = OpenReference
	}
	wb, err := open(path, Limits{MaxUnzipBytes: 1 << 30})
	if err != nil {
		return "", nil, err
	}
	defer wb.Close()
	d, err := dump(wb)
	return wb.Reader(), d, err
}

// difference describes how two dumps differ; "" when they are equal.
func difference(a, b []sheetDump) string {
	var out []string
	if len(a) != len(b) {
		return fmt.Sprintf("%d sheets against %d", len(a), len(b))
	}
	for i := range a {
		if a[i].name != b[i].name {
			out = append(out, fmt.Sprintf("sheet %d named %q against %q", i, a[i].name, b[i].name))
		}
		for num, row := range a[i].rows {
			if other, ok := b[i].rows[num]; !ok || !slices.Equal(row, other) {
				out = append(out, fmt.Sprintf("%s row %d: %q against %q", a[i].name, num, row, other))
			}
		}
		for num, row := range b[i].rows {
			if _, ok := a[i].rows[num]; !ok {
				out = append(out, fmt.Sprintf("%s row %d: missing against %q", a[i].name, num, row))
			}
		}
	}
	slices.Sort(out)
	if len(out) > 5 {
		out = append(out[:5], fmt.Sprintf("… %d differences", len(out)))
	}
	return strings.Join(out, "\n")
}

// producerFiles lists the committed producer fixtures.
func producerFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "ingest", "testdata", "producers", "*", "*.xlsx"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no producer fixtures: %v", err)
	}
	return files
}

// TestSameAsReference reads every producer fixture with both readers and
// requires the same sheets, rows and values.
func TestSameAsReference(t *testing.T) {
	for _, path := range producerFiles(t) {
		name := filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			reader, fast, err := dumpFile(path, false)
			if err != nil {
				t.Fatalf("fast reader: %v", err)
			}
			if reader != "fast" {
				t.Errorf("read by %s, want the fast reader", reader)
			}
			_, ref, err := dumpFile(path, true)
			if err != nil {
				t.Skipf("the reference reader cannot read it: %v", err)
			}
			if defect := referenceDefect(path); defect != "" {
				if difference(fast, ref) == "" {
					t.Errorf("excelize was expected to misread it (%s) but reads the same", defect)
				}
				t.Skipf("excelize misreads it: %s (TestAgainstOpenpyxl checks the fast reader)", defect)
			}
			if d := difference(fast, ref); d != "" {
				t.Errorf("fast reader against excelize:\n%s", d)
			}
		})
	}
}

// referenceDefect names the known excelize defect a workbook meets, or "".
// excelize reads shared strings from xl/sharedStrings.xml only: a workbook
// that keeps them elsewhere reads as blanks.
func referenceDefect(path string) string {
	wb, err := Open(path, Limits{})
	if err != nil {
		return ""
	}
	defer wb.Close()
	if wb.sstPart != "" && !strings.EqualFold(wb.sstPart, "xl/sharedStrings.xml") {
		return "shared strings in " + wb.sstPart
	}
	return ""
}

// TestCorpusSameAsReference does the same over the shared corpus when
// ASSESSOR_CORPUS points at it, and counts the outcomes.
func TestCorpusSameAsReference(t *testing.T) {
	root := os.Getenv("ASSESSOR_CORPUS")
	if root == "" {
		t.Skip("ASSESSOR_CORPUS not set")
	}
	files, _ := filepath.Glob(filepath.Join(root, "*", "*.xls*"))
	counts := map[string]int{}
	for _, path := range files {
		name := filepath.Base(path)
		reader, fast, ferr := dumpFile(path, false)
		_, ref, rerr := dumpFile(path, true)
		switch {
		case ferr != nil && rerr != nil:
			counts["both refuse"]++
			t.Logf("%s: both refuse: %v | excelize: %v", name, ferr, rerr)
		case ferr != nil:
			counts["fast refuses, excelize reads"]++
			t.Logf("%s: fast refuses: %v", name, ferr)
		case rerr != nil:
			counts["fast reads, excelize refuses"]++
			t.Logf("%s: read by %s; excelize refuses: %v", name, reader, rerr)
		case referenceDefect(path) != "":
			counts["excelize misreads it"]++
			t.Logf("%s: excelize misreads it: %s", name, referenceDefect(path))
		default:
			if d := difference(fast, ref); d != "" {
				counts["different"]++
				t.Errorf("%s: fast reader (%s) against excelize:\n%s", name, reader, d)
			} else {
				counts["same ("+reader+")"]++
			}
		}
	}
	t.Logf("%d files: %v", len(files), counts)
}
