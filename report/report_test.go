package report

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
		res.Programmes = append(res.Programmes, &assess.Programme{Config: cfg.Programmes[key]})
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
	tic, enclave := cfg.Programmes["tic"], cfg.Programmes["enclave"]
	subsidy := tic.Funds[0]
	res.Programmes[2].Outcomes = []*assess.Outcome{
		{ID: "JSZX-2020-001", Name: "内蒙古自治区稀土功能材料技术创新中心", League: "baotou", LeadUnit: "包头稀土研究院",
			Status: assess.StatusAssessed, Before: dataset.Active, After: dataset.Active, Assessments: results(tic, func(k int, ar *assess.AssessmentResult) {
				graded(91.5, "excellent", 1, false)(k, ar)
				ar.Quantitative = 90
				ar.Expert = &assess.ExpertPanel{Scores: []float64{80, 90, 95, 96, 99}, Kept: []float64{90, 95, 96}, Mean: 95, Applied: true}
			}),
			Reasons:    []assess.Reason{{Text: "评估评价：得分 91.5，不低于 85 分，评为优秀", Clause: "tic_plan 三(六)2"}},
			Indicators: []assess.IndicatorScore{{Key: "rd_spend", Value: 2379.42, Present: true}},
			Grants:     []assess.Grant{{Fund: subsidy, Open: true, Times: 1}}},
		{ID: "JSZX-2021-002", Name: "=HYPERLINK(\"http://x\",\"点我\")", League: "hohhot",
			Status: assess.StatusAssessed, Before: dataset.Rectifying, After: dataset.Active, Assessments: results(tic, graded(80, "good", 2, true)),
			Transition: &assess.Change{Programme: "tic", ID: "JSZX-2021-002", Name: "=HYPERLINK", Kind: assess.ChangeRestored, Text: "整改期满重新评估评价合格，恢复正常", Clause: "tic_plan 三(六)2"},
			Reasons: []assess.Reason{{Text: "评估评价：得分 80，不低于 75 分，评为良好", Clause: "tic_plan 三(六)2"},
				{Text: "未满足“中心主任每年在中心工作不少于9个月”（中心主任在中心工作时间 7 月）", Clause: "tic_plan 三(二)"}}},
		{ID: "JSZX-2021-003", Name: "+86 中心", League: "hohhot",
			Status: assess.StatusAssessed, Before: dataset.Active, After: dataset.Active, Assessments: results(tic, graded(80, "good", 2, true))},
		{ID: "JSZX-2022-001", Name: "@某中心", League: "chifeng", Status: assess.StatusNoReport, Before: dataset.Active, After: dataset.Revoked,
			Assessments: results(tic, nil),
			Reasons:     []assess.Reason{{Text: "2025 年度报告到期未提交，撤销", Clause: "tic_plan 三(六)3"}}},
		{ID: "JSZX-2026-001", Name: "-新中心", League: "ordos", Status: assess.StatusNotDue, Before: dataset.Active, After: dataset.Active,
			Approved: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Assessments: results(tic, nil)},
	}
	award := enclave.Funds[3]
	res.Programmes[0].Outcomes = []*assess.Outcome{
		{ID: "FD-2022-001", Name: "包头（上海）科创飞地", Subtype: "gov_led", League: "baotou", Status: assess.StatusAssessed,
			Before: dataset.Active, After: dataset.Active,
			Assessments: results(enclave, func(k int, ar *assess.AssessmentResult) {
				ar.Due, ar.Graded, ar.Scored, ar.Score, ar.Quantitative, ar.Rank = true, true, true, 88, 88, 1
				ar.Grade = []string{"pass", "excellent"}[k]
			}),
			Grants: []assess.Grant{
				{Fund: enclave.Funds[0], Inputs: map[string]float64{"contract_turnover": 2000, "project_investment": 4000, "talent_event_spend": 10},
					Computed: 4020000, Amount: 1000000, Capped: true, Times: 1},
				{Fund: award, Computed: 1000000, Amount: 1000000, Times: 1}}},
		{ID: "FD-2022-002", Name: "某飞地", Subtype: "outbound", League: "baotou", Status: assess.StatusDataError,
			Before: dataset.Rectifying, After: dataset.Rectifying, Assessments: results(enclave, nil)},
	}
	res.Changes = []assess.Change{
		{Programme: "tic", ID: "JSZX-2022-001", Name: "@某中心", Kind: assess.ChangeRevoked, Text: "2025 年度报告到期未提交，撤销", Clause: "tic_plan 三(六)3"},
		*res.Programmes[2].Outcomes[1].Transition,
		{Programme: "tic", ID: "JSZX-2026-001", Name: "-新中心", Kind: assess.ChangeNotDue, Until: 2029, Text: "2026年1月5日批复（备案），2029 年起评估评价", Clause: "tic_plan 三(六)2"},
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
var info = RunInfo{Version: "test", ConfigHash: "abc123", PreviousYear: 2024}

// dump renders every sheet's cells, as a reader sees them, one row a line.
func dump(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "== %s\n", sheet)
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			fmt.Fprintln(&b, strings.ReplaceAll(strings.Join(r, " | "), "\n", " / "))
		}
	}
	return b.String()
}

func TestResultsGolden(t *testing.T) {
	cfg, res, set := scenario(t)
	path := filepath.Join(t.TempDir(), "out.xlsx")
	if err := WriteResults(path, cfg, res, set, info); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "results.golden", dump(t, path))
}

func TestResultsAreByteIdentical(t *testing.T) {
	cfg, res, set := scenario(t)
	dir := t.TempDir()
	var sums [][32]byte
	for i := 0; i < 5; i++ {
		path := filepath.Join(dir, fmt.Sprintf("out%d.xlsx", i))
		if err := WriteResults(path, cfg, res, set, info); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, sha256.Sum256(data))
	}
	for i := range sums {
		if sums[i] != sums[0] {
			t.Fatalf("write %d differs from write 0", i)
		}
	}
}

// TestTextStaysText checks that input text that looks like a formula is stored
// as a string: no cell of the workbook holds a formula.
func TestTextStaysText(t *testing.T) {
	cfg, res, set := scenario(t)
	path := filepath.Join(t.TempDir(), "out.xlsx")
	if err := WriteResults(path, cfg, res, set, info); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") {
			continue
		}
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(data, []byte("<f>")) || bytes.Contains(data, []byte("<f ")) {
			t.Errorf("%s holds a formula", f.Name)
		}
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for cell, want := range map[string]string{"C3": `=HYPERLINK("http://x","点我")`, "C4": "+86 中心", "C5": "@某中心", "C6": "-新中心"} {
		got, _ := x.GetCellValue("技术创新中心", cell)
		if got != want {
			t.Errorf("技术创新中心!%s = %q, want %q", cell, got, want)
		}
	}
}

func TestSheetFeatures(t *testing.T) {
	cfg, res, set := scenario(t)
	path := filepath.Join(t.TempDir(), "out.xlsx")
	if err := WriteResults(path, cfg, res, set, info); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{SheetSummary, "科创飞地", "科创飞地综合绩效评估", "科技成果转移转化示范区", "技术创新中心",
		SheetChanges, SheetFunds, SheetAccounting, SheetIssues, SheetRunInfo}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	for _, sheet := range want {
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: header not frozen: %+v %v", sheet, panes, err)
		}
		rows, _ := f.GetRows(sheet)
		found := false
		for _, n := range f.GetDefinedName() {
			if n.Name == "_xlnm._FilterDatabase" && strings.Contains(n.RefersTo, sheet) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no autofilter (%d rows)", sheet, len(rows))
		}
		w, _ := f.GetColWidth(sheet, "B")
		if w < defaultMinWidth {
			t.Errorf("%s: column B width %v", sheet, w)
		}
	}
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
	props, _ := f.GetDocProps()
	if props.Created != "2025-12-31T00:00:00Z" {
		t.Errorf("created = %q: must be fixed for reproducible output", props.Created)
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

func TestWriteFailureLeavesNothing(t *testing.T) {
	cfg, res, set := scenario(t)
	dir := filepath.Join(t.TempDir(), "missing")
	if err := WriteResults(filepath.Join(dir, "out.xlsx"), cfg, res, set, info); err == nil {
		t.Fatal("writing into a missing folder succeeded")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("folder created or partly written: %v", err)
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
