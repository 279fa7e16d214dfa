package forms_test

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/xuri/excelize/v2"

	"assessor/assess"
	"assessor/config"
	"assessor/dataset"
	"assessor/forms"
	"assessor/ingest"
)

// fill enters values into a form's input cells as a user would in Excel:
// numbers as numbers, a percentage as the fraction Excel stores for "95%".
func fill(t *testing.T, path string, cfg *config.Config, p *config.Programme, values map[string]any) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, fld := range forms.Fields(cfg, p) {
		v, ok := values[fld.Key]
		if !ok {
			continue
		}
		cell := forms.InputColumn + itoa(fld.Row)
		if err := f.SetCellValue(forms.SheetForm, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int) string { name, _ := excelize.CoordinatesToCellName(1, n); return name[1:] }

func TestTemplatesRoundTrip(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	names, err := forms.Write(dir, cfg, 2025)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 3 {
		t.Fatalf("forms %v", names)
	}
	filled := map[string]map[string]any{
		"enclave": {"id": "FD-2022-001", "name": "包头（上海）科创飞地", "league": "包头市", "subtype": "政府主导型",
			"office_area": 320, "fulltime_staff": 8, "research_projects": 6, "contract_turnover": 1200.5, "results_transferred": 5,
			"firms_incubated": 4, "project_investment": 2100, "talents_attracted": 18, "talent_event_spend": 25,
			"rd_spend_nonfiscal": 150, "target_completion": 0.95},
		"demo_zone": {"id": "SFQ-2022-01", "name": "和林格尔新区", "service_institutions": 14, "brokers": 17, "contract_turnover": 4484.39,
			"contract_count": 82, "hitech_firms": 257, "park_firms": 641, "rd_spend": 67728.4, "park_gdp": 2000000,
			"hitech_revenue": 900000, "park_revenue": 2500000},
		"tic": {"id": "JSZX-2020-001", "name": "稀土中心", "rd_spend": 2379.42, "key_technologies": 6, "invention_patents": 8,
			"results_transferred": 11, "service_revenue": 943.81, "spinoff_firms": 4, "smes_served": 61, "committee_size": 11,
			"committee_insiders": 2, "director_months": 12, "matching_funds": 2037.83, "fiscal_support": 950},
	}
	for i, key := range cfg.ProgrammeKeys() {
		fill(t, filepath.Join(dir, names[i]), cfg, cfg.Programmes[key], filled[key])
	}

	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	set, err := ingest.Read(context.Background(), cfg, dir, ingest.Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer mem.AssertSize(t, 0)
	defer set.Release()
	for _, p := range set.Problems {
		if p.Severity != dataset.Info {
			t.Errorf("problem reading the filled forms: %v", p.Error())
		}
	}
	want := map[string]map[string]any{
		"enclave": {"id": "FD-2022-001", "year": int32(2025), "league": "baotou", "subtype": "gov_led", "office_area": 320.0,
			"contract_turnover": 1200.5, "target_completion": 95.0, "local_support": nil},
		"demo_zone": {"id": "SFQ-2022-01", "year": int32(2025), "park_gdp": 2000000.0, "brokers": 17.0, "league": nil},
		"tic":       {"id": "JSZX-2020-001", "year": int32(2025), "rd_spend": 2379.42, "director_months": 12.0, "smes_served": 61.0},
	}
	for key, fields := range want {
		tbl, ok := set.Tables[key]
		if !ok || tbl.NumRows() != 1 {
			t.Errorf("%s: %v rows read back", key, tbl)
			continue
		}
		got := firstRow(t, tbl)
		for k, v := range fields {
			if got[k] != v {
				t.Errorf("%s %s = %v (%T), want %v", key, k, got[k], got[k], v)
			}
		}
	}
}

// firstRow reads a one-row table into a map.
func firstRow(t *testing.T, tbl arrow.Table) map[string]any {
	t.Helper()
	tr := array.NewTableReader(tbl, 0)
	defer tr.Release()
	out := map[string]any{}
	for tr.Next() {
		rec := tr.Record()
		for c, f := range rec.Schema().Fields() {
			col := rec.Column(c)
			if col.IsNull(0) {
				out[f.Name] = nil
				continue
			}
			switch a := col.(type) {
			case *array.String:
				out[f.Name] = a.Value(0)
			case *array.Int32:
				out[f.Name] = a.Value(0)
			case *array.Float64:
				out[f.Name] = a.Value(0)
			}
		}
	}
	return out
}

func TestTemplateFeatures(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	names, err := forms.Write(dir, cfg, 2025)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, names[0])) // the enclave form
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dvs, err := f.GetDataValidations(forms.SheetForm)
	if err != nil {
		t.Fatal(err)
	}
	byCell := map[string]*excelize.DataValidation{}
	for _, dv := range dvs {
		byCell[dv.Sqref] = dv
	}
	fields := map[string]forms.Field{}
	for _, fld := range forms.Fields(cfg, cfg.Programmes["enclave"]) {
		fields[fld.Key] = fld
	}
	check := func(key, typ string) {
		t.Helper()
		cell := forms.InputColumn + itoa(fields[key].Row)
		dv, ok := byCell[cell]
		if !ok || dv.Type != typ {
			t.Errorf("%s (%s): validation %+v, want type %s", key, cell, dv, typ)
		}
	}
	check("fulltime_staff", "whole")
	check("contract_turnover", "decimal")
	check("target_completion", "decimal")
	check("league", "list")
	check("subtype", "list")
	if dv := byCell[forms.InputColumn+itoa(fields["subtype"].Row)]; dv != nil && dv.Formula1 != `"政府主导型,飞出平台,飞入平台"` {
		t.Errorf("subtype list %s", dv.Formula1)
	}
	// Input cells are unlocked, labels are not; the sheet is protected.
	style := func(cell string) *excelize.Style {
		id, _ := f.GetCellStyle(forms.SheetForm, cell)
		s, _ := f.GetStyle(id)
		return s
	}
	if s := style(forms.InputColumn + itoa(fields["office_area"].Row)); s.Protection == nil || s.Protection.Locked {
		t.Errorf("input cell locked: %+v", s.Protection)
	}
	if s := style("A" + itoa(fields["office_area"].Row)); s.Protection != nil && !s.Protection.Locked {
		t.Error("label cell unlocked")
	}
	if v, _ := f.GetCellValue(forms.SheetForm, "A"+itoa(fields["contract_turnover"].Row)); v != "技术合同成交额（万元）" {
		t.Errorf("label %q", v)
	}

	// The same year gives the same bytes.
	again := t.TempDir()
	if _, err := forms.Write(again, cfg, 2025); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		a, _ := os.ReadFile(filepath.Join(dir, n))
		b, _ := os.ReadFile(filepath.Join(again, n))
		if sha256.Sum256(a) != sha256.Sum256(b) {
			t.Errorf("%s differs between two writes", n)
		}
	}
}

// TestBlankTemplateIsNotData checks that an unfilled form is read as a form
// whose required values are missing, never as zeros.
func TestBlankTemplateIsNotData(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := forms.Write(dir, cfg, 2025); err != nil {
		t.Fatal(err)
	}
	set, err := ingest.Read(context.Background(), cfg, dir, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer set.Release()
	if len(set.Tables) != 0 {
		t.Errorf("a blank form gave rows: %v", set.Tables)
	}
	missing := 0
	for _, p := range set.Problems {
		if p.Code == "missing_value" {
			missing++
		}
	}
	if missing == 0 || len(set.Sources) != 3 {
		t.Errorf("%d missing values over %d forms", missing, len(set.Sources))
	}
}

// TestSameReportInTwoFilesIsAConflict files one centre's report twice, in
// two filled-in forms in different folders: neither is chosen, and the
// problem on each names both places.
func TestSameReportInTwoFilesIsAConflict(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tic := cfg.Programmes["tic"]
	values := map[string]any{"id": "JSZX-2020-001", "name": "稀土中心", "rd_spend": 2379.42, "key_technologies": 6,
		"invention_patents": 8, "results_transferred": 11, "service_revenue": 943.81, "spinoff_firms": 4, "smes_served": 61,
		"committee_size": 11, "committee_insiders": 2, "director_months": 12, "matching_funds": 2037.83, "fiscal_support": 950}
	for _, sub := range []string{"包头", "包头（补报）"} {
		folder := filepath.Join(dir, sub)
		if err := os.MkdirAll(folder, 0o755); err != nil {
			t.Fatal(err)
		}
		names, err := forms.Write(folder, cfg, 2025)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if name != forms.FileName(2025, tic) {
				os.Remove(filepath.Join(folder, name))
			}
		}
		fill(t, filepath.Join(folder, forms.FileName(2025, tic)), cfg, tic, values)
	}
	register := excelize.NewFile()
	register.SetSheetRow("Sheet1", "A1", &[]any{"平台编号", "平台名称", "平台类别", "所在盟市", "批复（备案）时间"})
	register.SetSheetRow("Sheet1", "A2", &[]any{"JSZX-2020-001", "稀土中心", "技术创新中心", "包头市", "2020-10-09"})
	if err := register.SaveAs(filepath.Join(dir, "名录.xlsx")); err != nil {
		t.Fatal(err)
	}
	set, err := ingest.Read(context.Background(), cfg, dir, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer set.Release()
	found, err := assess.Check(cfg, set)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, p := range found {
		if p.Code != "duplicate_report" {
			continue
		}
		files = append(files, p.File)
		for _, sub := range []string{"包头/", "包头（补报）/"} {
			if !strings.Contains(p.Reason, sub+forms.FileName(2025, tic)) {
				t.Errorf("the problem at %s does not name %s: %s", p.Location, sub, p.Reason)
			}
		}
	}
	if len(files) != 2 || files[0] == files[1] {
		t.Errorf("duplicate_report problems at %v, want one in each file; all: %v", files, found)
	}
}
