package samples

import (
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// This file reads generated workbooks back the simple way a test can: raw cell
// values, the header in rows 3–4, data rows until the note row.

// sheetRows opens a workbook and returns the raw rows of its first sheet.
func sheetRows(t *testing.T, file string) (*excelize.File, string, [][]string) {
	t.Helper()
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatalf("open %s: %v", file, err)
	}
	t.Cleanup(func() { f.Close() })
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("rows of %s: %v", file, err)
	}
	return f, sheet, rows
}

// at returns a row's cell, "" beyond its end.
func at(row []string, c int) string {
	if c < len(row) {
		return row[c]
	}
	return ""
}

// reportRow is one data row read back: the platform id and its values in the
// configured units (NaN where the cell is empty or unreadable).
type reportRow struct {
	sheetRow int // 1-based
	id, year string
	values   []float64
	cells    []string // the raw indicator cells
}

// readReport reads an annual report file back.
func readReport(t *testing.T, file string, prog programme) (rows []reportRow, header []string, foot []string) {
	t.Helper()
	_, _, raw := sheetRows(t, file)
	header = raw[labelRow-1]
	for r := firstDataRow - 1; r < len(raw); r++ {
		row := raw[r]
		first := strings.TrimSpace(strings.Join(row, ""))
		switch {
		case first == "":
			continue
		case strings.HasPrefix(at(row, 0), "注") || strings.HasPrefix(at(row, 0), "填表"):
			foot = append(foot, at(row, 0))
			continue
		case at(row, 1) == "合计":
			continue
		}
		rr := reportRow{sheetRow: r + 1, id: at(row, 1), year: at(row, 3)}
		for j := range indicatorsOf(prog) {
			c := baseCols + j
			x := parseNumber(at(row, c))
			switch {
			case strings.HasSuffix(at(header, c), "（元）"):
				x /= 10000
			case strings.HasSuffix(at(header, c), "（亿元）"):
				x *= 10000
			}
			rr.values = append(rr.values, x)
			rr.cells = append(rr.cells, at(row, c))
		}
		rows = append(rows, rr)
	}
	return rows, header, foot
}

// wellGrouped is a number with correct thousands separators.
var wellGrouped = regexp.MustCompile(`^-?\d{1,3}(,\d{3})*(\.\d+)?$`)

// parseNumber reads a raw cell as a number: true numbers, "1,234.56", "95%";
// anything else is NaN.
func parseNumber(s string) float64 {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	if strings.Contains(s, ",") {
		if !wellGrouped.MatchString(s) {
			return math.NaN()
		}
		s = strings.ReplaceAll(s, ",", "")
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return x
}

// registerEntry is a platform as the register lists it.
type registerEntry struct {
	id, category, subtype string
}

// readRegister reads the register back: its entries by id, in order.
func readRegister(t *testing.T, file string) ([]registerEntry, [][]string) {
	t.Helper()
	_, _, raw := sheetRows(t, file)
	var out []registerEntry
	for r := registerHeaderRow; r < len(raw); r++ {
		row := raw[r]
		if at(row, 1) == "" {
			continue
		}
		out = append(out, registerEntry{id: at(row, 1), category: at(row, 3), subtype: at(row, 4)})
	}
	return out, raw
}

// grade is a programme's grade of a score, by the default cut-offs.
func grade(prog programme, s float64) string {
	switch {
	case s >= 85 && prog != progEnclave:
		return "优秀"
	case s >= 75 && prog == progTIC:
		return "良好"
	case s >= 60:
		return "合格"
	}
	return "不合格"
}

// yearScores reads the three report files of year y and scores every row.
func yearScores(t *testing.T, dir string, y int, subs map[string]subtype) [numProgrammes]map[string]float64 {
	t.Helper()
	var out [numProgrammes]map[string]float64
	for prog := range numProgrammes {
		rows, _, _ := readReport(t, filepath.Join(dir, filepath.FromSlash(reportFileName(prog, y))), prog)
		out[prog] = map[string]float64{}
		for _, r := range rows {
			v := slices.Clone(r.values)
			for i := range v {
				if math.IsNaN(v[i]) || v[i] < 0 {
					v[i] = 0 // unreadable or negative values earn nothing here
				}
			}
			out[prog][r.id] = scoreOf(prog, subs[r.id], v)
		}
	}
	return out
}

// listFiles lists the files under dir as slash paths relative to dir.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		files = append(files, path.Clean(filepath.ToSlash(rel)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

// readTable reads a plain table back (title row, header in row 2, data, note
// rows): the header, the data rows with their sheet rows, and the notes.
func readTable(t *testing.T, file string) (f *excelize.File, header []string, rows [][]string, rowNums []int, notes []string) {
	t.Helper()
	f, _, raw := sheetRows(t, file)
	header = raw[tableHeaderRow-1]
	for r := tableHeaderRow; r < len(raw); r++ {
		row := raw[r]
		switch {
		case strings.HasPrefix(at(row, 0), "注"):
			notes = append(notes, at(row, 0))
		case strings.Join(row, "") != "":
			rows = append(rows, row)
			rowNums = append(rowNums, r+1)
		}
	}
	return f, header, rows, rowNums, notes
}
