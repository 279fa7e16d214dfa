package xlsxin

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// openpyxlDump is what ingest/testdata/producers/dump_cells.py writes: every
// non-empty cell of a workbook as Debian's python3-openpyxl reads it.
type openpyxlDump struct {
	Date1904 bool `json:"date1904"`
	Sheets   []struct {
		Name   string                  `json:"name"`
		Merges []string                `json:"merges"`
		Cells  map[string]openpyxlCell `json:"cells"`
	} `json:"sheets"`
}

type openpyxlCell struct {
	V   any    `json:"v"`
	T   string `json:"t"`
	Fmt string `json:"fmt"`
}

func readDump(t *testing.T, path string) *openpyxlDump {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.UseNumber()
	var d openpyxlDump
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &d
}

// againstOpenpyxl compares what the reader reads of a workbook with
// openpyxl's dump of it, cell by cell, by the type openpyxl gives: texts
// equal (openpyxl leaves _xHHHH_ escapes as written), numbers equal as
// numbers, booleans, errors, and dates and times equal to the millisecond —
// the reader's serial with a date format converted in the workbook's date
// system — and the number formats and merged ranges equal. It returns the
// differences.
func againstOpenpyxl(wb *Workbook, d *openpyxlDump) ([]string, error) {
	var diffs []string
	if wb.Date1904() != d.Date1904 {
		diffs = append(diffs, fmt.Sprintf("date1904 %v against %v", wb.Date1904(), d.Date1904))
	}
	for _, ds := range d.Sheets {
		i := slices.IndexFunc(wb.Sheets(), func(s Sheet) bool { return s.Name == ds.Name })
		if i < 0 {
			diffs = append(diffs, fmt.Sprintf("no sheet %q", ds.Name))
			continue
		}
		seen := map[string]bool{}
		rows, err := wb.Rows(i)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			for c, v := range rows.Values() {
				if v == "" {
					continue
				}
				ref := CellName(c, rows.Num())
				seen[ref] = true
				want, ok := ds.Cells[ref]
				if !ok {
					diffs = append(diffs, fmt.Sprintf("%s!%s: %q, openpyxl has nothing", ds.Name, ref, v))
					continue
				}
				nf, err := wb.NumFmt(rows.Styles()[c])
				if err != nil {
					return nil, err
				}
				if why := sameCell(v, rows.Types()[c], nf, wb.Date1904(), want); why != "" {
					diffs = append(diffs, fmt.Sprintf("%s!%s: %s", ds.Name, ref, why))
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for ref, c := range ds.Cells {
			if !seen[ref] && !(c.T == "s" && c.V == "") { // an empty text is no value
				diffs = append(diffs, fmt.Sprintf("%s!%s: nothing, openpyxl has %v", ds.Name, ref, c.V))
			}
		}
		merges, err := wb.Merges(i)
		if err != nil {
			return nil, err
		}
		var got []string
		for _, m := range merges {
			got = append(got, CellName(m.FromCol, m.FromRow)+":"+CellName(m.ToCol, m.ToRow))
		}
		slices.Sort(got)
		want := slices.Clone(ds.Merges)
		slices.Sort(want)
		if len(got)+len(want) > 0 && !slices.Equal(got, want) {
			diffs = append(diffs, fmt.Sprintf("%s: merges %v against %v", ds.Name, got, want))
		}
	}
	slices.Sort(diffs)
	return diffs, nil
}

// sameCell compares one value with openpyxl's; "" when they agree.
func sameCell(v string, typ CellType, nf NumFmt, date1904 bool, want openpyxlCell) string {
	if want.Fmt != "" && want.Fmt != nf.Code {
		return fmt.Sprintf("format %q against %q", nf.Code, want.Fmt)
	}
	switch want.T {
	case "s", "e":
		w, _ := want.V.(string)
		if v == w || v == unescape(w) {
			return ""
		}
	case "b":
		w, _ := want.V.(bool)
		if (v == "1" || strings.EqualFold(v, "true")) == w {
			return ""
		}
	case "n":
		w, _ := strconv.ParseFloat(fmt.Sprint(want.V), 64)
		got, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err == nil && (got == w || math.Abs(got*86400-w) < 1e-3 && nf.Kind() == FormatTime) {
			return "" // a duration ([h]:mm:ss) is a number of seconds in openpyxl
		}
	case "d":
		w, _ := want.V.(string)
		if sameTime(v, typ, date1904, w) {
			return ""
		}
	}
	return fmt.Sprintf("%q (type %d, format %q) against %s %v", v, typ, nf.Code, want.T, want.V)
}

// sameTime compares a date or time cell with openpyxl's ISO text.
func sameTime(v string, typ CellType, date1904 bool, iso string) bool {
	if v == iso {
		return true
	}
	var got time.Time
	if typ == TypeDate {
		t, ok := parseISO(v)
		if !ok {
			return false
		}
		got = t
	} else {
		n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return false
		}
		if !strings.Contains(iso, "-") { // a time of day: openpyxl gives no date
			w, ok := parseISO("1899-12-30T" + iso)
			return ok && math.Abs((n-math.Floor(n))*86400e3-float64(w.Sub(epoch1900).Milliseconds())) < 1
		}
		t, ok := SerialTime(n, date1904)
		if !ok && n < 0 && !date1904 {
			// Excel has no dates before 1900; openpyxl counts back from
			// its epoch anyway.
			t, ok = epoch1900.Add(time.Duration(math.Round(n*86400e3))*time.Millisecond), true
		}
		if !ok {
			return false
		}
		got = t
	}
	want, ok := parseISO(iso)
	return ok && got.Sub(want).Abs() < time.Millisecond
}

// parseISO reads the ISO 8601 forms writers and openpyxl use.
func parseISO(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// TestAgainstOpenpyxl checks every producer fixture that openpyxl opened
// against its committed dump.
func TestAgainstOpenpyxl(t *testing.T) {
	checked := 0
	for _, path := range producerFiles(t) {
		dumpPath := path + ".cells.json"
		if _, err := os.Stat(dumpPath); err != nil {
			continue
		}
		checked++
		name := filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			wb, err := Open(path, Limits{MaxUnzipBytes: 1 << 30})
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			diffs, err := againstOpenpyxl(wb, readDump(t, dumpPath))
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range diffs {
				t.Error(d)
			}
		})
	}
	if checked < 60 {
		t.Errorf("only %d fixtures have an openpyxl dump", checked)
	}
}

// TestCorpusAgainstOpenpyxl reads the shared corpus (ASSESSOR_CORPUS) with
// the reader and with Debian's python3-openpyxl, when both are at hand, and
// compares every workbook both open. Parts over 64 MB are left out of the
// comparison (openpyxl takes minutes on them); the differential test against
// excelize covers them.
func TestCorpusAgainstOpenpyxl(t *testing.T) {
	root := os.Getenv("ASSESSOR_CORPUS")
	if root == "" {
		t.Skip("ASSESSOR_CORPUS not set")
	}
	python := "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import openpyxl").Run(); err != nil {
		t.Skip("python3-openpyxl not installed")
	}
	files, _ := filepath.Glob(filepath.Join(root, "*", "*.xls*"))
	tmp := t.TempDir()
	var copies []string
	for _, path := range files {
		if wb, err := Open(path, Limits{MaxUnzipBytes: 64 << 20}); errors.Is(err, ErrTooLarge) {
			t.Logf("%s: not compared, over 64 MB uncompressed", filepath.Base(path))
			continue
		} else if err == nil {
			wb.Close()
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(tmp, filepath.Base(path))
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
		copies = append(copies, dst)
	}
	script, _ := filepath.Abs(filepath.Join("..", "..", "ingest", "testdata", "producers", "dump_cells.py"))
	out, _ := exec.Command(python, append([]string{script}, copies...)...).CombinedOutput()
	t.Logf("openpyxl: %s", firstLines(string(out), 3))
	counts := map[string]int{}
	for _, path := range copies {
		name := filepath.Base(path)
		wb, err := Open(path, Limits{MaxUnzipBytes: 64 << 20})
		_, dumpErr := os.Stat(path + ".cells.json")
		switch {
		case err != nil && dumpErr != nil:
			counts["both refuse"]++
			continue
		case err != nil:
			counts["reader refuses, openpyxl reads"]++
			t.Logf("%s: the reader refuses, openpyxl reads it: %v", name, err)
			continue
		case dumpErr != nil:
			counts["reader reads, openpyxl refuses"]++
			wb.Close()
			continue
		}
		diffs, err := againstOpenpyxl(wb, readDump(t, path+".cells.json"))
		wb.Close()
		switch {
		case err != nil:
			counts["reader refuses a sheet, openpyxl reads"]++
			t.Logf("%s: %v", name, err)
		case len(diffs) > 0:
			counts["different"]++
			t.Errorf("%s: %d differences:\n%s", name, len(diffs), firstLines(strings.Join(diffs, "\n"), 8))
		default:
			counts["same"]++
		}
	}
	t.Logf("%d files compared with openpyxl: %v", len(copies), counts)
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("… %d lines", len(lines)))
	}
	return strings.Join(lines, "\n")
}
