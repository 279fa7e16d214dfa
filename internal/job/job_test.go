package job

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/rs/zerolog"
	"github.com/xuri/excelize/v2"

	"assessor/assess"
	"assessor/config"
	"assessor/report"
)

// samplesDir is the committed sample set.
var samplesDir = filepath.Join("..", "..", "samples", "data")

const sampleYear = 2025

// runSamples assesses the sample year on its own, as the first year of a
// fresh history.
func runSamples(t *testing.T, out string) *Summary {
	t.Helper()
	cfg := testConfig(t)
	cfg.Run.FirstYear = sampleYear
	return runYear(t, cfg, sampleYear, out, t.TempDir())
}

func testConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// runYear runs one year with a checked allocator.
func runYear(t *testing.T, cfg *config.Config, year int, out, state string) *Summary {
	t.Helper()
	return runYearCompact(t, cfg, year, out, state, 0)
}

// runYearCompact is runYear holding the outcomes compactly from
// compactFrom input rows (0: largeRun).
func runYearCompact(t *testing.T, cfg *config.Config, year int, out, state string, compactFrom int) *Summary {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	s, err := Run(context.Background(), Options{Config: cfg, Year: year, In: samplesDir, Out: out, State: state,
		Version: "test", Log: zerolog.Nop(), Mem: mem, compactFrom: compactFrom})
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
	files, _ := filepath.Glob(filepath.Join(samplesDir, strconv.Itoa(sampleYear), "*年度报告数据.xlsx"))
	more, _ := filepath.Glob(filepath.Join(samplesDir, strconv.Itoa(sampleYear), "*绩效数据汇总表.xlsx"))
	files = append(files, more...)
	if len(files) != 3 {
		t.Fatalf("%d report files for %d, want 3", len(files), sampleYear)
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
				if !ok || raw == "" || raw == "—" || raw == "-" || raw == "/" || raw == "无" {
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

// readExperts reads the sample year's expert panels the plain way: id → scores.
func readExperts(t *testing.T) map[string][]float64 {
	t.Helper()
	path := filepath.Join(samplesDir, strconv.Itoa(sampleYear), strconv.Itoa(sampleYear)+"年度专家评分汇总表.xlsx")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	out := map[string][]float64{}
	for _, r := range rows {
		if len(col) == 0 {
			for i, c := range r {
				col[c] = i
			}
			if _, ok := col["评分"]; !ok {
				col = map[string]int{}
			}
			continue
		}
		v, err := strconv.ParseFloat(cell(r, col["评分"]), 64)
		if err == nil && strings.Contains(cell(r, col["平台编号"]), "-") {
			out[cell(r, col["平台编号"])] = append(out[cell(r, col["平台编号"])], v)
		}
	}
	return out
}

// blend combines a score with an expert panel the plain way: drop the single
// highest and lowest, average, weigh.
func blend(quantitative float64, scores []float64, e *config.Expert) float64 {
	if e == nil || len(scores) < e.MinScores {
		return quantitative
	}
	s := append([]float64(nil), scores...)
	sort.Float64s(s)
	s = s[e.Trim : len(s)-e.Trim]
	var sum float64
	for _, v := range s {
		sum += v
	}
	mean := math.Round(sum/float64(len(s))*100) / 100
	return math.Round((quantitative*(100-e.Weight)/100+mean*e.Weight/100)*100) / 100
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
	cfg := testConfig(t)
	s := runSamples(t, t.TempDir())
	inputs := readInputs(t, cfg)
	experts := readExperts(t)

	f, err := excelize.OpenFile(s.Workbook)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, key := range cfg.ProgrammeKeys() {
		p := cfg.Programmes[key]
		a := p.StatusAssessment()
		rows, err := f.GetRows(p.Name)
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		scoreCol := a.Name + "得分"
		var scores []float64
		graded := 0
		for _, r := range rows[1:] {
			id, status := cell(r, col["平台编号"]), cell(r, col["本年结果"])
			reports := inputs[key][id]
			score, hasScore := parse(cell(r, col[scoreCol]))
			switch status {
			case report.StatusName("assessed"):
				if len(reports) != 1 || !reports[0].valid {
					t.Errorf("%s %s assessed, but the input has %d rows (valid %v)", key, id, len(reports), len(reports) == 1 && reports[0].valid)
					continue
				}
				if !hasScore {
					continue // graded on a further assessment only
				}
				graded++
				subtype := ""
				for _, st := range p.Subtypes {
					if st.Name == cell(r, col["建设模式"]) {
						subtype = st.Code
					}
				}
				quantitative := independentScore(p, subtype, reports[0].values)
				if a.Expert != nil {
					if got, _ := parse(cell(r, col["定量得分"])); math.Abs(got-quantitative) > 0.005 {
						t.Errorf("%s %s: quantitative %v, recomputed %v", key, id, got, quantitative)
					}
				}
				want := blend(quantitative, experts[id], a.Expert)
				if math.Abs(score-want) > 0.011 {
					t.Errorf("%s %s: score %v, recomputed %v (panel %v)", key, id, score, want, experts[id])
				}
				if g := a.GradeFor(want); cell(r, col["等次"]) != g.Name {
					t.Errorf("%s %s: grade %s, recomputed %s", key, id, cell(r, col["等次"]), g.Name)
				}
				scores = append(scores, score)
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
		if graded == 0 {
			t.Errorf("%s: nothing graded", key)
		}
		// Ranks: 1 + the number of strictly higher scores (1, 2, 2, 4).
		for _, r := range rows[1:] {
			score, ok := parse(cell(r, col[scoreCol]))
			if !ok || cell(r, col["本年结果"]) != report.StatusName("assessed") {
				continue
			}
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

// parse reads a number cell; ok is false for an empty one.
func parse(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
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

// TestRunOutputs runs the sample year twice, split by league, the second
// time with the outcomes held compactly: every workbook and the history
// file come out byte-identical, the run information lists every input
// file with its SHA-256, and office readers open the workbooks.
func TestRunOutputs(t *testing.T) {
	cfg := testConfig(t)
	cfg.Run.FirstYear, cfg.Run.SplitBy = sampleYear, config.SplitLeague
	var runs []*Summary
	var sums []map[string][32]byte
	for i := 0; i < 2; i++ {
		state, out := t.TempDir(), t.TempDir()
		s := runYearCompact(t, cfg, sampleYear, out, state, i) // 0: as sized; 1: compactly
		files := map[string][32]byte{}
		for _, path := range append(s.Workbooks, filepath.Join(state, "history", strconv.Itoa(sampleYear)+".parquet")) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(out, path)
			if strings.HasSuffix(path, ".parquet") {
				rel = "history"
			}
			files[rel] = sha256.Sum256(data)
		}
		runs, sums = append(runs, s), append(sums, files)
	}
	t.Run("identical", func(t *testing.T) {
		if len(sums[0]) < 10 {
			t.Errorf("%d files written, want the results, 3 notices and the leagues' workbooks", len(sums[0]))
		}
		for name, sum := range sums[0] {
			if sums[1][name] != sum {
				t.Errorf("two runs on the same input, the second holding its outcomes compactly, gave different %s", name)
			}
		}
	})
	t.Run("input hashes", func(t *testing.T) { checkInputHashes(t, runs[0]) })
	t.Run("openpyxl", func(t *testing.T) { checkOpenpyxl(t, runs[0]) })
	t.Run("libreoffice", func(t *testing.T) { checkLibreOffice(t, runs[0]) })
}

// checkInputHashes checks that the run information lists every input file
// with its SHA-256.
func checkInputHashes(t *testing.T, s *Summary) {
	f, err := excelize.OpenFile(s.Workbook)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(report.SheetRunInfo)
	listed := map[string]string{}
	for _, r := range rows {
		if cell(r, 0) == "输入文件" {
			listed[cell(r, 1)] = cell(r, 3)
		}
	}
	if len(listed) != s.Files {
		t.Errorf("%d input files listed, %d read", len(listed), s.Files)
	}
	path := "平台名录.xlsx"
	data, err := os.ReadFile(filepath.Join(samplesDir, path))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%x", sha256.Sum256(data)); listed[path] != want {
		t.Errorf("%s: SHA-256 %q, want %s", path, listed[path], want)
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
	// An annotated copy of each workbook with cell problems, under 批注/.
	want := filepath.Join(out, AnnotatedFolder, "2025", "2025年度科创飞地绩效数据汇总表（问题批注）.xlsx")
	if !slices.Contains(s.Annotated, want) {
		t.Errorf("annotated copies %v lack %s", s.Annotated, want)
	}
	for _, path := range s.Annotated {
		a, err := excelize.OpenFile(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		comments, _ := a.GetComments(a.GetSheetList()[0])
		if len(comments) == 0 {
			t.Errorf("%s has no comments", path)
		}
		a.Close()
	}
}

// checkOpenpyxl reads every workbook with openpyxl, when it is installed (it
// is not needed to build or test): every sheet is read.
func checkOpenpyxl(t *testing.T, s *Summary) {
	python := ""
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import openpyxl").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		t.Skip("python3-openpyxl not installed")
	}
	script := `import sys, openpyxl
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path, read_only=True)
    for ws in wb.worksheets:
        n = sum(1 for _ in ws.iter_rows(values_only=True))
        print(path, ws.title, n)`
	out, err := exec.Command(python, append([]string{"-c", script}, s.Workbooks...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	sheets := 0
	for _, path := range s.Workbooks {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sheets += len(f.GetSheetList())
		f.Close()
	}
	if got := strings.Count(string(out), "\n"); got != sheets {
		t.Errorf("openpyxl read %d sheets of %d:\n%s", got, sheets, out)
	}
}

// checkLibreOffice converts one workbook of each kind — the results, a public
// notice, a 盟市's results — to PDF with LibreOffice, when it is installed:
// every page is A4 landscape.
func checkLibreOffice(t *testing.T, s *Summary) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice not installed")
	}
	dir := t.TempDir()
	kinds := []string{s.Workbooks[0], s.Workbooks[1], s.Workbooks[len(s.Workbooks)-1]}
	cmd := exec.Command(soffice, append([]string{"--headless", "-env:UserInstallation=file://" + dir + "/profile",
		"--convert-to", "pdf", "--outdir", dir}, kinds...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	for _, path := range kinds {
		pdf := filepath.Join(dir, strings.TrimSuffix(filepath.Base(path), ".xlsx")+".pdf")
		if _, err := os.Stat(pdf); err != nil {
			t.Errorf("%s not converted: %v\n%s", filepath.Base(path), err, out)
			continue
		}
		if _, err := exec.LookPath("pdfinfo"); err != nil {
			continue
		}
		info, err := exec.Command("pdfinfo", "-f", "1", "-l", "1000", pdf).Output()
		if err != nil {
			t.Errorf("pdfinfo %s: %v", pdf, err)
			continue
		}
		for _, line := range strings.Split(string(info), "\n") {
			var w, h float64
			if _, size, ok := strings.Cut(line, "size:"); ok && strings.HasPrefix(line, "Page") {
				if _, err := fmt.Sscanf(strings.TrimSpace(size), "%f x %f", &w, &h); err != nil || !strings.Contains(line, "(A4)") || w < h {
					t.Errorf("%s: %s, want A4 landscape", filepath.Base(pdf), line)
				}
			}
		}
	}
}

// sequence imports the published 2021 results and runs 2022 to 2025 in order,
// as `make run` does.
func sequence(t *testing.T, out, state string) map[int]*Summary {
	t.Helper()
	cfg := testConfig(t)
	published, _ := filepath.Glob(filepath.Join("..", "..", "samples", "history", "*.xlsx"))
	if len(published) != 1 {
		t.Fatalf("published results: %v", published)
	}
	if _, err := Import(context.Background(), Options{Config: cfg, State: state, Log: zerolog.Nop()}, published[0], false); err != nil {
		t.Fatal(err)
	}
	sums := map[int]*Summary{}
	for y := 2022; y <= sampleYear; y++ {
		sums[y] = runYear(t, cfg, y, out, state)
	}
	return sums
}

// changes reads a result workbook's changes and not-due sheets: id → kind of
// change.
func changes(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(report.SheetChanges)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	col := slices.Index(rows[0], "变动")
	for _, r := range rows[1:] {
		out[cell(r, 1)] = cell(r, col)
	}
	notDue, err := f.GetRows(report.SheetNotDue)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range notDue[1:] {
		out[cell(r, 1)] = report.ChangeName(assess.ChangeNotDue)
	}
	return out
}

// TestSampleSequence runs the samples' years in order from the published 2021
// results: every kind of change appears, and the stories the samples plant
// (samples/README.md) come out as planned.
func TestSampleSequence(t *testing.T) {
	out := t.TempDir()
	sums := sequence(t, out, t.TempDir())
	kinds := map[string]bool{}
	byYear := map[int]map[string]string{}
	for y, s := range sums {
		byYear[y] = changes(t, s.Workbook)
		for _, k := range byYear[y] {
			kinds[k] = true
		}
	}
	for _, k := range []assess.ChangeKind{assess.ChangeRectification, assess.ChangeRestored, assess.ChangeRevoked, assess.ChangeNotDue} {
		if !kinds[report.ChangeName(k)] {
			t.Errorf("no %s in any year's changes sheet", report.ChangeName(k))
		}
	}
	for _, w := range []struct {
		year     int
		id, kind string
	}{
		{2024, "FD-2022-013", "进入整改期"},
		{2025, "FD-2022-013", "撤销"},
		{2024, "JSZX-2020-003", "进入整改期"},
		{2025, "JSZX-2020-003", "整改后恢复"},
		{2025, "SFQ-2022-02", "进入整改期"},
	} {
		if got := byYear[w.year][w.id]; got != w.kind {
			t.Errorf("%d %s: change %q, want %q", w.year, w.id, got, w.kind)
		}
	}
}

// TestRerunPastYear re-runs a past year after later ones: its history file and
// workbook come out the same, and the later year is left alone.
func TestRerunPastYear(t *testing.T) {
	out, state := t.TempDir(), t.TempDir()
	sequence(t, out, state)
	files := []string{filepath.Join(state, "history", "2024.parquet"), filepath.Join(state, "history", "2025.parquet")}
	before := map[string][32]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		before[f] = sha256.Sum256(data)
	}
	runYear(t, testConfig(t), 2024, out, state)
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if sha256.Sum256(data) != before[f] {
			t.Errorf("%s changed on re-running 2024", filepath.Base(f))
		}
	}
}

func TestMissingHistory(t *testing.T) {
	cfg := testConfig(t)
	_, err := Run(context.Background(), Options{Config: cfg, Year: 2024, In: samplesDir, Out: t.TempDir(), State: t.TempDir(), Log: zerolog.Nop()})
	if !errors.Is(err, ErrNoHistory) || !strings.Contains(err.Error(), "has no 2023") {
		t.Errorf("err = %v, want ErrNoHistory naming 2023", err)
	}
}

func TestImportRefusesExistingYears(t *testing.T) {
	cfg := testConfig(t)
	state := t.TempDir()
	published, _ := filepath.Glob(filepath.Join("..", "..", "samples", "history", "*.xlsx"))
	o := Options{Config: cfg, State: state, Log: zerolog.Nop()}
	s, err := Import(context.Background(), o, published[0], false)
	if err != nil || len(s.Years) != 1 {
		t.Fatalf("first import: %+v, %v", s, err)
	}
	if _, err := Import(context.Background(), o, published[0], false); !errors.Is(err, ErrHistoryExists) {
		t.Errorf("second import: %v, want ErrHistoryExists", err)
	}
	if _, err := Import(context.Background(), o, published[0], true); err != nil {
		t.Errorf("import with replace: %v", err)
	}
	states, err := Show(o, "FD-2021-001")
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 1 || states[0].Source != "import" {
		t.Errorf("history of FD-2021-001: %+v", states)
	}
}
