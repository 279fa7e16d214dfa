package job

import (
	"context"
	"crypto/sha256"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/rs/zerolog"
	"github.com/xuri/excelize/v2"

	"assessor/config"
	"assessor/report"
)

// samplesDir is the committed sample set.
var samplesDir = filepath.Join("..", "..", "samples", "data")

const sampleYear = 2025

func runSamples(t *testing.T, out string) *Summary {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s, err := Run(context.Background(), Options{Config: cfg, Year: sampleYear, In: samplesDir, Out: out,
		Version: "test", Log: zerolog.Nop(), Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// inputRow is a report row as the independent reader sees it.
type inputRow struct {
	values map[string]float64
	valid  bool // every scored value present and a number
}

// plainNumber is a number as the samples write it: digits with or without
// correct thousands grouping, an optional fraction, an optional percent sign.
var plainNumber = regexp.MustCompile(`^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$`)

// unitSuffix is a unit in full-width brackets at the end of a header.
var unitSuffix = regexp.MustCompile(`（(元|万元|亿元|平方米|人|个|家|项|件|月|%)）$`)

// readInputs reads the year's report rows of every sample workbook the plain
// way — excelize GetRows, header names looked up in the configuration's names
// and aliases, commas stripped — independently of package ingest. It returns
// programme → id → rows.
func readInputs(t *testing.T, cfg *config.Config) map[string]map[string][]inputRow {
	t.Helper()
	out := map[string]map[string][]inputRow{}
	files, _ := filepath.Glob(filepath.Join(samplesDir, strconv.Itoa(sampleYear), "*.xlsx"))
	if len(files) != 3 {
		t.Fatalf("%d sample files for %d, want 3", len(files), sampleYear)
	}
	for _, path := range files {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetList()[0])
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		// The samples use a two-row header: base columns in the upper row,
		// indicator names in the lower one.
		h := -1
		for i, r := range rows {
			for _, c := range r {
				if c == "平台编号" {
					h = i
				}
			}
			if h >= 0 {
				break
			}
		}
		names := map[int]string{}
		factors := map[int]float64{}
		for c := 0; c < len(rows[h]) || c < len(rows[h+1]); c++ {
			text := cell(rows[h+1], c)
			if text == "" {
				text = cell(rows[h], c)
			}
			factors[c] = 1
			if m := unitSuffix.FindStringSubmatch(text); m != nil {
				text = strings.TrimSuffix(text, m[0])
				switch m[1] {
				case "元":
					factors[c] = 1e-4
				case "亿元":
					factors[c] = 1e4
				}
			}
			names[c] = text
		}
		prog, cols := matchProgramme(cfg, names)
		if prog == "" {
			t.Fatalf("%s: no programme matches the header %v", path, names)
		}
		if out[prog] == nil {
			out[prog] = map[string][]inputRow{}
		}
		p := cfg.Programmes[prog]
		for _, r := range rows[h+2:] {
			id := cell(r, cols["id"])
			if !strings.Contains(id, "-") || cell(r, cols["year"]) == "" {
				continue // notes, totals, blank rows
			}
			in := inputRow{values: map[string]float64{}, valid: true}
			for _, ind := range p.Inputs() {
				c, ok := cols[ind.Key]
				raw := cell(r, c)
				if !ok || raw == "" {
					in.valid = in.valid && !ind.Required
					continue
				}
				v, err := strconv.ParseFloat(strings.TrimSuffix(strings.ReplaceAll(raw, ",", ""), "%"), 64)
				if !plainNumber.MatchString(raw) || err != nil || v < 0 || ind.Kind == config.KindCount && v != math.Trunc(v) {
					in.valid = false // a bad value anywhere refuses the row
					continue
				}
				in.values[ind.Key] = v * factors[c]
			}
			out[prog][id] = append(out[prog][id], in)
		}
	}
	return out
}

func cell(r []string, c int) string {
	if c < len(r) {
		return strings.TrimSpace(r[c])
	}
	return ""
}

// matchProgramme finds the programme whose required indicators all appear in
// the header, and the column of each key.
func matchProgramme(cfg *config.Config, names map[int]string) (string, map[string]int) {
	for _, key := range cfg.ProgrammeKeys() {
		cols := map[string]int{}
		for c, n := range names {
			switch n {
			case "平台编号":
				cols["id"] = c
			case "年度":
				cols["year"] = c
			}
			for _, ind := range cfg.Programmes[key].Inputs() {
				for _, alias := range append([]string{ind.Name}, ind.Aliases...) {
					if n == alias {
						cols[ind.Key] = c
					}
				}
			}
		}
		complete := true
		for _, ind := range cfg.Programmes[key].Inputs() {
			if _, ok := cols[ind.Key]; !ok && ind.Required {
				complete = false
			}
		}
		if complete {
			return key, cols
		}
	}
	return "", nil
}

// independentScore recomputes a score from the published weights and targets,
// with the demo-zone shares derived by hand.
func independentScore(p *config.Programme, subtype string, v map[string]float64) float64 {
	if p.Key() == "demo_zone" {
		if v["park_firms"] > 0 {
			v["hitech_firm_share"] = v["hitech_firms"] / v["park_firms"] * 100
		}
		if v["park_gdp"] > 0 {
			v["rd_intensity"] = v["rd_spend"] / v["park_gdp"] * 100
		}
		if v["park_revenue"] > 0 {
			v["hitech_revenue_share"] = v["hitech_revenue"] / v["park_revenue"] * 100
		}
	}
	total := 0.0
	for _, ind := range p.Indicators {
		target := ind.Target
		if t, ok := ind.SubtypeTargets[subtype]; ok {
			target = t
		}
		if ind.Weight > 0 {
			total += ind.Weight * math.Min(v[ind.Key]/target, 1)
		}
	}
	return math.Round(total*100) / 100
}

// TestResultsMatchIndependentRecomputation runs the job on the samples and
// checks every ranked sheet against a recomputation from the input workbooks.
func TestResultsMatchIndependentRecomputation(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := runSamples(t, t.TempDir())
	inputs := readInputs(t, cfg)

	f, err := excelize.OpenFile(s.Workbook)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, key := range cfg.ProgrammeKeys() {
		p := cfg.Programmes[key]
		rows, err := f.GetRows(p.Name)
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		var scores []float64
		assessed := 0
		for _, r := range rows[1:] {
			id, status := cell(r, col["平台编号"]), cell(r, col["状态"])
			reports := inputs[key][id]
			switch status {
			case report.StatusName("assessed"):
				assessed++
				if len(reports) != 1 || !reports[0].valid {
					t.Errorf("%s %s assessed, but the input has %d rows (valid %v)", key, id, len(reports), len(reports) == 1 && reports[0].valid)
					continue
				}
				subtype := ""
				for _, st := range p.Subtypes {
					if st.Name == cell(r, col["建设模式"]) {
						subtype = st.Code
					}
				}
				want := independentScore(p, subtype, reports[0].values)
				got, _ := strconv.ParseFloat(cell(r, col["综合得分"]), 64)
				if math.Abs(got-want) > 0.005 {
					t.Errorf("%s %s: score %v, recomputed %v", key, id, got, want)
				}
				if g := p.GradeFor(want); cell(r, col["等次"]) != g.Name {
					t.Errorf("%s %s: grade %s, recomputed %s", key, id, cell(r, col["等次"]), g.Name)
				}
				scores = append(scores, got)
			case report.StatusName("data_error"):
				if len(reports) == 1 && reports[0].valid {
					t.Errorf("%s %s: data error, but its input row reads fine", key, id)
				}
			case report.StatusName("conflict"):
				if len(reports) < 2 {
					t.Errorf("%s %s: conflict, but %d input rows", key, id, len(reports))
				}
			case report.StatusName("no_report"):
				if len(reports) != 0 {
					t.Errorf("%s %s: no report, but %d input rows", key, id, len(reports))
				}
			}
		}
		if assessed == 0 {
			t.Errorf("%s: nothing assessed", key)
		}
		// Ranks: 1 + the number of strictly higher scores (1, 2, 2, 4).
		for _, r := range rows[1:] {
			if cell(r, col["状态"]) != report.StatusName("assessed") {
				continue
			}
			score, _ := strconv.ParseFloat(cell(r, col["综合得分"]), 64)
			higher := 0
			for _, o := range scores {
				if o > score {
					higher++
				}
			}
			rank, _ := strconv.Atoi(strings.TrimSuffix(cell(r, col["排名"]), "（并列）"))
			if rank != higher+1 {
				t.Errorf("%s %s: rank %d, want %d", key, cell(r, col["平台编号"]), rank, higher+1)
			}
		}
	}
}

// TestEveryRowAccountedFor checks the accounting sheet: each sheet's data rows
// are accepted, rejected or skipped, and every rejected or skipped row has a
// problem listed at its row.
func TestEveryRowAccountedFor(t *testing.T) {
	s := runSamples(t, t.TempDir())
	if s.Rows.Read != s.Rows.Accepted+s.Rows.Rejected+s.Rows.Skipped || s.Rows.Rejected == 0 || s.Rows.Skipped == 0 {
		t.Errorf("rows %+v do not balance, or the samples' bad rows are missing", s.Rows)
	}
	f, err := excelize.OpenFile(s.Workbook)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	issues, _ := f.GetRows(report.SheetIssues)
	rowsWithProblems := map[string]bool{} // file|sheet|row
	for _, r := range issues[1:] {
		loc := cell(r, 3)
		if rowPart := regexp.MustCompile(`\d+`).FindString(loc); rowPart != "" {
			rowsWithProblems[cell(r, 1)+"|"+cell(r, 2)+"|"+rowPart] = true
		}
	}
	errorsListed := 0
	for _, r := range issues[1:] {
		if cell(r, 0) == "错误" {
			errorsListed++
		}
	}
	if errorsListed != s.Errors {
		t.Errorf("issues sheet lists %d errors, summary says %d", errorsListed, s.Errors)
	}
	accounting, _ := f.GetRows(report.SheetAccounting)
	var read, accepted, rejected, skipped int
	for _, r := range accounting[1:] {
		if cell(r, 0) == "合计" {
			read, _ = strconv.Atoi(cell(r, 4))
			accepted, _ = strconv.Atoi(cell(r, 5))
			rejected, _ = strconv.Atoi(cell(r, 6))
			skipped, _ = strconv.Atoi(cell(r, 7))
		}
	}
	if read != s.Rows.Read || accepted+rejected+skipped != read {
		t.Errorf("accounting totals read %d = %d + %d + %d; summary %+v", read, accepted, rejected, skipped, s.Rows)
	}
	if len(rowsWithProblems) < s.Rows.Rejected+s.Rows.Skipped {
		t.Errorf("%d rows rejected or skipped, only %d rows have a problem listed", s.Rows.Rejected+s.Rows.Skipped, len(rowsWithProblems))
	}
}

func TestRunTwiceGivesIdenticalFiles(t *testing.T) {
	var sums [][32]byte
	for i := 0; i < 2; i++ {
		s := runSamples(t, t.TempDir())
		data, err := os.ReadFile(s.Workbook)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, sha256.Sum256(data))
	}
	if sums[0] != sums[1] {
		t.Error("two runs on the same input gave different workbooks")
	}
}

func TestValidateWritesProblemsReport(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	s, err := Validate(context.Background(), Options{Config: cfg, In: samplesDir, Out: out, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	if s.Errors == 0 || filepath.Base(s.Workbook) != ProblemsWorkbook {
		t.Errorf("summary %+v", s)
	}
	f, err := excelize.OpenFile(s.Workbook)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(report.SheetIssues)
	codes := map[string]bool{}
	for _, r := range rows[1:] {
		codes[cell(r, 8)] = true
	}
	for _, c := range []string{"bad_number", "bad_count", "out_of_range", "missing_value", "bad_date", "duplicate_report", "unknown_platform"} {
		if !codes[c] {
			t.Errorf("validate found no %s in the samples", c)
		}
	}
}

// TestOfficeReadersOpenResults opens the result workbook with LibreOffice and
// with openpyxl when they are installed (they are not needed to build or test).
func TestOfficeReadersOpenResults(t *testing.T) {
	s := runSamples(t, t.TempDir())
	t.Run("openpyxl", func(t *testing.T) {
		if exec.Command("python3", "-c", "import openpyxl").Run() != nil {
			t.Skip("python3-openpyxl not installed")
		}
		script := `import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
for ws in wb.worksheets:
    n = sum(1 for _ in ws.iter_rows(values_only=True))
    print(ws.title, n)`
		out, err := exec.Command("python3", "-c", script, s.Workbook).CombinedOutput()
		if err != nil {
			t.Fatalf("openpyxl: %v\n%s", err, out)
		}
		if got := strings.Count(string(out), "\n"); got != 6 {
			t.Errorf("openpyxl read %d sheets:\n%s", got, out)
		}
	})
	t.Run("libreoffice", func(t *testing.T) {
		soffice, err := exec.LookPath("soffice")
		if err != nil {
			t.Skip("LibreOffice not installed")
		}
		dir := t.TempDir()
		// CSV filter options: comma, double quote, UTF-8 (76).
		cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+dir+"/profile",
			"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, s.Workbook)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("soffice: %v\n%s", err, out)
		}
		csvs, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
		if len(csvs) != 1 {
			t.Fatalf("no csv written: %s", out)
		}
		data, _ := os.ReadFile(csvs[0])
		if !strings.Contains(string(data), "平台类别") || !strings.Contains(string(data), "技术创新中心") {
			t.Errorf("converted summary lacks its header:\n%s", data)
		}
	})
}
