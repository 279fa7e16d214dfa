package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/xuri/excelize/v2"

	"assessor/config"
	"assessor/dataset"
)

// rawValues asks excelize for cell values as stored, without number formatting:
// the engine converts by column kind itself.
var rawValues = excelize.Options{RawCellValue: true}

// sheetResult is one sheet's table: its account and its accepted rows.
type sheetResult struct {
	source   dataset.Source
	records  []arrow.Record // dataset.Schema of the table; _source still 0
	rejected []dataset.RejectedRow
}

// sheetReader reads the data rows of one sheet below its header.
type sheetReader struct {
	r                 *reader
	file              string
	sheet             string
	match             *headerMatch
	src               dataset.Source
	parsers           []*columnParser // by table column; nil for a column the sheet lacks
	vals              []value
	raws              []string // the raw texts of vals
	fields, rawFields []int    // by table column: builder field of the value, of its raw text (-1: none)
	builder           *array.RecordBuilder
	records           []arrow.Record
	rejected          []dataset.RejectedRow
	problems          []dataset.Problem
	rejectAll         bool         // the header is unusable: rows are counted, not read
	known             map[int]bool // sheet columns with a header
	ignored           int          // non-empty cells outside any header column
	firstIgnored      string
	uncalculated      map[string]string // formula cells without a cached value
	f                 *excelize.File    // for the number formats of percent cells
	percentStyle      map[int]bool      // style id → has a percentage number format
}

// errTooManyCells ends the reading of a workbook over the cell cap.
var errTooManyCells = errors.New("too many cells")

// sheetError is a sheet that could not be read to its end.
type sheetError struct {
	row int // the row being read when it failed
	err error
}

func (e *sheetError) Error() string { return fmt.Sprintf("row %d: %v", e.row, e.err) }
func (e *sheetError) Unwrap() error { return e.err }

// cellBudget counts down the cells a workbook may still have read.
type cellBudget struct{ left int64 }

// spend takes n cells from the budget; false when it is exhausted.
func (b *cellBudget) spend(n int) bool {
	b.left -= int64(n)
	return b.left >= 0
}

// readSheet reads one sheet: finds its table header in the first rows, then reads
// every row below it. A sheet without a known table is reported and skipped.
// A sheet that cannot be read to its end, a workbook over its cell cap or a
// cancelled context is an error, for the caller to refuse the whole file.
// uncalculated holds the sheet's formula cells saved without a value (see
// inspectPackage): an empty cell there is an uncomputed formula, not a blank.
func (r *reader) readSheet(ctx context.Context, f *excelize.File, file, sheet string, date1904 bool, uncalculated map[string]string, budget *cellBudget) (*sheetResult, []dataset.Problem, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, &sheetError{row: 0, err: err}
	}
	defer rows.Close()

	// Scan the top rows for the header. A read error ends the sheet but keeps
	// the rows read before it.
	var top [][]string
	var readErr error
	rowNum := 0
	for len(top) < r.cfg.Ingest.HeaderScanRows && rows.Next() {
		rowNum++
		cells, err := rows.Columns(rawValues)
		if err != nil {
			readErr = err
			break
		}
		if !budget.spend(len(cells)) {
			return nil, nil, errTooManyCells
		}
		top = append(top, cells)
	}
	if readErr == nil {
		readErr = rows.Error()
	}
	if readErr != nil {
		return nil, nil, &sheetError{row: rowNum + 1, err: readErr}
	}
	m := findHeader(top, r.specs)
	if m == nil {
		if isBlank(top) {
			return nil, nil, nil
		}
		return r.tryForm(ctx, f, rows, top, rowNum, file, sheet, date1904, uncalculated, budget)
	}

	s := r.newSheetReader(file, sheet, m, date1904)
	s.uncalculated, s.f = uncalculated, f
	defer s.builder.Release()
	for i := m.row + 1; i < len(top); i++ {
		s.row(i+1, top[i])
	}
	for rows.Next() {
		rowNum++
		if rowNum%4096 == 0 {
			if err := ctx.Err(); err != nil {
				s.release()
				return nil, nil, err
			}
		}
		cells, err := rows.Columns(rawValues)
		if err != nil {
			readErr = err
			break
		}
		if !budget.spend(len(cells)) {
			s.release()
			return nil, nil, errTooManyCells
		}
		s.row(rowNum, cells)
	}
	if readErr == nil {
		readErr = rows.Error()
	}
	if readErr != nil {
		s.release()
		return nil, nil, &sheetError{row: rowNum + 1, err: readErr}
	}
	s.flush()
	if s.ignored > 0 {
		s.problems = append(s.problems, dataset.Problem{Location: dataset.Location{File: file, Sheet: sheet, Cell: s.firstIgnored},
			Severity: dataset.Info, Code: "cells_outside_table",
			Reason: fmt.Sprintf("表头以外的列中有 %d 个非空单元格未读取（首个位于 %s）", s.ignored, s.firstIgnored)})
	}
	return &sheetResult{source: s.src, records: s.records, rejected: s.rejected}, s.problems, nil
}

// tryForm reads on, up to ingest.form_scan_rows, a sheet without a roster
// header, and reads it as a form when the labels of a programme's report
// table are found on it: one platform's report, one data row.
func (r *reader) tryForm(ctx context.Context, f *excelize.File, rows *excelize.Rows, grid [][]string, rowNum int, file, sheet string,
	date1904 bool, uncalculated map[string]string, budget *cellBudget) (*sheetResult, []dataset.Problem, error) {
	sheetLoc := dataset.Location{File: file, Sheet: sheet}
	noTable := []dataset.Problem{{Location: sheetLoc, Severity: dataset.Info, Code: "no_table",
		Reason: fmt.Sprintf("没有找到可识别的表头（前 %d 行）或填报表，该工作表未读取", r.cfg.Ingest.HeaderScanRows)}}
	if len(r.forms) == 0 {
		return nil, noTable, nil
	}
	for len(grid) < r.cfg.Ingest.FormScanRows && rows.Next() {
		rowNum++
		cells, err := rows.Columns(rawValues)
		if err != nil {
			return nil, nil, &sheetError{row: rowNum, err: err}
		}
		if !budget.spend(len(cells)) {
			return nil, nil, errTooManyCells
		}
		grid = append(grid, cells)
	}
	if err := rows.Error(); err != nil {
		return nil, nil, &sheetError{row: rowNum + 1, err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	// Labels first: merges are needed only to place the values of a sheet
	// that is a form, and reading them costs a parse of the whole sheet.
	identity := func(_, col int) int { return col }
	if findForm(grid, r.forms, identity) == nil {
		return nil, noTable, nil
	}
	ends := map[[2]int]int{}
	if merges, err := f.GetMergeCells(sheet); err == nil {
		for _, mc := range merges {
			c1, r1, err1 := excelize.CellNameToCoordinates(mc.GetStartAxis())
			c2, _, err2 := excelize.CellNameToCoordinates(mc.GetEndAxis())
			if err1 == nil && err2 == nil {
				ends[[2]int{r1 - 1, c1 - 1}] = c2 - 1
			}
		}
	}
	m := findForm(grid, r.forms, func(row, col int) int {
		if end, ok := ends[[2]int{row, col}]; ok {
			return end
		}
		return col
	})
	s := r.newSheetReader(file, sheet, m, date1904)
	defer s.builder.Release()
	s.uncalculated, s.f = uncalculated, f
	s.src.Cells = map[string]string{}
	num := 0 // the data row's number: the row of the id value
	for i, col := range m.spec.table.Columns {
		if hc := m.columns[i]; hc.index >= 0 {
			s.src.Cells[col.Key] = s.ref(hc, 0)
			if col.Key == "id" {
				num = hc.row
			}
		}
	}
	s.src.Rows.Read = 1
	switch {
	case s.rejectAll:
		s.reject(num, nil)
	case s.parseRow(num, func(hc headerColumn) string { return cellAt(rowOf(grid, hc.row-1), hc.index) }):
		s.append(num)
		s.src.Rows.Accepted++
	default:
		s.reject(num, s.vals)
	}
	s.flush()
	return &sheetResult{source: s.src, records: s.records, rejected: s.rejected}, s.problems, nil
}

// rowOf returns row i of a grid, or nil beyond it.
func rowOf(grid [][]string, i int) []string {
	if i >= 0 && i < len(grid) {
		return grid[i]
	}
	return nil
}

func isBlank(rows [][]string) bool {
	for _, row := range rows {
		for _, c := range row {
			if strings.TrimSpace(c) != "" {
				return false
			}
		}
	}
	return true
}

// newSheetReader prepares the parsers for the columns the header found and checks
// the header itself: a missing required column, a repeated column or a unit that
// does not fit makes the whole sheet unreadable, with one problem per cause.
func (r *reader) newSheetReader(file, sheet string, m *headerMatch, date1904 bool) *sheetReader {
	t := m.spec.table
	s := &sheetReader{
		r: r, file: file, sheet: sheet, match: m,
		parsers: make([]*columnParser, len(t.Columns)),
		vals:    make([]value, len(t.Columns)),
		raws:    make([]string, len(t.Columns)),
		builder: array.NewRecordBuilder(r.mem, r.schemas[t.Key]),
		known:   map[int]bool{},
		src: dataset.Source{File: file, Sheet: sheet, Table: t.Key, HeaderRow: m.row + 1,
			Columns: map[string]int{}, Headers: map[string]string{}},
	}
	schema := r.schemas[t.Key]
	for _, col := range t.Columns {
		s.fields = append(s.fields, schema.FieldIndices(col.Key)[0])
		raw := -1
		if idx := schema.FieldIndices(dataset.RawField(col.Key)); len(idx) == 1 {
			raw = idx[0]
		}
		s.rawFields = append(s.rawFields, raw)
	}
	headerLoc := func(cell string) dataset.Location { return dataset.Location{File: file, Sheet: sheet, Cell: cell} }
	if !m.complete() {
		s.rejectAll = true
		s.problems = append(s.problems, dataset.Problem{Location: headerLoc(fmt.Sprintf("%d:%d", m.row+1, m.row+1)),
			Severity: dataset.Error, Code: "missing_columns", Expected: strings.Join(m.missing, "、"),
			Reason: fmt.Sprintf("该表像是“%s”，但缺少必需的列：%s；该工作表的数据行均未读取", t.Name, strings.Join(m.missing, "、"))})
	}
	for _, hc := range m.repeated {
		s.rejectAll = true
		s.problems = append(s.problems, dataset.Problem{Location: headerLoc(hc.cell), Severity: dataset.Error,
			Code: "repeated_column", Column: hc.text, Raw: hc.text,
			Reason: "与前面的列重复，无法确定采用哪一列；该工作表的数据行均未读取"})
	}
	for _, hc := range m.unused {
		s.known[hc.index] = true
		s.problems = append(s.problems, dataset.Problem{Location: headerLoc(hc.cell), Severity: dataset.Info,
			Code: "unused_column", Column: hc.text, Raw: hc.text, Reason: "该列不在评估所需的列中，未读取"})
	}
	for i, col := range t.Columns {
		hc := m.columns[i]
		if hc.index < 0 {
			continue
		}
		s.known[hc.index] = true
		s.src.Columns[col.Key] = hc.index
		s.src.Headers[col.Key] = hc.text
		factor := 1.0
		if config.Numeric(col.Kind) {
			var ok bool
			if factor, ok = conversion(hc.unit, col.Unit); !ok {
				s.rejectAll = true
				s.problems = append(s.problems, dataset.Problem{Location: headerLoc(hc.cell), Severity: dataset.Error,
					Code: "bad_unit", Column: hc.text, Raw: hc.text, Expected: col.Unit,
					Reason: fmt.Sprintf("表头单位“%s”无法换算为“%s”；该工作表的数据行均未读取", hc.unit, col.Unit)})
			}
		}
		s.parsers[i] = r.parser(col, factor, date1904)
	}
	return s
}

// row reads one sheet row; num is its 1-based row number.
func (s *sheetReader) row(num int, cells []string) {
	first := ""
	for _, c := range cells {
		if t := strings.TrimSpace(c); t != "" {
			first = t
			break
		}
	}
	if first == "" {
		s.src.Rows.Blank++
		return
	}
	s.src.Rows.Read++
	rowLoc := dataset.Location{File: s.file, Sheet: s.sheet, Cell: fmt.Sprintf("%d:%d", num, num)}
	switch {
	case s.rejectAll:
		s.reject(num, nil)
		return
	case s.r.isNote(first):
		s.src.Rows.Skipped++
		s.problems = append(s.problems, dataset.Problem{Location: rowLoc, Severity: dataset.Info, Code: "note_row",
			Raw: clip(first), Reason: "说明或落款行，不是平台数据，已跳过"})
		return
	case s.r.isTotal(first):
		s.src.Rows.Skipped++
		s.problems = append(s.problems, dataset.Problem{Location: rowLoc, Severity: dataset.Info, Code: "total_row",
			Raw: clip(first), Reason: "合计行，不是平台数据，已跳过"})
		return
	}

	ok := s.parseRow(num, func(hc headerColumn) string {
		if hc.index < len(cells) {
			return cells[hc.index]
		}
		return ""
	})
	for c, text := range cells {
		if !s.known[c] && strings.TrimSpace(text) != "" {
			if s.ignored == 0 {
				s.firstIgnored, _ = excelize.CoordinatesToCellName(c+1, num)
			}
			s.ignored++
		}
	}
	if !ok {
		s.reject(num, s.vals)
		return
	}
	s.append(num)
	s.src.Rows.Accepted++
}

// parseRow parses the values of data row num, as get reads their raw texts, and
// reports whether every value was accepted; each refused value is a problem.
func (s *sheetReader) parseRow(num int, get func(headerColumn) string) bool {
	ok := true
	for i, p := range s.parsers {
		if p == nil {
			s.vals[i], s.raws[i] = value{null: true}, ""
			continue
		}
		hc := s.match.columns[i]
		raw := get(hc)
		ref := s.ref(hc, num)
		v, f := p.parse(raw, p.col.Kind == config.KindPercent && s.percentFormatted(ref, raw))
		if formula, uncalculated := s.uncalculated[ref]; raw == "" && uncalculated {
			v, f = value{}, &fault{"formula_not_calculated", p.expected(),
				"单元格中的公式（" + formula + "）没有计算结果：文件保存时未经计算，请用 Excel 或 WPS 打开后保存再提交"}
		}
		if f != nil {
			ok = false
			s.fault(num, hc, raw, f)
		}
		s.vals[i], s.raws[i] = v, raw
	}
	if ok && s.match.spec.table.Key == config.TableRegister {
		ok = s.checkSubtype(num, get)
	}
	return ok
}

// ref is the A1 reference of a column's value on data row num.
func (s *sheetReader) ref(hc headerColumn, num int) string {
	row := num
	if hc.row > 0 {
		row = hc.row
	}
	ref, _ := excelize.CoordinatesToCellName(hc.index+1, row)
	return ref
}

// reject counts a rejected row and notes its platform id and year, taken from
// vals where those parsed.
func (s *sheetReader) reject(num int, vals []value) {
	s.src.Rows.Rejected++
	row := dataset.RejectedRow{Table: s.match.spec.table.Key, Row: int32(num)}
	if vals != nil {
		for i, col := range s.match.spec.table.Columns {
			v := vals[i]
			switch {
			case v.null || s.parsers[i] == nil:
			case col.Key == "id":
				row.ID = v.str
			case col.Key == "year":
				row.Year = int(v.i32)
			}
		}
	}
	s.rejected = append(s.rejected, row)
}

// percentFormatted reports whether a cell has a percentage number format. Only
// bare numbers in percent columns are looked up; the style of a cell costs a
// parse of the sheet once, and a lookup per cell after.
func (s *sheetReader) percentFormatted(ref, raw string) bool {
	if s.f == nil || raw == "" || strings.Contains(raw, "%") {
		return false
	}
	id, err := s.f.GetCellStyle(s.sheet, ref)
	if err != nil || id == 0 {
		return false
	}
	if pct, ok := s.percentStyle[id]; ok {
		return pct
	}
	pct := false
	if st, err := s.f.GetStyle(id); err == nil {
		pct = st.NumFmt == 9 || st.NumFmt == 10 || st.CustomNumFmt != nil && percentFormat(*st.CustomNumFmt)
	}
	if s.percentStyle == nil {
		s.percentStyle = map[int]bool{}
	}
	s.percentStyle[id] = pct
	return pct
}

// percentFormat reports whether a number format code shows a percentage: a %
// outside quoted text and escapes.
func percentFormat(code string) bool {
	quoted := false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == '"':
			quoted = !quoted
		case c == '\\' && !quoted:
			i++
		case c == '%' && !quoted:
			return true
		}
	}
	return false
}

// fault records a rejected cell.
func (s *sheetReader) fault(num int, hc headerColumn, raw string, f *fault) {
	s.problems = append(s.problems, dataset.Problem{
		Location: dataset.Location{File: s.file, Sheet: s.sheet, Cell: s.ref(hc, num)},
		Severity: dataset.Error, Code: f.code, Column: hc.text, Raw: clip(raw),
		Expected: f.expected, Reason: f.reason,
	})
}

// checkSubtype checks a register row's sub-type against its programme: a
// programme with sub-types needs one of its own, one without takes none.
func (s *sheetReader) checkSubtype(num int, get func(headerColumn) string) bool {
	t := s.match.spec.table
	progIdx, subIdx := columnIndex(t, "programme"), columnIndex(t, "subtype")
	if progIdx < 0 || subIdx < 0 {
		return true
	}
	prog := s.r.cfg.Programmes[s.vals[progIdx].str]
	sub := s.vals[subIdx]
	hc := s.match.columns[subIdx]
	if hc.index < 0 {
		hc = s.match.columns[progIdx]
	}
	raw := get(hc)
	var names []string
	for _, st := range prog.Subtypes {
		names = append(names, st.Name)
	}
	switch {
	case len(prog.Subtypes) > 0 && sub.null:
		s.fault(num, hc, "", &fault{"missing_value", "以下之一：" + strings.Join(names, "、"), prog.Name + "须填写建设模式"})
	case len(prog.Subtypes) > 0:
		if _, ok := prog.Subtype(sub.str); ok {
			return true
		}
		s.fault(num, hc, raw, &fault{"subtype_mismatch", "以下之一：" + strings.Join(names, "、"),
			"建设模式与平台类别“" + prog.Name + "”不符"})
	case !sub.null:
		s.fault(num, hc, raw, &fault{"subtype_mismatch", "空", prog.Name + "不分建设模式"})
	default:
		return true
	}
	return false
}

// columnIndex returns the index of the column with the given key, or -1.
func columnIndex(t config.Table, key string) int {
	for i, col := range t.Columns {
		if col.Key == key {
			return i
		}
	}
	return -1
}

// append adds the parsed row to the Arrow builder, flushing a full batch.
func (s *sheetReader) append(num int) {
	s.builder.Field(0).(*array.Int32Builder).Append(0) // the source index is set when files are merged
	s.builder.Field(1).(*array.Int32Builder).Append(int32(num))
	for i, v := range s.vals {
		if rf := s.rawFields[i]; rf >= 0 {
			rb := s.builder.Field(rf).(*array.StringBuilder)
			if raw, keep := s.parsers[i].keepRaw(s.raws[i], v); s.parsers[i] != nil && keep {
				rb.Append(raw)
			} else {
				rb.AppendNull()
			}
		}
		b := s.builder.Field(s.fields[i])
		if v.null {
			b.AppendNull()
			continue
		}
		switch b := b.(type) {
		case *array.StringBuilder:
			b.Append(v.str)
		case *array.Int32Builder:
			b.Append(v.i32)
		case *array.Date32Builder:
			b.Append(arrow.Date32(v.i32))
		case *array.Float64Builder:
			b.Append(v.num)
		}
	}
	if s.builder.Field(0).Len() >= s.r.cfg.Ingest.BatchRows {
		s.flush()
	}
}

// flush turns the rows built so far into a record batch.
func (s *sheetReader) flush() {
	if s.builder.Field(0).Len() == 0 {
		return
	}
	s.records = append(s.records, s.builder.NewRecord())
}

// release drops the batches read so far.
func (s *sheetReader) release() {
	for _, rec := range s.records {
		rec.Release()
	}
	s.records = nil
}

// clip shortens a long cell text for the problems list.
func clip(s string) string {
	const max = 120
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}
