package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/xuri/excelize/v2"

	"assessor/config"
	"assessor/dataset"
)

// sheetSpec is a sheet to write in a test workbook: rows from A1, and merges.
type sheetSpec struct {
	name   string
	rows   [][]any
	merges [][2]string
}

// writeWorkbook writes a test workbook with excelize.
func writeWorkbook(t testing.TB, path string, sheets ...sheetSpec) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sh.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(sh.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range sh.merges {
			if err := f.MergeCell(sh.name, m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// registerSheet is a register with a title row above its header.
func registerSheet() sheetSpec {
	return sheetSpec{name: "名录", rows: [][]any{
		{"内蒙古自治区创新平台名录"},
		{"序号", "平台编号", "平台名称", "平台类别", "建设模式", "所在盟市", "批复（备案）时间", "牵头单位"},
		{1, "JSZX-2020-001", "内蒙古自治区稀土功能材料技术创新中心", "技术创新中心", nil, "包头", "2020年10月9日", "包头稀土研究院"},
		{2, "JSZX-2021-002", "内蒙古自治区乳业技术创新中心", "技术创新中心", "", "呼和浩特市", time.Date(2021, 5, 20, 0, 0, 0, 0, time.UTC), "某乳业公司"},
		{3, "FD-2022-001", "包头（上海）科创飞地", "科创飞地", "政府主导型", "包头市", "2022.03", "包头市科学技术局"},
		{4, "FD-2022-002", "某飞地", "科创飞地", nil, "包头市", "2022-04-01", "某公司"},
		{5, "FD-2022-003", "某飞地二", "技术创新中心", "飞出平台", "包头市", "2022-04-01", "某公司"},
		{"注：批复时间以发文日期为准。"},
	}, merges: [][2]string{{"A1", "H1"}}}
}

// ticSheet is a centre roster with a title, a two-row merged header, a 元
// column, text numbers, a blank row, a bad cell, a total row and a note.
func ticSheet() sheetSpec {
	return sheetSpec{name: "技术创新中心", rows: [][]any{
		{"2025年度内蒙古自治区技术创新中心年度报告数据"},
		{"序号", "平台编号", "平台名称", "年度", "创新能力", nil, nil, nil, "市场化创新服务能力", nil, nil, "治理", nil, nil, nil, nil, "备注"},
		{nil, nil, nil, nil, "研发经费投入（元）", "突破关键核心技术数（项）", "授权发明专利数（件）", "成果转化数（项）",
			"技术服务收入（万元）", "孵化衍生科技型企业数（家）", "服务科技型中小企业数（家）",
			"技术指导委员会人数（人）", "其中牵头和共建单位人数（人）", "中心主任在中心工作时间（月）", "研发配套资金（万元）", "自治区财政支持资金（万元）"},
		{1, "JSZX-2020-001", "稀土中心", 2025, "23,794,200", 6, "8", 11, "943.81", 4, 61, 11, 2, 12, 2037.83, 950, "良好"},
		{},
		{2, "JSZX-2021-002", "乳业中心", "2025年度", 12000000, 2, 3, 1, 500, 1, "五十", 9, 3, 7, "—", 400},
		{"合计", nil, nil, nil, 35794200},
		{"注：1.金额单位除注明外为万元。"},
	}, merges: [][2]string{{"A1", "Q1"}, {"A2", "A3"}, {"B2", "B3"}, {"C2", "C3"}, {"D2", "D3"}, {"E2", "H2"}, {"I2", "K2"}, {"L2", "P2"}, {"Q2", "Q3"}}}
}

func defaultConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// readDir reads dir with a checked allocator and fails the test on leaks.
func readDir(t *testing.T, cfg *config.Config, dir string) *dataset.Set {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	set, err := Read(context.Background(), cfg, dir, Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		set.Release()
		mem.AssertSize(t, 0)
	})
	return set
}

// problemIndex maps "file|sheet|cell|code" to the problem.
func problemIndex(set *dataset.Set) map[string]dataset.Problem {
	out := map[string]dataset.Problem{}
	for _, p := range set.Problems {
		out[p.File+"|"+p.Sheet+"|"+p.Cell+"|"+p.Code] = p
	}
	return out
}

func TestReadRealLifeRoster(t *testing.T) {
	dir := t.TempDir()
	writeWorkbook(t, filepath.Join(dir, "平台名录.xlsx"), registerSheet(), sheetSpec{name: "填表说明", rows: [][]any{{"请按要求填写。"}}})
	writeWorkbook(t, filepath.Join(dir, "2025", "中心.xlsx"), ticSheet())
	for name, content := range map[string]string{"~$中心.xlsx": "lock", "说明.txt": "hello", "旧表.xls": "old"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set := readDir(t, defaultConfig(t), dir)

	// Every file is accounted for.
	status := map[string]dataset.FileStatus{}
	for _, f := range set.Files {
		status[f.Path] = f.Status
	}
	wantStatus := map[string]dataset.FileStatus{
		"2025/中心.xlsx": dataset.FileRead, "平台名录.xlsx": dataset.FileRead,
		"~$中心.xlsx": dataset.FileIgnored, "说明.txt": dataset.FileIgnored, "旧表.xls": dataset.FileRejected,
	}
	if !reflect.DeepEqual(status, wantStatus) {
		t.Errorf("file statuses = %v, want %v", status, wantStatus)
	}

	// Every row is accounted for, sheet by sheet.
	counts := map[string]dataset.RowCount{}
	for _, src := range set.Sources {
		counts[src.File+"|"+src.Sheet] = src.Rows
		if !src.Rows.Balanced() {
			t.Errorf("%s [%s]: rows do not balance: %+v", src.File, src.Sheet, src.Rows)
		}
	}
	wantCounts := map[string]dataset.RowCount{
		"平台名录.xlsx|名录":        {Read: 6, Accepted: 3, Rejected: 2, Skipped: 1},
		"2025/中心.xlsx|技术创新中心": {Read: 4, Accepted: 1, Rejected: 1, Skipped: 2, Blank: 1},
	}
	if !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("row counts = %+v, want %+v", counts, wantCounts)
	}

	// Problems name file, sheet, cell, column and raw value.
	ps := problemIndex(set)
	for _, w := range []struct {
		key, column, raw string
		sev              dataset.Severity
	}{
		{"2025/中心.xlsx|技术创新中心|K6|bad_number", "服务科技型中小企业数（家）", "五十", dataset.Error},
		{"2025/中心.xlsx|技术创新中心|7:7|total_row", "", "合计", dataset.Info},
		{"2025/中心.xlsx|技术创新中心|8:8|note_row", "", "注：1.金额单位除注明外为万元。", dataset.Info},
		{"2025/中心.xlsx|技术创新中心|A2|unused_column", "序号", "序号", dataset.Info},
		{"2025/中心.xlsx|技术创新中心|Q2|unused_column", "备注", "备注", dataset.Info},
		{"平台名录.xlsx|名录|E6|missing_value", "建设模式", "", dataset.Error},
		{"平台名录.xlsx|名录|E7|subtype_mismatch", "建设模式", "飞出平台", dataset.Error},
		{"平台名录.xlsx|名录|8:8|note_row", "", "注：批复时间以发文日期为准。", dataset.Info},
		{"平台名录.xlsx|填表说明||no_table", "", "", dataset.Info},
		{"旧表.xls|||unsupported_format", "", "", dataset.Error},
		{"~$中心.xlsx|||file_ignored", "", "", dataset.Info},
	} {
		p, ok := ps[w.key]
		if !ok {
			t.Errorf("no problem %s; have %v", w.key, keys(ps))
			continue
		}
		if p.Column != w.column || p.Raw != w.raw || p.Severity != w.sev {
			t.Errorf("%s = column %q raw %q %v; want %q %q %v", w.key, p.Column, p.Raw, p.Severity, w.column, w.raw, w.sev)
		}
		if p.Reason == "" {
			t.Errorf("%s has no reason", w.key)
		}
	}
	if len(set.Problems) != len(ps) {
		t.Errorf("%d problems, %d distinct", len(set.Problems), len(ps))
	}

	// The accepted row: units converted, text numbers read, provenance kept.
	tic := rows(t, set, "tic")
	if len(tic) != 1 {
		t.Fatalf("tic rows = %d, want 1", len(tic))
	}
	r := tic[0]
	want := map[string]any{
		"id": "JSZX-2020-001", "name": "稀土中心", "year": int32(2025),
		"rd_spend": 2379.42, "invention_patents": 8.0, "service_revenue": 943.81, "matching_funds": 2037.83,
	}
	for k, v := range want {
		if got := r[k]; !equalValue(got, v) {
			t.Errorf("tic %s = %v (%T), want %v", k, got, got, v)
		}
	}
	if loc := set.Cell(r[dataset.FieldSource].(int32), r[dataset.FieldRow].(int32), "rd_spend"); loc.String() != "2025/中心.xlsx [技术创新中心] E4" {
		t.Errorf("provenance = %s", loc)
	}

	reg := rows(t, set, config.TableRegister)
	if len(reg) != 3 {
		t.Fatalf("register rows = %d, want 3", len(reg))
	}
	byID := map[string]map[string]any{}
	for _, r := range reg {
		byID[r["id"].(string)] = r
	}
	for id, w := range map[string]struct {
		programme, subtype, league string
		approved                   string
	}{
		"JSZX-2020-001": {"tic", "", "baotou", "2020-10-09"},
		"JSZX-2021-002": {"tic", "", "hohhot", "2021-05-20"},
		"FD-2022-001":   {"enclave", "gov_led", "baotou", "2022-03-01"},
	} {
		r := byID[id]
		approved := r["approved"].(arrow.Date32).ToTime().Format(time.DateOnly)
		if r["programme"] != w.programme || (r["subtype"] != nil && r["subtype"] != w.subtype) || r["league"] != w.league || approved != w.approved {
			t.Errorf("%s = %v, want %+v", id, r, w)
		}
	}

	// Rejected rows keep their id and year for the assessment to cite.
	var rejected []string
	for _, rr := range set.Rejected {
		rejected = append(rejected, fmt.Sprintf("%s:%s:%d:%d", rr.Table, rr.ID, rr.Year, rr.Row))
	}
	sort.Strings(rejected)
	wantRejected := []string{"register:FD-2022-002:0:6", "register:FD-2022-003:0:7", "tic:JSZX-2021-002:2025:6"}
	if !reflect.DeepEqual(rejected, wantRejected) {
		t.Errorf("rejected = %v, want %v", rejected, wantRejected)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func equalValue(got, want any) bool {
	if g, ok := got.(float64); ok {
		w, ok := want.(float64)
		return ok && g-w < 1e-9 && w-g < 1e-9
	}
	return got == want
}

// rows returns a table's rows as maps from column name to value (nil for null).
func rows(t *testing.T, set *dataset.Set, key string) []map[string]any {
	t.Helper()
	tbl, ok := set.Tables[key]
	if !ok {
		return nil
	}
	var out []map[string]any
	tr := array.NewTableReader(tbl, 0)
	defer tr.Release()
	for tr.Next() {
		rec := tr.Record()
		for i := 0; i < int(rec.NumRows()); i++ {
			m := map[string]any{}
			for c, f := range rec.Schema().Fields() {
				col := rec.Column(c)
				if col.IsNull(i) {
					m[f.Name] = nil
					continue
				}
				switch a := col.(type) {
				case *array.String:
					m[f.Name] = a.Value(i)
				case *array.Int32:
					m[f.Name] = a.Value(i)
				case *array.Float64:
					m[f.Name] = a.Value(i)
				case *array.Date32:
					m[f.Name] = a.Value(i)
				}
			}
			out = append(out, m)
		}
	}
	return out
}

func TestUnusableHeaders(t *testing.T) {
	header := []any{"平台编号", "平台名称", "年度", "研发经费投入（万元）", "突破关键核心技术数", "授权发明专利数", "成果转化数",
		"技术服务收入", "孵化衍生科技型企业数", "服务科技型中小企业数"}
	row := []any{"JSZX-2020-001", "稀土中心", 2025, 100, 1, 1, 1, 1, 1, 1}
	withHeader := func(h []any) [][]any { return [][]any{h, row, row} }
	replace := func(i int, v any) []any {
		h := append([]any(nil), header...)
		h[i] = v
		return h
	}
	tests := []struct {
		name string
		rows [][]any
		code string
		cell string
	}{
		{"required column missing", withHeader(replace(2, "备注")), "missing_columns", "1:1"},
		{"column repeated", withHeader(append(append([]any(nil), header...), "授权发明专利数")), "repeated_column", "K1"},
		{"unit that cannot convert", withHeader(replace(3, "研发经费投入（人）")), "bad_unit", "D1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeWorkbook(t, filepath.Join(dir, "a.xlsx"), sheetSpec{name: "表", rows: tt.rows})
			set := readDir(t, defaultConfig(t), dir)
			if _, ok := problemIndex(set)["a.xlsx|表|"+tt.cell+"|"+tt.code]; !ok {
				t.Fatalf("no %s at %s; have %v", tt.code, tt.cell, keys(problemIndex(set)))
			}
			if len(set.Sources) != 1 || set.Sources[0].Rows != (dataset.RowCount{Read: 2, Rejected: 2}) {
				t.Errorf("sources = %+v, want one with both rows rejected", set.Sources)
			}
			if _, ok := set.Tables["tic"]; ok {
				t.Error("rows of an unusable sheet were accepted")
			}
		})
	}
}

func TestHeaderBeyondScanRows(t *testing.T) {
	dir := t.TempDir()
	var rowsAbove [][]any
	for i := 0; i < 35; i++ {
		rowsAbove = append(rowsAbove, []any{fmt.Sprintf("说明第%d行", i+1)})
	}
	rowsAbove = append(rowsAbove, registerSheet().rows[1:3]...)
	writeWorkbook(t, filepath.Join(dir, "a.xlsx"), sheetSpec{name: "表", rows: rowsAbove})
	set := readDir(t, defaultConfig(t), dir)
	if _, ok := problemIndex(set)["a.xlsx|表||no_table"]; !ok {
		t.Errorf("a header below the scanned rows was not reported; problems %v", keys(problemIndex(set)))
	}
}

// TestResultIndependentOfWorkers reads the same folder with one worker and
// with several: the dataset must be the same.
func TestResultIndependentOfWorkers(t *testing.T) {
	dir := t.TempDir()
	writeWorkbook(t, filepath.Join(dir, "平台名录.xlsx"), registerSheet())
	for i := 0; i < 6; i++ {
		writeWorkbook(t, filepath.Join(dir, fmt.Sprintf("中心%d.xlsx", i)), ticSheet())
	}
	var results []string
	for _, workers := range []int{1, 4} {
		cfg := defaultConfig(t)
		cfg.Ingest.Workers = workers
		set := readDir(t, cfg, dir)
		var b strings.Builder
		for _, p := range set.Problems {
			fmt.Fprintln(&b, p.Error())
		}
		for _, src := range set.Sources {
			fmt.Fprintf(&b, "%s %s %+v\n", src.File, src.Sheet, src.Rows)
		}
		fmt.Fprintln(&b, rows(t, set, "tic"))
		results = append(results, b.String())
	}
	if results[0] != results[1] {
		t.Errorf("one worker and four workers disagree:\n%s\n---\n%s", results[0], results[1])
	}
}

// TestResultIndependentOfBatchSize requires the rows read, with their
// sources, to be the same whatever the batch size: batches of one and two
// rows (each builder then starts at the size of the full batch before it,
// and every record of every file is stamped with its own sheet) against
// the default's single batch a sheet.
func TestResultIndependentOfBatchSize(t *testing.T) {
	dir := t.TempDir()
	writeWorkbook(t, filepath.Join(dir, "平台名录.xlsx"), registerSheet())
	for i := range 3 {
		writeWorkbook(t, filepath.Join(dir, fmt.Sprintf("中心%d.xlsx", i)), ticSheet())
	}
	read := func(batch int) (string, int) {
		cfg := defaultConfig(t)
		cfg.Ingest.BatchRows = batch
		set := readDir(t, cfg, dir)
		var b strings.Builder
		for _, key := range []string{config.TableRegister, "tic"} {
			for _, r := range rows(t, set, key) {
				src := set.Sources[r[dataset.FieldSource].(int32)]
				fmt.Fprintf(&b, "%s %s %v %v\n", src.File, src.Sheet, r[dataset.FieldRow], r)
			}
		}
		return b.String(), len(set.Tables[config.TableRegister].Column(0).Data().Chunks())
	}
	want, _ := read(defaultConfig(t).Ingest.BatchRows)
	for _, batch := range []int{1, 2} {
		got, chunks := read(batch)
		if chunks < 2 {
			t.Errorf("batch of %d: the register is %d record(s), want several", batch, chunks)
		}
		if got != want {
			t.Errorf("batch of %d reads other rows than the default:\n%s\n---\n%s", batch, got, want)
		}
	}
	if n := strings.Count("\n"+want, "\n平台名录.xlsx "); n != 3 {
		t.Errorf("%d register rows stamped with the register's file, want 3 (its accepted rows):\n%s", n, want)
	}
	for i := range 3 {
		if !strings.Contains(want, fmt.Sprintf("\n中心%d.xlsx ", i)) {
			t.Errorf("no row stamped with 中心%d.xlsx:\n%s", i, want)
		}
	}
	if n := strings.Count(want, "\n中心"); n != 3 {
		t.Errorf("%d centre rows from the three files, want 3 (one accepted each):\n%s", n, want)
	}
}

// TestAbsurdRowNumber guards the excelize trap: a row numbered far past the
// sheet limit must refuse the file with a clear reason, not hang the reader nor
// leave the rows before it as a silently partial table.
func TestAbsurdRowNumber(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.xlsx")
	writeWorkbook(t, path, registerSheet())
	rewritePart(t, path, "xl/worksheets/sheet1.xml", func(xml string) string {
		return strings.Replace(xml, "</sheetData>", `<row r="231999999999940"><c r="A231999999999940"><v>1</v></c></row></sheetData>`, 1)
	})
	done := make(chan *dataset.Set)
	go func() {
		set, err := Read(context.Background(), defaultConfig(t), dir, Options{})
		if err != nil {
			t.Error(err)
		}
		done <- set
	}()
	select {
	case set := <-done:
		defer set.Release()
		if len(set.Problems) != 1 || set.Problems[0].Code != "row_limit" || !strings.Contains(set.Problems[0].Reason, "1048576") {
			t.Errorf("problems = %v, want one row_limit", set.Problems)
		}
		if len(set.Sources) != 0 || set.Files[0].Status != dataset.FileRejected {
			t.Errorf("a file with an impossible row was partly accepted: %+v %+v", set.Sources, set.Files)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("reader hangs on an absurd row number")
	}
}

// rewritePart rewrites one part of a zip package in place.
func rewritePart(t *testing.T, path, part string, edit func(string) string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == part {
			data = []byte(edit(string(data)))
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	zr.Close()
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFileProblems(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(t.TempDir(), "good.xlsx")
	writeWorkbook(t, good, registerSheet())
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...)
	// An encrypted OOXML file is an OLE2 container holding an EncryptedPackage stream.
	encrypted := append(append([]byte(nil), ole...), []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")...)
	files := map[string][]byte{
		"empty.xlsx":     nil,
		"truncated.xlsx": data[:len(data)/2],
		"encrypted.xlsx": encrypted,
		"old.xlsx":       ole,
		"text.xlsx":      []byte("平台编号,平台名称\n"),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set := readDir(t, defaultConfig(t), dir)
	want := map[string]string{
		"empty.xlsx": "empty_file", "truncated.xlsx": "corrupt_workbook", "encrypted.xlsx": "password_protected",
		"old.xlsx": "legacy_format", "text.xlsx": "not_a_workbook",
	}
	got := map[string]string{}
	for _, p := range set.Problems {
		got[p.File] = p.Code
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("file problems = %v, want %v", got, want)
	}
	for _, f := range set.Files {
		if f.Status != dataset.FileRejected {
			t.Errorf("%s status %s, want rejected", f.Path, f.Status)
		}
	}
}

func TestDecompressionCap(t *testing.T) {
	dir := t.TempDir()
	writeWorkbook(t, filepath.Join(dir, "a.xlsx"), registerSheet())
	cfg := defaultConfig(t)
	cfg.Ingest.MaxUnzipBytes = 4096
	set := readDir(t, cfg, dir)
	if len(set.Problems) != 1 || set.Problems[0].Code != "too_large" {
		t.Errorf("problems = %v, want one too_large", set.Problems)
	}
}

func TestCancelled(t *testing.T) {
	dir := t.TempDir()
	writeWorkbook(t, filepath.Join(dir, "a.xlsx"), registerSheet())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	if _, err := Read(ctx, defaultConfig(t), dir, Options{Mem: mem}); err == nil {
		t.Error("a cancelled read returned no error")
	}
}

// corpusRefusals are the corpus files that must be refused, with the code
// that names the real cause; every other file must be read.
var corpusRefusals = map[string]string{
	"calamine__date.xlsb":                   "unsupported_format",
	"calamine__pass_protected.xlsx":         "password_protected",
	"excelize__encryptAES.xlsx":             "password_protected",
	"hop__sample-file-protected.xlsx":       "password_protected",
	"excelize__BadWorkbook.xlsx":            "no_sheets",
	"exceljs__missing-bits.xlsx":            "corrupt_workbook", // no workbook part
	"tealeg__badfile_noWorkbookRels.xlsx":   "corrupt_workbook", // its worksheet cannot be found
	"tealeg__badfile_noWorksheets.xlsx":     "corrupt_workbook", // worksheet parts missing
	"der__zero_bytes.xlsx":                  "empty_file",
	"der__truncated_half.xlsx":              "corrupt_workbook",
	"der__no_end_of_central_directory.xlsx": "corrupt_workbook",
	"der__corrupt_deflate_sheet.xlsx":       "corrupt_workbook",
	"der__bad_cell_refs.xlsx":               "corrupt_workbook",
	"der__sst_index_out_of_range.xlsx":      "corrupt_workbook",
	"der__style_index_out_of_range.xlsx":    "corrupt_workbook",
	"der__huge_shared_string_64MB.xlsx":     "corrupt_workbook", // a 64 MB text in one cell
	"der__huge_row_number.xlsx":             "row_limit",
}

// TestCorpus reads the shared corpus of real and hostile workbooks when
// ASSESSOR_CORPUS points at it, each file on its own under a time limit:
// no panic, no hang, no error result; every file accounted for, and read or
// refused with the code that names its real cause (corpusRefusals).
func TestCorpus(t *testing.T) {
	root := os.Getenv("ASSESSOR_CORPUS")
	if root == "" {
		t.Skip("ASSESSOR_CORPUS not set")
	}
	files, _ := filepath.Glob(filepath.Join(root, "*", "*"))
	cfg := defaultConfig(t)
	counts := map[string]int{}
	for _, path := range files {
		if strings.HasSuffix(path, ".tsv") || strings.HasSuffix(path, ".md") {
			continue
		}
		name := filepath.Base(path)
		start := time.Now()
		done := make(chan *dataset.Set, 1)
		go func() {
			set, err := Read(context.Background(), cfg, path, Options{})
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			done <- set
		}()
		var set *dataset.Set
		select {
		case set = <-done:
		case <-time.After(2 * time.Minute):
			t.Fatalf("%s: no result after 2 minutes", name)
		}
		if set == nil {
			continue
		}
		code, reason := "", ""
		for _, p := range set.Problems {
			if p.Code == "reader_crashed" {
				t.Errorf("%s: the reader panicked: %s", name, p.Reason)
			}
			if p.Severity == dataset.Error && code == "" {
				code, reason = p.Code, p.Reason
			}
		}
		status := set.Files[0].Status
		set.Release()
		switch want := corpusRefusals[name]; {
		case want == "" && status == dataset.FileRead:
			counts["read"]++
			t.Logf("%-45s read in %v (%d tables)", name, time.Since(start).Round(time.Millisecond), len(set.Sources))
		case want == "":
			t.Errorf("%s: refused (%s: %s), want it read", name, code, reason)
		case status != dataset.FileRejected || code != want:
			t.Errorf("%s: %s %s (%s), want refused as %s", name, status, code, reason, want)
		default:
			counts["refused: "+code]++
			t.Logf("%-45s refused: %s: %s", name, code, reason)
		}
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	t.Logf("%d files: %v", total, counts)
}

// TestSingleFileAndChosenTables reads one file, looking only for the published
// results table (what `history import` does).
func TestSingleFileAndChosenTables(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "结果.xlsx")
	writeWorkbook(t, path, sheetSpec{name: "历年评估结果", rows: [][]any{
		{"2021年度评估结果"},
		{"平台编号", "平台名称", "平台类别", "年度", "等次", "状态"},
		{"FD-2020-001", "飞地", "科创飞地", 2021, "合格", "正常"},
		{"JSZX-2019-001", "中心", "技术创新中心", 2021, "", "已撤销"},
		{"JSZX-2019-002", "中心", "技术创新中心", 2021, "良", "正常"},
	}}, registerSheet())
	writeWorkbook(t, filepath.Join(dir, "other.xlsx"), registerSheet())
	cfg := defaultConfig(t)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	set, err := Read(context.Background(), cfg, path, Options{Mem: mem, Tables: []config.Table{cfg.PublishedTable()}})
	if err != nil {
		t.Fatal(err)
	}
	defer mem.AssertSize(t, 0)
	defer set.Release()
	if len(set.Files) != 1 || set.Files[0].Path != "结果.xlsx" {
		t.Errorf("files = %+v, want only the named file", set.Files)
	}
	if _, ok := set.Tables[config.TableRegister]; ok {
		t.Error("the register was read although only published results were asked for")
	}
	got := rows(t, set, config.TablePublished)
	if len(got) != 2 || got[0]["grade"] != "pass" || got[0]["status"] != "active" || got[1]["grade"] != nil || got[1]["status"] != "revoked" {
		t.Errorf("published rows = %v", got)
	}
	if _, ok := problemIndex(set)["结果.xlsx|历年评估结果|E5|unknown_value"]; !ok {
		t.Errorf("the unknown grade 良 was not refused: %v", keys(problemIndex(set)))
	}
}
