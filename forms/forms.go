// Package forms writes the blank annual-report forms that platforms fill in:
// one workbook per programme, laid out as the engine reads a form — each label
// in column A with its value beside it in column B — so that what a form
// collects is read back without guesswork.
//
// The input cells are unlocked and validated (whole numbers, decimal ranges,
// percentages, drop-down lists for enumerations, the year fixed); everything
// else is protected. A second sheet explains every field in Chinese with the
// clause it rests on.
package forms

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"assessor/config"
	"assessor/internal/xlsxout"
)

// Sheet names of a form workbook.
const (
	SheetForm         = "年度报告"
	SheetInstructions = "填报说明"
)

// InputColumn is the column of the values a form collects.
const InputColumn = "B"

// FileName is the name of a programme's form for a year.
func FileName(year int, p *config.Programme) string {
	return fmt.Sprintf("%d年度%s年度报告（填报模板）.xlsx", year, p.Name)
}

// Field is one line of a form: its label and, in the input column, its value.
type Field struct {
	Key   string // the column key the engine reads the value into
	Label string // the label, with its unit: "研发经费投入（万元）"
	Row   int    // the row of the label and its input cell
}

// Fields lists the fields of a programme's form in order, with their rows:
// platform id, name, year, 盟市, 建设模式 (for programmes with sub-types), then
// the programme's input indicators.
func Fields(cfg *config.Config, p *config.Programme) []Field {
	var out []Field
	row := firstFieldRow
	for _, col := range reportColumns(cfg, p) {
		out = append(out, Field{Key: col.Key, Label: label(col), Row: row})
		row++
	}
	return out
}

// firstFieldRow is the row of the first field: below the title, the
// instructions line and the column headings.
const firstFieldRow = 4

// reportColumns are the columns a programme's form collects.
func reportColumns(cfg *config.Config, p *config.Programme) []config.Column {
	for _, t := range cfg.Tables() {
		if t.Key != p.Key() {
			continue
		}
		var cols []config.Column
		for _, c := range t.Columns {
			if c.Key == "subtype" && len(p.Subtypes) == 0 {
				continue
			}
			cols = append(cols, c)
		}
		return cols
	}
	return nil
}

func label(c config.Column) string {
	if c.Unit != "" && config.Numeric(c.Kind) {
		return c.Name + "（" + c.Unit + "）"
	}
	return c.Name
}

// Write writes each programme's blank form for the year into dir and returns
// the file names.
func Write(dir string, cfg *config.Config, year int) ([]string, error) {
	var names []string
	for _, key := range cfg.ProgrammeKeys() {
		p := cfg.Programmes[key]
		name := FileName(year, p)
		if err := writeForm(filepath.Join(dir, name), cfg, p, year); err != nil {
			return nil, fmt.Errorf("form for %s: %w", p.Name, err)
		}
		names = append(names, name)
	}
	return names, nil
}

// styles of a form.
type styles struct {
	title, note, head, label, remark, input, percentInput, fixed int
}

func newStyles(f *excelize.File) (*styles, error) {
	font := func(bold bool, size float64) *excelize.Font {
		return &excelize.Font{Family: "等线", Size: size, Bold: bold}
	}
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	wrap := &excelize.Alignment{Vertical: "center", WrapText: true}
	unlocked := &excelize.Protection{Locked: false}
	inputFill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}
	st := &styles{}
	var err error
	for _, s := range []struct {
		dst   *int
		style *excelize.Style
	}{
		{&st.title, &excelize.Style{Font: font(true, 14), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&st.note, &excelize.Style{Font: font(false, 10), Alignment: wrap}},
		{&st.head, &excelize.Style{Font: font(true, 10.5), Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}}},
		{&st.label, &excelize.Style{Font: font(false, 10.5), Border: border, Alignment: wrap}},
		{&st.remark, &excelize.Style{Font: font(false, 9), Border: border, Alignment: wrap}},
		{&st.input, &excelize.Style{Font: font(false, 10.5), Border: border, Fill: inputFill, Protection: unlocked, Alignment: wrap}},
		{&st.percentInput, &excelize.Style{Font: font(false, 10.5), Border: border, Fill: inputFill, Protection: unlocked, NumFmt: 10}},
		{&st.fixed, &excelize.Style{Font: font(true, 10.5), Border: border, Alignment: &excelize.Alignment{Horizontal: "left"}}},
	} {
		if *s.dst, err = f.NewStyle(s.style); err != nil {
			return nil, fmt.Errorf("styles: %w", err)
		}
	}
	return st, nil
}

// writeForm writes one programme's form.
func writeForm(path string, cfg *config.Config, p *config.Programme, year int) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetForm); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetInstructions); err != nil {
		return err
	}
	w := &sheetWriter{f: f, sheet: SheetForm}
	title := fmt.Sprintf("%d年度内蒙古自治区%s年度报告", year, p.Name)
	w.set("A1", title, st.title)
	w.merge("A1", "C1")
	w.set("A2", fmt.Sprintf("填报说明：请在蓝色单元格中填写 %d 年度数据，金额单位见各项名称；未发生的填 0，无法提供的填“—”；各项要求见右列和“%s”工作表。", year, SheetInstructions), st.note)
	w.merge("A2", "C2")
	w.set("A3", "项目", st.head)
	w.set("B3", "填报内容", st.head)
	w.set("C3", "填报要求及依据", st.head)
	cols := reportColumns(cfg, p)
	for i, fld := range Fields(cfg, p) {
		col := cols[i]
		cell := fmt.Sprintf("%s%d", InputColumn, fld.Row)
		w.set(fmt.Sprintf("A%d", fld.Row), fld.Label, st.label)
		w.set(fmt.Sprintf("C%d", fld.Row), requirement(cfg, p, col, year), st.remark)
		switch {
		case col.Key == "year":
			w.set(cell, year, st.fixed) // fixed: the year the form is for
		case col.Kind == config.KindPercent:
			w.set(cell, nil, st.percentInput)
		default:
			w.set(cell, nil, st.input)
		}
		if col.Key != "year" {
			if dv := validation(cfg, p, col, cell); dv != nil {
				w.validate(dv)
			}
		}
	}
	last := firstFieldRow + len(cols) + 1
	w.set(fmt.Sprintf("A%d", last), "填报人：　　　　　　审核人：　　　　　　联系电话：　　　　　　填报日期：", st.note)
	w.merge(fmt.Sprintf("A%d", last), fmt.Sprintf("C%d", last))
	w.width("A", 36)
	w.width("B", 26)
	w.width("C", 56)
	w.height(1, 28)
	w.height(2, 42)
	w.printOnA4()
	if w.err == nil {
		w.err = f.ProtectSheet(SheetForm, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true})
	}
	if w.err == nil {
		w.err = instructions(f, cfg, p, year, st)
	}
	if w.err != nil {
		return w.err
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Creator: cfg.Output.Author, LastModifiedBy: cfg.Output.Author,
		Created: fmt.Sprintf("%d-01-01T00:00:00Z", year), Modified: fmt.Sprintf("%d-01-01T00:00:00Z", year), Language: "zh-CN"}); err != nil {
		return fmt.Errorf("document properties: %w", err)
	}
	return xlsxout.Save(f, path)
}

// requirement says what a field needs, in Chinese, with the clause it rests on.
func requirement(cfg *config.Config, p *config.Programme, col config.Column, year int) string {
	var parts []string
	if col.Required {
		parts = append(parts, "必填")
	} else {
		parts = append(parts, "选填")
	}
	switch col.Kind {
	case config.KindID:
		parts = append(parts, "与平台名录中的编号一致")
	case config.KindYear:
		parts = append(parts, fmt.Sprintf("本表为 %d 年度", year))
	case config.KindCount:
		parts = append(parts, "非负整数")
	case config.KindPercent:
		parts = append(parts, "百分数，如 95%")
	case config.KindNumber:
		parts = append(parts, "数值"+bounds(col))
	case config.KindLeague, config.KindSubtype:
		parts = append(parts, "从下拉列表中选择，应与平台名录一致")
	}
	if ind := p.Indicator(col.Key); ind != nil && ind.Clause != "" {
		parts = append(parts, "依据："+cfg.Cite(ind.Clause))
	}
	return strings.Join(parts, "；")
}

func bounds(col config.Column) string {
	var b []string
	if col.Min != nil {
		b = append(b, "不小于 "+strconv.FormatFloat(*col.Min, 'f', -1, 64))
	}
	if col.Max != nil {
		b = append(b, "不大于 "+strconv.FormatFloat(*col.Max, 'f', -1, 64))
	}
	if len(b) == 0 {
		return ""
	}
	return "，" + strings.Join(b, "，")
}

// validation is the data validation of a field's input cell, nil for none.
func validation(cfg *config.Config, p *config.Programme, col config.Column, cell string) *excelize.DataValidation {
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(cell)
	var err error
	switch col.Kind {
	case config.KindCount:
		err = dv.SetRange(0, math.MaxInt32, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleStop, "填写有误", "请填写非负整数")
	case config.KindNumber:
		lo, hi := -1e15, 1e15
		if col.Min != nil {
			lo = *col.Min
		}
		if col.Max != nil {
			hi = *col.Max
		}
		err = dv.SetRange(lo, hi, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleStop, "填写有误", "请填写数值"+bounds(col))
	case config.KindPercent:
		// The cell is formatted as a percentage: 95% is stored as 0.95.
		lo, hi := 0.0, 1.0
		if col.Min != nil {
			lo = *col.Min / 100
		}
		if col.Max != nil {
			hi = *col.Max / 100
		}
		err = dv.SetRange(lo, hi, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleStop, "填写有误", "请填写百分数，如 95%")
	case config.KindLeague, config.KindSubtype:
		vals := cfg.EnumValues(col.Kind)
		if col.Kind == config.KindSubtype {
			vals = p.Subtypes
		}
		names := make([]string, len(vals))
		for i, v := range vals {
			names[i] = v.Name
		}
		err = dv.SetDropList(names)
		dv.SetError(excelize.DataValidationErrorStyleStop, "填写有误", "请从下拉列表中选择")
	case config.KindID:
		err = dv.SetRange(1, 64, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleStop, "填写有误", "请填写平台编号")
	default:
		return nil
	}
	if err != nil {
		return nil
	}
	dv.SetInput(col.Name, strings.SplitN(requirement(cfg, p, col, 0), "；依据", 2)[0])
	return dv
}

// instructions writes the explanation sheet. Field names are written in
// brackets, 【研发经费投入】, so that the sheet is never read as a form.
func instructions(f *excelize.File, cfg *config.Config, p *config.Programme, year int, st *styles) error {
	w := &sheetWriter{f: f, sheet: SheetInstructions}
	w.set("A1", fmt.Sprintf("%d年度%s年度报告填报说明", year, p.Name), st.title)
	w.merge("A1", "D1")
	notes := []string{
		"1. 本表由平台填写后报送，评估机构据此计算各项指标；请勿修改表格结构、项目名称和单位。",
		"2. 只在“" + SheetForm + "”工作表的蓝色单元格中填写；金额按项目名称中的单位填写（多数为万元）。",
		"3. 未发生的填 0；确实无法提供的填“—”，该项按未填报处理，不会按 0 计算。",
		"4. 百分数可直接填写如 95%。",
	}
	for i, n := range notes {
		cell := fmt.Sprintf("A%d", i+2)
		w.set(cell, n, st.note)
		w.merge(cell, fmt.Sprintf("D%d", i+2))
	}
	head := len(notes) + 3
	for i, h := range []string{"项目", "单位", "填写要求", "依据"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, head)
		w.set(cell, h, st.head)
	}
	for i, col := range reportColumns(cfg, p) {
		r := head + 1 + i
		clause := ""
		if ind := p.Indicator(col.Key); ind != nil {
			clause = cfg.Cite(ind.Clause)
		}
		req := strings.SplitN(requirement(cfg, p, col, year), "；依据", 2)[0]
		w.set(fmt.Sprintf("A%d", r), "【"+col.Name+"】", st.label)
		w.set(fmt.Sprintf("B%d", r), col.Unit, st.label)
		w.set(fmt.Sprintf("C%d", r), req, st.remark)
		w.set(fmt.Sprintf("D%d", r), clause, st.remark)
	}
	w.width("A", 30)
	w.width("B", 10)
	w.width("C", 44)
	w.width("D", 30)
	w.printOnA4()
	if w.err == nil {
		w.err = f.ProtectSheet(SheetInstructions, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true})
	}
	return w.err
}

// sheetWriter writes cells to one sheet and keeps the first error.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	err   error
}

func (w *sheetWriter) set(cell string, v any, style int) {
	if w.err != nil {
		return
	}
	if v != nil {
		if s, ok := v.(string); ok {
			w.err = w.f.SetCellStr(w.sheet, cell, s) // text stays text
		} else {
			w.err = w.f.SetCellValue(w.sheet, cell, v)
		}
	}
	if w.err == nil {
		w.err = w.f.SetCellStyle(w.sheet, cell, cell, style)
	}
}

func (w *sheetWriter) merge(a, b string) {
	if w.err == nil {
		w.err = w.f.MergeCell(w.sheet, a, b)
	}
}

func (w *sheetWriter) width(col string, width float64) {
	if w.err == nil {
		w.err = w.f.SetColWidth(w.sheet, col, col, width)
	}
}

func (w *sheetWriter) height(row int, h float64) {
	if w.err == nil {
		w.err = w.f.SetRowHeight(w.sheet, row, h)
	}
}

// printOnA4 prints the sheet on A4 landscape, one page wide.
func (w *sheetWriter) printOnA4() {
	if w.err == nil {
		a4, landscape, wide, tall, fit := 9, "landscape", 1, 0, true
		w.err = w.f.SetPageLayout(w.sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall})
		if w.err == nil {
			w.err = w.f.SetSheetProps(w.sheet, &excelize.SheetPropsOptions{FitToPage: &fit})
		}
	}
}

func (w *sheetWriter) validate(dv *excelize.DataValidation) {
	if w.err == nil {
		w.err = w.f.AddDataValidation(w.sheet, dv)
	}
}
