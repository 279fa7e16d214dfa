package ingest

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"assessor/config"
	"assessor/dataset"
)

// ticForm is a centre's annual report as a form: labels in A, values in B,
// section rows, a remark column and a signature row.
func ticForm(rd any) sheetSpec {
	return sheetSpec{name: "年度报告", rows: [][]any{
		{"2025年度内蒙古自治区技术创新中心年度报告"},
		{"填报说明：请在B列填写，金额单位为万元。"},
		{"平台编号", "JSZX-2020-001"},
		{"平台名称", "内蒙古自治区稀土功能材料技术创新中心"},
		{"年度", 2025},
		{"一、创新能力"},
		{"研发经费投入（万元）", rd, "口径：全年"},
		{"突破关键核心技术数（项）", 6},
		{"授权发明专利数（件）", 8},
		{"成果转化数（项）", 11},
		{"二、市场化创新服务能力"},
		{"技术服务收入（万元）", 943.81},
		{"孵化衍生科技型企业数（家）", 4},
		{"服务科技型中小企业数（家）", 61},
		{"三、运行管理"},
		{"技术指导委员会人数（人）", 11},
		{"其中牵头和共建单位人数（人）", 2},
		{"中心主任在中心工作时间（月）", 12},
		{"研发配套资金（万元）", 2037.83},
		{"自治区财政支持资金（万元）", 950},
		{"填报人：王某   联系电话：0471-1234567"},
	}, merges: [][2]string{{"A1", "C1"}}}
}

func TestForms(t *testing.T) {
	t.Run("one pair per row", func(t *testing.T) {
		dir := t.TempDir()
		writeWorkbook(t, filepath.Join(dir, "form.xlsx"), ticForm("2,379.42"))
		set := readDir(t, defaultConfig(t), dir)
		got := rows(t, set, "tic")
		if len(got) != 1 {
			t.Fatalf("%d tic rows; problems %v", len(got), set.Problems)
		}
		r := got[0]
		for k, want := range map[string]any{"id": "JSZX-2020-001", "year": int32(2025), "rd_spend": 2379.42, "smes_served": 61.0,
			"fiscal_support": 950.0, dataset.RawField("rd_spend"): "2,379.42", dataset.RawField("smes_served"): nil} {
			if !equalValue(r[k], want) {
				t.Errorf("%s = %v, want %v", k, r[k], want)
			}
		}
		src := set.Sources[0]
		if src.Rows != (dataset.RowCount{Read: 1, Accepted: 1}) || src.Cells["rd_spend"] != "B7" || src.HeaderRow != 0 {
			t.Errorf("source %+v", src)
		}
		if loc := set.Cell(0, r[dataset.FieldRow].(int32), "smes_served"); loc.Cell != "B14" {
			t.Errorf("smes_served cell %s, want B14", loc.Cell)
		}
	})
	t.Run("a bad value is addressed to its cell", func(t *testing.T) {
		dir := t.TempDir()
		writeWorkbook(t, filepath.Join(dir, "form.xlsx"), ticForm("约两千"))
		set := readDir(t, defaultConfig(t), dir)
		if _, ok := problemIndex(set)["form.xlsx|年度报告|B7|bad_number"]; !ok {
			t.Errorf("no bad_number at B7: %v", keys(problemIndex(set)))
		}
		if set.Sources[0].Rows != (dataset.RowCount{Read: 1, Rejected: 1}) || len(set.Rejected) != 1 || set.Rejected[0].ID != "JSZX-2020-001" {
			t.Errorf("rows %+v rejected %+v", set.Sources[0].Rows, set.Rejected)
		}
	})
	t.Run("two pairs per row, a merged label, an empty value", func(t *testing.T) {
		dir := t.TempDir()
		writeWorkbook(t, filepath.Join(dir, "enclave.xlsx"), sheetSpec{name: "填报表", rows: [][]any{
			{"2025年度科创飞地年度绩效填报表"},
			{"平台编号", nil, "FD-2022-001", "年度", 2025},
			{"平台名称", nil, "包头（上海）科创飞地", "办公场地面积（平方米）", 320},
			{"全职人员数（人）", nil, 8, "参与实施科研项目数（项）", 6},
			{"技术合同成交额（万元）", nil, 1200, "区内落地转化成果数（项）", 5},
			{"孵化培育科技型企业数（家）", nil, 4, "落地自治区科技项目投资额（万元）", 2100},
			{"引进培育人才数（人）", nil, 18, "引才活动经费（万元）", 25},
			{"飞入地支持资金（万元）", nil, nil, "非财政支持研发经费投入（万元）", 150},
			{"年度目标任务完成率（%）", nil, "95%"},
		}, merges: [][2]string{{"A1", "E1"}, {"A2", "B2"}, {"A3", "B3"}, {"A4", "B4"}, {"A5", "B5"}, {"A6", "B6"}, {"A7", "B7"}, {"A8", "B8"}, {"A9", "B9"}}})
		set := readDir(t, defaultConfig(t), dir)
		got := rows(t, set, "enclave")
		if len(got) != 1 {
			t.Fatalf("%d enclave rows; problems %v", len(got), set.Problems)
		}
		for k, want := range map[string]any{"id": "FD-2022-001", "office_area": 320.0, "contract_turnover": 1200.0,
			"rd_spend_nonfiscal": 150.0, "target_completion": 95.0, "local_support": nil} {
			if !equalValue(got[0][k], want) {
				t.Errorf("%s = %v, want %v", k, got[0][k], want)
			}
		}
	})
	t.Run("instructions are not a form", func(t *testing.T) {
		dir := t.TempDir()
		writeWorkbook(t, filepath.Join(dir, "a.xlsx"), sheetSpec{name: "说明", rows: [][]any{
			{"填报说明"}, {"1. 研发经费投入：填写全年数据"}, {"2. 平台编号见名录"}}})
		set := readDir(t, defaultConfig(t), dir)
		if len(set.Sources) != 0 || set.Problems[0].Code != "no_table" {
			t.Errorf("instructions read as a table: %+v %v", set.Sources, set.Problems)
		}
	})
}

// percentWorkbook writes a roster whose completion rates are numbers with and
// without a percentage format.
func percentWorkbook(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	header := []any{"平台编号", "年度", "参与实施科研项目数", "技术合同成交额（万元）", "区内落地转化成果数", "孵化培育科技型企业数",
		"落地自治区科技项目投资额（万元）", "引进培育人才数", "非财政支持研发经费投入（万元）", "年度目标任务完成率（%）"}
	f.SetSheetRow("Sheet1", "A1", &header)
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 9})                       // 0%
	pctText, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(`0.0"%"`)}) // points shown with a literal %
	for i, v := range []struct {
		id    string
		rate  any
		style int
	}{{"FD-1", 0.95, pct}, {"FD-2", 1.2, pct}, {"FD-3", 0.95, 0}, {"FD-4", 95, pctText}, {"FD-5", "#DIV/0!", 0}} {
		row := []any{v.id, 2025, 5, 1000, 5, 5, 2000, 20, 300, v.rate}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		f.SetSheetRow("Sheet1", cell, &row)
		if v.style != 0 {
			rc, _ := excelize.CoordinatesToCellName(10, i+2)
			f.SetCellStyle("Sheet1", rc, rc, v.style)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestPercentByNumberFormat(t *testing.T) {
	dir := t.TempDir()
	percentWorkbook(t, filepath.Join(dir, "a.xlsx"))
	set := readDir(t, defaultConfig(t), dir)
	got := map[string]any{}
	for _, r := range rows(t, set, "enclave") {
		got[r["id"].(string)] = r["target_completion"]
	}
	// 0.95 formatted 0%, and 95 shown with a literal "%" (points, not a fraction).
	for id, want := range map[string]float64{"FD-1": 95, "FD-4": 95} {
		if !equalValue(got[id], want) {
			t.Errorf("%s completion = %v, want %v", id, got[id], want)
		}
	}
	ps := problemIndex(set)
	for key := range map[string]bool{
		"a.xlsx|Sheet1|J3|out_of_range":      true, // 1.2 formatted as a percentage is 120%, over the maximum of 100
		"a.xlsx|Sheet1|J4|ambiguous_percent": true, // 0.95 without a percentage format
		"a.xlsx|Sheet1|J6|formula_error":     true,
	} {
		if _, ok := ps[key]; !ok {
			t.Errorf("no problem %s; have %v", key, keys(ps))
		}
	}
}

func TestUncalculatedFormula(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.xlsx")
	writeWorkbook(t, path, sheetSpec{name: "s", rows: [][]any{
		{"平台编号", "年度", "研发经费投入", "突破关键核心技术数", "授权发明专利数", "成果转化数", "技术服务收入", "孵化衍生科技型企业数", "服务科技型中小企业数"},
		{"JSZX-1", 2025, 1, 1, 1, 1, 1, 1, 1},
	}})
	// As openpyxl saves a formula: no cached value.
	rewritePart(t, path, "xl/worksheets/sheet1.xml", func(x string) string {
		return strings.Replace(x, `<c r="C2"><v>1</v></c>`, `<c r="C2"><f>SUM(D2:E2)*1000</f></c>`, 1)
	})
	set := readDir(t, defaultConfig(t), dir)
	p, ok := problemIndex(set)["a.xlsx|s|C2|formula_not_calculated"]
	if !ok || !strings.Contains(p.Reason, "SUM(D2:E2)*1000") {
		t.Errorf("no formula_not_calculated at C2 naming the formula: %v", set.Problems)
	}
}

func TestCellCapAndTimeLimit(t *testing.T) {
	dir := t.TempDir()
	writeWorkbook(t, filepath.Join(dir, "a.xlsx"), registerSheet())
	cfg := defaultConfig(t)
	cfg.Ingest.MaxCells = 20
	set := readDir(t, cfg, dir)
	if len(set.Problems) != 1 || set.Problems[0].Code != "too_many_cells" || len(set.Sources) != 0 {
		t.Errorf("cell cap: %v %+v", set.Problems, set.Sources)
	}

	slow, err := config.Parse(strings.NewReader("ingest: {file_timeout: 1ns}"))
	if err != nil {
		t.Fatal(err)
	}
	set = readDir(t, slow, dir)
	if len(set.Problems) != 1 || set.Problems[0].Code != "timeout" || set.Files[0].Status != dataset.FileRejected {
		t.Errorf("time limit: %v %+v", set.Problems, set.Files)
	}
}

func TestRawTexts(t *testing.T) {
	dir := t.TempDir()
	writeWorkbook(t, filepath.Join(dir, "2025", "中心.xlsx"), ticSheet())
	writeWorkbook(t, filepath.Join(dir, "名录.xlsx"), registerSheet())
	set := readDir(t, defaultConfig(t), dir)
	tic := rows(t, set, "tic")[0]
	for k, want := range map[string]any{
		dataset.RawField("rd_spend"):          "23,794,200", // read in 元, kept as typed
		dataset.RawField("service_revenue"):   "943.81",     // text, but says nothing more: null
		dataset.RawField("invention_patents"): nil,
		dataset.RawField("year"):              nil,
	} {
		if k == dataset.RawField("service_revenue") {
			want = nil
		}
		if !equalValue(tic[k], want) {
			t.Errorf("%s = %v, want %v", k, tic[k], want)
		}
	}
	byID := map[string]map[string]any{}
	for _, r := range rows(t, set, config.TableRegister) {
		byID[r["id"].(string)] = r
	}
	for id, want := range map[string][2]any{
		"JSZX-2020-001": {"包头", "2020年10月9日"}, // an alias; a written date
		"JSZX-2021-002": {nil, nil},           // the canonical name; a date cell
	} {
		r := byID[id]
		if !equalValue(r[dataset.RawField("league")], want[0]) || !equalValue(r[dataset.RawField("approved")], want[1]) {
			t.Errorf("%s raw league %v approved %v, want %v", id, r[dataset.RawField("league")], r[dataset.RawField("approved")], want)
		}
	}
}

// movePackage rewrites a workbook with its parts under another folder, as
// SheetJS can write them: excelize then loses every shared string.
func movePackage(t *testing.T, path string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		name := f.Name
		switch {
		case strings.HasPrefix(name, "xl/"):
			name = "data/" + strings.TrimPrefix(name, "xl/")
		}
		if strings.HasSuffix(name, ".rels") || name == "[Content_Types].xml" {
			data = bytes.ReplaceAll(data, []byte("xl/"), []byte("data/"))
		}
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zr.Close()
	zw.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSharedStringsElsewhereRead reads a package whose parts live under a
// non-standard folder, where excelize would find no shared strings and read
// every text as blank: the texts must all be there.
func TestSharedStringsElsewhereRead(t *testing.T) {
	dir := t.TempDir()
	writeWorkbook(t, filepath.Join(dir, "a.xlsx"), registerSheet())
	before := readDir(t, defaultConfig(t), dir)
	movePackage(t, filepath.Join(dir, "a.xlsx"))
	after := readDir(t, defaultConfig(t), dir)
	if got, want := keys(problemIndex(after)), keys(problemIndex(before)); !reflect.DeepEqual(got, want) {
		t.Errorf("moved package problems %v, want %v", got, want)
	}
	got, want := rows(t, after, config.TableRegister), rows(t, before, config.TableRegister)
	if !reflect.DeepEqual(got, want) || len(got) == 0 {
		t.Errorf("moved package read as %v, want %v", got, want)
	}
}

func TestChartSheetSkipped(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.xlsx")
	f := excelize.NewFile()
	rows := registerSheet().rows
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	if err := f.AddChartSheet("图表", &excelize.Chart{Type: excelize.Col,
		Series: []excelize.ChartSeries{{Name: "Sheet1!$A$3", Values: "Sheet1!$A$3:$A$5"}}}); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
	set := readDir(t, defaultConfig(t), dir)
	p, ok := problemIndex(set)["a.xlsx|图表||not_a_worksheet"]
	if !ok || !strings.HasPrefix(p.Reason, "图表工作表") {
		t.Errorf("chart sheet: %v", keys(problemIndex(set)))
	}
	if len(rows) == 0 || len(set.Sources) != 1 {
		t.Errorf("the register beside the chart sheet was not read: %+v", set.Sources)
	}
}

func TestLongIdentifiersKeptAsText(t *testing.T) {
	p := testParser(t, "register", "id", 1)
	for _, raw := range []string{"150102199001011234", "91150100MA0N1234X5", "000123"} {
		v, f := p.parse(raw, false)
		if f != nil || v.str != raw {
			t.Errorf("id %q read as %q, %+v", raw, v.str, f)
		}
	}
	if _, f := p.parse("1.50102199001011E+17", false); f == nil || f.code != "id_as_number" {
		t.Errorf("an id mangled into a number was accepted: %+v", f)
	}
}
