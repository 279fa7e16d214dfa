package report

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"assessor/assess"
	"assessor/config"
	"assessor/dataset"
	"assessor/internal/golden"
)

// scenario is a small assessment result with every kind of row and problem.
func scenario(t *testing.T) (*config.Config, *assess.Result, *dataset.Set) {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	res := &assess.Result{Year: 2025, Unused: map[string]int{"tic": 12}}
	for _, key := range cfg.ProgrammeKeys() {
		res.Programmes = append(res.Programmes, assess.NewProgramme(cfg.Programmes[key], nil))
	}
	results := func(p *config.Programme, set func(k int, ar *assess.AssessmentResult)) []*assess.AssessmentResult {
		var out []*assess.AssessmentResult
		for k, a := range p.AssessmentList() {
			ar := &assess.AssessmentResult{Config: a}
			if set != nil {
				set(k, ar)
			}
			out = append(out, ar)
		}
		return out
	}
	graded := func(score float64, grade string, rank int, tied bool) func(int, *assess.AssessmentResult) {
		return func(k int, ar *assess.AssessmentResult) {
			if k == 0 {
				ar.Due, ar.Graded, ar.Scored, ar.Score, ar.Quantitative, ar.Grade, ar.Rank, ar.Tied = true, true, true, score, score, grade, rank, tied
			}
		}
	}
	// setValues gives an outcome values for some of its programme's
	// indicators, the others not reported.
	setValues := func(o *assess.Outcome, p *config.Programme, v map[string]float64) {
		values := make([]assess.IndicatorValue, len(p.Indicators))
		for i, ind := range p.Indicators {
			values[i].Value, values[i].Present = v[ind.Key]
		}
		o.SetIndicators(p, values)
	}
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	tic, enclave := cfg.Programmes["tic"], cfg.Programmes["enclave"]
	subsidy := tic.Funds[0]
	ticOuts := []*assess.Outcome{
		{ID: "JSZX-2020-001", Name: "内蒙古自治区稀土功能材料技术创新中心", League: "baotou", LeadUnit: "包头稀土研究院",
			Status: assess.StatusAssessed, Before: dataset.Active, After: dataset.Active, Assessments: results(tic, func(k int, ar *assess.AssessmentResult) {
				graded(91.5, "excellent", 1, false)(k, ar)
				ar.Quantitative = 90
				ar.Expert = &assess.ExpertPanel{Scores: []float64{80, 90, 95, 96, 99}, Kept: []float64{90, 95, 96}, Mean: 95, Applied: true}
			}),
			Reasons: []assess.Reason{{Text: "评估评价：得分 91.5，不低于 85 分，评为优秀", Clause: "tic_plan 三(六)2"}},
			Grants:  []assess.Grant{{Fund: subsidy, Open: true, Times: 1}}},
		{ID: "JSZX-2021-002", Name: "=HYPERLINK(\"http://x\",\"点我\")", League: "hohhot",
			Report: dataset.RowRef{Source: 0, Row: 16}, // 2025/中心.xlsx [技术创新中心], the first source
			Status: assess.StatusAssessed, Before: dataset.Rectifying, After: dataset.Active, Assessments: results(tic, graded(80, "good", 2, true)),
			Transition: &assess.Change{Programme: "tic", ID: "JSZX-2021-002", Name: "=HYPERLINK", League: "hohhot", Kind: assess.ChangeRestored, Text: "整改期满重新评估评价合格，恢复正常", Clause: "tic_plan 三(六)2"},
			Reasons: []assess.Reason{{Text: "评估评价：得分 80，不低于 75 分，评为良好", Clause: "tic_plan 三(六)2"},
				{Text: "未满足“中心主任每年在中心工作不少于9个月”（中心主任在中心工作时间 7 月）", Clause: "tic_plan 三(二)"}}},
		{ID: "JSZX-2021-003", Name: "+86 中心", League: "hohhot",
			Status: assess.StatusAssessed, Before: dataset.Active, After: dataset.Active, Assessments: results(tic, graded(80, "good", 2, true))},
		{ID: "JSZX-2022-001", Name: "@某中心", League: "chifeng", Status: assess.StatusNoReport, Before: dataset.Active, After: dataset.Revoked,
			Assessments: results(tic, nil),
			Reasons:     []assess.Reason{{Text: "2025 年度报告到期未提交，撤销", Clause: "tic_plan 三(六)3"}}},
		{ID: "JSZX-2026-001", Name: "-2", League: "ordos", Status: assess.StatusNotDue, Before: dataset.Active, After: dataset.Active,
			Approved: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Assessments: results(tic, nil)},
	}
	award := enclave.Funds[3]
	enclaveOuts := []*assess.Outcome{
		{ID: "FD-2022-001", Name: "包头（上海）科创飞地", Subtype: "gov_led", League: "baotou", Status: assess.StatusAssessed,
			Before: dataset.Active, After: dataset.Active, Approved: day(2022, 3, 1),
			Assessments: results(enclave, func(k int, ar *assess.AssessmentResult) {
				ar.Due, ar.Graded, ar.Scored, ar.Score, ar.Quantitative, ar.Rank = true, true, true, 88, 88, 1
				ar.Grade = []string{"pass", "excellent"}[k]
			}),
			Grants: []assess.Grant{
				{Fund: enclave.Funds[0], Inputs: assess.Values{{Name: "contract_turnover", Value: 2000}, {Name: "project_investment", Value: 4000}, {Name: "talent_event_spend", Value: 10}},
					Computed: 4020000, Amount: 1000000, Capped: true, Times: 1},
				{Fund: award, Computed: 1000000, Amount: 1000000, Times: 1}}},
		{ID: "FD-2023-001", Name: "=1+2", Subtype: "outbound", League: "hohhot", Status: assess.StatusAssessed,
			Before: dataset.Active, After: dataset.Active, Approved: day(2023, 5, 1), Assessments: results(enclave, graded(70, "pass", 2, true))},
		{ID: "FD-2023-002", Name: "@SUM(A1)", Subtype: "outbound", League: "chifeng", Status: assess.StatusAssessed,
			Before: dataset.Active, After: dataset.Active, Approved: day(2023, 8, 1), Assessments: results(enclave, graded(70, "pass", 2, true))},
		{ID: "FD-2024-001", Name: "某飞出平台", Subtype: "outbound", League: "ordos", Status: assess.StatusAssessed,
			Before: dataset.Active, After: dataset.Rectifying, Approved: day(2024, 2, 1), Assessments: results(enclave, graded(55, "fail", 4, false)),
			Reasons: []assess.Reason{{Text: "年度考核：得分 55，低于 60 分，评为不合格", Clause: "enclave_guide 七(二)"}}},
		{ID: "FD-2022-002", Name: "+1", Subtype: "outbound", League: "baotou", Status: assess.StatusDataError,
			Before: dataset.Rectifying, After: dataset.Rectifying, Assessments: results(enclave, nil)},
	}
	// Ranks within the sub-type, as assess gives them: 1 + those of the
	// sub-type ranked strictly higher.
	for i, r := range []struct {
		rank int
		tied bool
	}{{1, false}, {1, true}, {1, true}, {3, false}} {
		enclaveOuts[i].Main().SubtypeRank, enclaveOuts[i].Main().SubtypeTied = r.rank, r.tied
	}
	res.Programmes[2] = assess.NewProgramme(tic, ticOuts)
	res.Programmes[0] = assess.NewProgramme(enclave, enclaveOuts)
	setValues(ticOuts[0], tic, map[string]float64{"rd_spend": 2379.42, "results_transferred": 6, "spinoff_firms": 2})
	setValues(enclaveOuts[0], enclave, map[string]float64{"contract_turnover": 2000, "project_investment": 4000, "talent_event_spend": 10,
		"results_transferred": 4, "firms_incubated": 3})
	setValues(enclaveOuts[1], enclave, map[string]float64{"contract_turnover": 600.5})
	res.Changes = []*assess.Change{
		{Programme: "tic", ID: "JSZX-2022-001", Name: "@某中心", League: "chifeng", Kind: assess.ChangeRevoked, Text: "2025 年度报告到期未提交，撤销", Clause: "tic_plan 三(六)3"},
		{Programme: "enclave", ID: "FD-2024-001", Name: "某飞出平台", League: "ordos", Approved: day(2024, 2, 1), Kind: assess.ChangeRectification, Until: 2026, Text: "年度考核不合格，进入一年整改期", Clause: "enclave_guide 七(二) 整改"},
		ticOuts[1].Transition,
		{Programme: "tic", ID: "JSZX-2026-001", Name: "-2", League: "ordos", Approved: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Kind: assess.ChangeNotDue, Until: 2029, Text: "2026年1月5日批复（备案），2029 年起评估评价", Clause: "tic_plan 三(六)2"},
	}
	set := &dataset.Set{
		Files: []dataset.File{{Path: "2025/中心.xlsx", Status: dataset.FileRead}, {Path: "旧表.xls", Status: dataset.FileRejected}},
		Sources: []dataset.Source{{File: "2025/中心.xlsx", Sheet: "技术创新中心", Table: "tic", HeaderRow: 4,
			Rows: dataset.RowCount{Read: 5, Accepted: 3, Rejected: 1, Skipped: 1, Blank: 1}}},
		Problems: []dataset.Problem{
			{Location: dataset.Location{File: "旧表.xls"}, Severity: dataset.Error, Code: "unsupported_format", Reason: "旧版二进制表格格式，请另存为 .xlsx 后重新提交"},
			{Location: dataset.Location{File: "2025/中心.xlsx", Sheet: "技术创新中心", Cell: "K16"}, Severity: dataset.Error, Code: "bad_number",
				Column: "服务科技型中小企业数（家）", Raw: "=SUM(A1:A9)", Expected: "非负整数（家）", Reason: "不是有效的数字"},
			{Location: dataset.Location{File: "2025/中心.xlsx", Sheet: "技术创新中心", Cell: "9:9"}, Severity: dataset.Info, Code: "note_row", Raw: "注：…"},
		},
	}
	res.Problems = []dataset.Problem{{Location: dataset.Location{File: "2025/中心.xlsx", Sheet: "技术创新中心", Cell: "B33"},
		Severity: dataset.Error, Code: "unknown_platform", Raw: "JSZX-2099-001", Reason: "该平台编号不在平台名录中，报告未采用"}}
	return cfg, res, set
}

// info is the run information of the test workbooks.
var info = RunInfo{Version: "test", ConfigHash: "abc123", PreviousYear: 2024, Inputs: []InputFile{
	{Path: "2025/中心.xlsx", Size: 12345, SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
	{Path: "旧表.xls", Size: 2048, SHA256: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"},
}}

// writeAll writes the scenario's workbooks, split by league, into a new
// folder and returns it with their paths.
func writeAll(t *testing.T) (string, []string) {
	t.Helper()
	cfg, res, set := scenario(t)
	cfg.Run.SplitBy = config.SplitLeague
	dir := t.TempDir()
	paths, err := WriteYear(dir, cfg, res, set, info)
	if err != nil {
		t.Fatal(err)
	}
	return dir, paths
}

// TestOutputs writes the scenario's workbooks, split by league, and checks
// them: read back against the golden file, byte-identical when written again,
// input text kept as text, every sheet's layout and print set-up, the league
// workbooks and the public notices.
func TestOutputs(t *testing.T) {
	dir, paths := writeAll(t)
	t.Run("golden", func(t *testing.T) { checkGolden(t, dir, paths) })
	t.Run("byte-identical", func(t *testing.T) { checkByteIdentical(t, dir, paths) })
	t.Run("text stays text", func(t *testing.T) { checkTextStaysText(t, paths) })
	t.Run("used range", func(t *testing.T) { checkDimensions(t, paths) })
	t.Run("sheet features", func(t *testing.T) { checkSheetFeatures(t, paths) })
	t.Run("league workbooks", func(t *testing.T) { checkLeagueWorkbooks(t, dir) })
	t.Run("notice", func(t *testing.T) { checkNotice(t, dir) })
}

// checkGolden reads back every sheet of every workbook — the results, the
// public notices, the per-league workbooks — with its layout and print
// set-up, and compares them with the golden file.
func checkGolden(t *testing.T, dir string, paths []string) {
	var rel []string
	for _, p := range paths {
		r, _ := filepath.Rel(dir, p)
		rel = append(rel, filepath.ToSlash(r))
	}
	want := []string{"2025年度创新平台绩效评估结果.xlsx", "2025年度科创飞地绩效评估结果公示名单.xlsx", "2025年度技术创新中心绩效评估结果公示名单.xlsx",
		"按盟市/2025年度创新平台绩效评估结果（呼和浩特市）.xlsx", "按盟市/2025年度创新平台绩效评估结果（包头市）.xlsx",
		"按盟市/2025年度创新平台绩效评估结果（赤峰市）.xlsx", "按盟市/2025年度创新平台绩效评估结果（鄂尔多斯市）.xlsx"}
	if strings.Join(rel, "\n") != strings.Join(want, "\n") {
		t.Errorf("workbooks written:\n%s\nwant:\n%s", strings.Join(rel, "\n"), strings.Join(want, "\n"))
	}
	golden.CheckWorkbooks(t, "outputs.golden", dir)
}

// checkByteIdentical writes every workbook again: each comes out with the
// same bytes, though excelize writes a workbook of several stream-written
// sheets and charts in map order.
func checkByteIdentical(t *testing.T, dir string, paths []string) {
	dir2, paths2 := writeAll(t)
	sums := func(dir string, paths []string) map[string][32]byte {
		out := map[string][32]byte{}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(dir, p)
			out[rel] = sha256.Sum256(data)
		}
		return out
	}
	first, second := sums(dir, paths), sums(dir2, paths2)
	for rel, sum := range first {
		if second[rel] != sum {
			t.Errorf("%s differs when written again", rel)
		}
	}
}

// hostileNames are platform names that a spreadsheet would take for formulas.
var hostileNames = map[string]string{"JSZX-2021-002": `=HYPERLINK("http://x","点我")`, "JSZX-2021-003": "+86 中心",
	"JSZX-2022-001": "@某中心", "JSZX-2026-001": "-2", "FD-2022-002": "+1", "FD-2023-001": "=1+2", "FD-2023-002": "@SUM(A1)"}

// checkTextStaysText checks that input text that looks like a formula is
// stored as a string in every workbook: no cell holds a formula, and excelize
// and openpyxl read the names back as written.
func checkTextStaysText(t *testing.T, paths []string) {
	for _, path := range paths {
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if !strings.HasPrefix(f.Name, "xl/worksheets/") {
				continue
			}
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			rc.Close()
			if bytes.Contains(data, []byte("<f>")) || bytes.Contains(data, []byte("<f ")) {
				t.Errorf("%s: %s holds a formula", filepath.Base(path), f.Name)
			}
		}
		zr.Close()
	}
	// Every hostile name is read back as written, wherever it appears.
	found := map[string]int{}
	for _, path := range paths {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, sheet := range f.GetSheetList() {
			rows, _ := f.GetRows(sheet)
			for _, r := range rows {
				for _, c := range r {
					for _, name := range hostileNames {
						if c == name {
							found[name]++
						}
					}
				}
			}
		}
		f.Close()
	}
	for id, name := range hostileNames {
		if found[name] == 0 {
			t.Errorf("%s: name %q not found as written in any workbook", id, name)
		}
	}
	python := openpyxlPython(t)
	script := `import sys, json, openpyxl
out = {}
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    print("formula", path, ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    out[c.value] = c.data_type
print(json.dumps(out, ensure_ascii=False))`
	out, err := exec.Command(python, append([]string{"-c", script}, paths...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	if strings.HasPrefix(string(out), "formula") {
		t.Fatalf("openpyxl read formulas:\n%s", out)
	}
	var types map[string]string
	if err := json.Unmarshal(out, &types); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, name := range hostileNames {
		if types[name] != "s" {
			t.Errorf("openpyxl reads %q as type %q, want a plain string (s)", name, types[name])
		}
	}
}

// checkDimensions checks that every sheet's used range (its dimension
// element) reaches its last row and column, as a reader that trusts it sees
// the sheet — openpyxl's read-only mode, when installed, reads every row.
func checkDimensions(t *testing.T, paths []string) {
	for _, path := range paths {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			cols := 0
			for _, r := range rows {
				cols = max(cols, len(r))
			}
			dim, err := f.GetSheetDimension(sheet)
			if err != nil {
				t.Fatal(err)
			}
			_, last, _ := strings.Cut(dim, ":")
			c, r, err := excelize.CellNameToCoordinates(last)
			if err != nil || r < len(rows) || c < cols {
				t.Errorf("%s [%s]: used range %q, but cells reach row %d, column %d", filepath.Base(path), sheet, dim, len(rows), cols)
			}
		}
		f.Close()
	}
	python := openpyxlPython(t)
	script := `import sys, openpyxl
for path in sys.argv[1:]:
    full = openpyxl.load_workbook(path)
    quick = openpyxl.load_workbook(path, read_only=True)
    for ws in full.worksheets:
        n = sum(1 for _ in quick[ws.title].iter_rows())
        if n < ws.max_row:
            print(path, ws.title, "read-only mode reads", n, "rows of", ws.max_row)`
	out, err := exec.Command(python, append([]string{"-c", script}, paths...)...).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("openpyxl: %v\n%s", err, out)
	}
}

// openpyxlPython finds a Python with openpyxl (Debian's python3-openpyxl is
// for /usr/bin/python3), or skips the test.
func openpyxlPython(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import openpyxl").Run() == nil {
			return p
		}
	}
	t.Skip("python3-openpyxl not installed")
	return ""
}

// checkSheetFeatures checks every sheet of every workbook: header frozen,
// filtered (a table sheet), A4 landscape fitted to the page width, the first
// row printed atop every page, a footer with the sheet's name and page x of y.
func checkSheetFeatures(t *testing.T, paths []string) {
	for _, path := range paths {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]map[string]bool{}
		for _, n := range f.GetDefinedName() {
			if names[n.Scope] == nil {
				names[n.Scope] = map[string]bool{}
			}
			names[n.Scope][n.Name] = true
		}
		for _, sheet := range f.GetSheetList() {
			where := filepath.Base(path) + " " + sheet
			if panes, err := f.GetPanes(sheet); err != nil || !panes.Freeze || panes.YSplit != 1 {
				t.Errorf("%s: first row not frozen: %+v %v", where, panes, err)
			}
			if !names[sheet]["_xlnm._FilterDatabase"] && sheet != SheetSummary {
				t.Errorf("%s: no autofilter", where)
			}
			if !names[sheet]["_xlnm.Print_Titles"] {
				t.Errorf("%s: no rows printed atop every page", where)
			}
			pl, _ := f.GetPageLayout(sheet)
			props, _ := f.GetSheetProps(sheet)
			if *pl.Size != 9 || *pl.Orientation != "landscape" || *pl.FitToWidth != 1 || *pl.FitToHeight != 0 || props.FitToPage == nil || !*props.FitToPage {
				t.Errorf("%s: page %d %s fit %d×%d (fit to page %v), want A4 (9) landscape 1 page wide", where,
					*pl.Size, *pl.Orientation, *pl.FitToWidth, *pl.FitToHeight, props.FitToPage)
			}
			hf, _ := f.GetHeaderFooter(sheet)
			if hf == nil || !strings.Contains(hf.OddFooter, "&A") || !strings.Contains(hf.OddFooter, "&P") || !strings.Contains(hf.OddFooter, "&N") {
				t.Errorf("%s: footer %+v lacks the sheet name and page x of y", where, hf)
			}
			if w, _ := f.GetColWidth(sheet, "A"); w < 6 {
				t.Errorf("%s: column A width %v", where, w)
			}
		}
		f.Close()
	}
	f, err := excelize.OpenFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Grades are coloured with the configured fill.
	styleID, _ := f.GetCellStyle("技术创新中心", "I2") // 等次, after the score, quantitative and expert columns
	style, _ := f.GetStyle(styleID)
	if len(style.Fill.Color) == 0 || style.Fill.Color[0] != "63BE7B" {
		t.Errorf("excellent grade fill = %+v", style.Fill)
	}
	// A tied rank reads 2（并列） while staying the number 2.
	v, _ := f.GetCellValue("技术创新中心", "A3")
	raw, _ := f.GetCellValue("技术创新中心", "A3", excelize.Options{RawCellValue: true})
	if v != "2（并列）" || raw != "2" {
		t.Errorf("tied rank shows %q (raw %q), want 2（并列） over 2", v, raw)
	}
	// Amounts in yuan have thousands separators and fen; dates are dates.
	if v, _ := f.GetCellValue(SheetFunds, "I2"); v != "1,000,000.00" {
		t.Errorf("granted amount shows %q, want 1,000,000.00", v)
	}
	if v, _ := f.GetCellValue(SheetNotDue, "E2"); v != "2026-01-05" {
		t.Errorf("approval date shows %q, want 2026-01-05", v)
	}
	props, _ := f.GetDocProps()
	if props.Created != "2025-12-31T00:00:00Z" {
		t.Errorf("created = %q: must be fixed for reproducible output", props.Created)
	}
	// The summary holds a chart per programme with grades.
	zr, err := zip.OpenReader(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	charts := 0
	for _, zf := range zr.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			charts++
		}
	}
	if charts != 2 {
		t.Errorf("%d charts, want 2 (enclaves and centres graded, no demo zone)", charts)
	}
}

// TestFileNames checks that names taken from data cannot leave the output
// folder or make an unusable file name.
func TestFileNames(t *testing.T) {
	long := strings.Repeat("很长的盟市名称", 20)
	tests := []struct{ in, want string }{
		{"呼和浩特市", "呼和浩特市"},
		{"../../etc/passwd", "_.._etc_passwd"},
		{`..\..\windows`, "_.._windows"},
		{"..", "_"},
		{".hidden", "hidden"},
		{"/abs", "_abs"},
		{"a/b\\c", "a_b_c"},
		{"name\x00with\x07controls\r\n", "namewithcontrols"},
		{"right\u202eto\u200bleft", "righttoleft"},
		{"tab\tand space ", "tab and space"},
		{`<>:"|?*`, "_______"},
		{"CON", "_CON"},
		{"nul.xlsx", "_nul.xlsx"},
		{"com7", "_com7"},
		{"COM0", "COM0"},
		{"console", "console"},
		{"trailing dots...", "trailing dots"},
		{"   ", "_"},
		{"", "_"},
		{"\xff\xfe bad utf-8", "bad utf-8"},
		{long, long[:78]},
	}
	for _, tt := range tests {
		got := fileName(tt.in)
		if got != tt.want {
			t.Errorf("fileName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) > maxNamePart || !utf8.ValidString(got) || strings.ContainsAny(got, "/\\") {
			t.Errorf("fileName(%q) = %q: too long, invalid or with a separator", tt.in, got)
		}
	}
	dir := filepath.Join("out", "2025")
	for _, league := range []string{"../../x", "..", "/", "a/../../b", "C:\\x", long} {
		for _, tmpl := range []string{"{league}.xlsx", "按盟市/{year}（{league}）.xlsx"} {
			path, err := outputPath(dir, tmpl, 2025, "", league)
			if err != nil {
				t.Errorf("%s with %q: %v", tmpl, league, err)
				continue
			}
			rel, err := filepath.Rel(dir, path)
			if err != nil || !filepath.IsLocal(rel) {
				t.Errorf("%s with %q gives %s, outside %s", tmpl, league, path, dir)
			}
		}
	}
	if _, err := outputPath(dir, "../{league}.xlsx", 2025, "", "x"); err == nil {
		t.Error("a template leaving the folder was accepted")
	}
	if _, err := outputPath(dir, strings.Repeat("年", 70)+"{league}.xlsx", 2025, "", long); err == nil {
		t.Error("a file name over the length limit was accepted")
	}
}

func TestSheetNames(t *testing.T) {
	for in, want := range map[string]string{
		"科创飞地（政府主导型）":            "科创飞地（政府主导型）",
		"a/b\\c[d]:e*f?g":        "a_b_c_d__e_f_g",
		"'quoted'":               "quoted",
		strings.Repeat("很长", 20): strings.Repeat("很长", 15) + "很",
		"":                       "_",
	} {
		if got := sheetName(in); got != want {
			t.Errorf("sheetName(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkLeagueWorkbooks checks a league's workbook: its own platforms with
// their region-wide ranks, and the problems of their report rows.
func checkLeagueWorkbooks(t *testing.T, dir string) {
	f, err := excelize.OpenFile(filepath.Join(dir, "按盟市", "2025年度创新平台绩效评估结果（呼和浩特市）.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("技术创新中心")
	if len(rows) != 3 || rows[0][0] != "全区排名" || rows[1][1] != "JSZX-2021-002" || rows[1][0] != "2（并列）" {
		t.Errorf("呼和浩特市's centres: %q", rows)
	}
	if slices.Contains(f.GetSheetList(), SheetAccounting) {
		t.Error("a league workbook holds the region's input accounting")
	}
	issues, _ := f.GetRows(SheetIssues)
	if len(issues) != 2 || issues[1][3] != "K16" {
		t.Errorf("呼和浩特市's problems: %q, want the one in its centre's report row", issues)
	}
}

// checkNotice checks a public notice: name, league and grade, nothing else,
// best grade first.
func checkNotice(t *testing.T, dir string) {
	f, err := excelize.OpenFile(filepath.Join(dir, "2025年度技术创新中心绩效评估结果公示名单.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "评估评价" {
		t.Fatalf("sheets %v", got)
	}
	rows, _ := f.GetRows("评估评价")
	want := [][]string{{"平台名称", "所在盟市", "等次"}, {"内蒙古自治区稀土功能材料技术创新中心", "包头市", "优秀"},
		{`=HYPERLINK("http://x","点我")`, "呼和浩特市", "良好"}, {"+86 中心", "呼和浩特市", "良好"}}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("notice rows %q, want %q", rows, want)
	}
}

func TestProblemsWorkbook(t *testing.T) {
	cfg, _, set := scenario(t)
	path := filepath.Join(t.TempDir(), "problems.xlsx")
	extra := []dataset.Problem{{Location: dataset.Location{File: "a.xlsx", Sheet: "s", Cell: "B2"}, Severity: dataset.Error, Code: "duplicate_report"}}
	if err := WriteProblems(path, cfg, set, extra, "test"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(SheetIssues)
	if len(rows) != 1+len(set.Problems)+len(extra) {
		t.Errorf("%d issue rows, want %d", len(rows)-1, len(set.Problems)+len(extra))
	}
	for i := 2; i < len(rows); i++ {
		if rows[i][1] < rows[i-1][1] {
			t.Errorf("problems not in file order: %s after %s", rows[i][1], rows[i-1][1])
		}
	}
}

// TestWriteFailureLeavesNothing makes the last workbook fail to write: the
// ones staged before it are removed, nothing is left in the folder.
func TestWriteFailureLeavesNothing(t *testing.T) {
	cfg, res, set := scenario(t)
	cfg.Run.SplitBy = config.SplitLeague
	dir := t.TempDir()
	// A file where the league workbooks' folder should be.
	if err := os.WriteFile(filepath.Join(dir, "按盟市"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := StageYear(dir, cfg, res, set, info); err == nil {
		t.Fatal("writing under a file succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestExplanationGolden(t *testing.T) {
	cfg, res, _ := scenario(t)
	var b strings.Builder
	if err := WriteExplanation(&b, cfg, res, "FD-2022-001"); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "explain.golden", b.String())
	if err := WriteExplanation(&b, cfg, res, "NOPE"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestAnnotate(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "in.xlsx")
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"平台编号", "研发经费投入"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"JSZX-1", "五十"})
	f.SetSheetRow("Sheet1", "A3", &[]any{"注：说明"})
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	f.SetCellStyle("Sheet1", "B2", "B2", bold)
	f.AddComment("Sheet1", excelize.Comment{Author: "平台", Cell: "B2", Text: "原有批注"})
	if err := f.SaveAs(src); err != nil {
		t.Fatal(err)
	}
	f.Close()
	problems := []dataset.Problem{
		{Location: dataset.Location{File: "in.xlsx", Sheet: "Sheet1", Cell: "B2"}, Severity: dataset.Error, Reason: "不是有效的数字", Expected: "数值（万元）"},
		{Location: dataset.Location{File: "in.xlsx", Sheet: "Sheet1", Cell: "2:2"}, Severity: dataset.Warning, Reason: "与平台名录不一致"},
		{Location: dataset.Location{File: "in.xlsx", Sheet: "Sheet1", Cell: "3:3"}, Severity: dataset.Info, Reason: "说明行"},
		{Location: dataset.Location{File: "in.xlsx"}, Severity: dataset.Error, Reason: "整个文件"},
	}
	dst := filepath.Join(dir, "out.xlsx")
	n, err := Annotate(src, dst, problems)
	if err != nil || n != 2 {
		t.Fatalf("marked %d, %v; want 2 (info and file-level problems are left out)", n, err)
	}
	g, err := excelize.OpenFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if v, _ := g.GetCellValue("Sheet1", "B2"); v != "五十" {
		t.Errorf("the value changed: %q", v)
	}
	comments, _ := g.GetComments("Sheet1")
	got := map[string]string{}
	for _, c := range comments {
		text := c.Text
		for _, r := range c.Paragraph {
			text += r.Text
		}
		got[c.Cell] = text
	}
	if !strings.Contains(got["B2"], "原有批注") || !strings.Contains(got["B2"], "错误：不是有效的数字（应为：数值（万元））") {
		t.Errorf("B2 comment %q", got["B2"])
	}
	if !strings.Contains(got["A2"], "警告：与平台名录不一致") || got["A3"] != "" {
		t.Errorf("row comments %v", got)
	}
	id, _ := g.GetCellStyle("Sheet1", "B2")
	st, _ := g.GetStyle(id)
	if st.Font == nil || !st.Font.Bold || len(st.Fill.Color) == 0 || st.Fill.Color[0] != "FF9999" {
		t.Errorf("B2 style %+v %+v: want its bold kept and a red fill", st.Font, st.Fill)
	}
	if n, err := Annotate(src, filepath.Join(dir, "none.xlsx"), problems[2:3]); n != 0 || err != nil {
		t.Errorf("nothing to mark: %d %v", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "none.xlsx")); !os.IsNotExist(err) {
		t.Error("a copy was written with nothing to mark")
	}
}
