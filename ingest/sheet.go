package ingest

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"assessor/config"
	"assessor/dataset"
	"assessor/internal/xlsxin"
)

// sheetResult is one sheet's table: its account and its accepted rows.
type sheetResult struct {
	source   dataset.Source
	records  []arrow.Record // dataset.Schema of the table; _source still 0
	rejected []dataset.RejectedRow
}

// sheetRow is one row of a sheet as the workbook reader gives it.
type sheetRow struct {
	values     []string
	styles     []int
	uncomputed []xlsxin.Formula // formula cells saved without a result
}

// cell is one cell of a row: its raw text, its style, and the formula when
// the cell is a formula saved without a result.
type cell struct {
	raw        string
	style      int
	formula    string
	uncomputed bool
}

// at returns the cell in column col (0-based); an empty cell beyond the row.
func (r sheetRow) at(col int) cell {
	var c cell
	if col < len(r.values) {
		c.raw, c.style = r.values[col], r.styles[col]
	}
	for _, f := range r.uncomputed {
		if f.Col == col {
			c.formula, c.uncomputed = f.Text, true
		}
	}
	return c
}

// sheetReader reads the data rows of one sheet below its header.
type sheetReader struct {
	r                 *reader
	wb                *xlsxin.Workbook // for the number formats of percent cells
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
	percentStyle      map[int]bool // style index → has a percentage number format
}

// grid is the top of a sheet read into memory, by row number: grid[i] is row
// i+1 (nil where the sheet writes no row).
type grid []sheetRow

// add copies the current row into the grid.
func (g grid) add(num int, row sheetRow) grid {
	for len(g) < num-1 {
		g = append(g, sheetRow{})
	}
	return append(g, sheetRow{values: slices.Clone(row.values), styles: slices.Clone(row.styles),
		uncomputed: slices.Clone(row.uncomputed)})
}

// texts returns the grid's values, for matching headers and labels.
func (g grid) texts() [][]string {
	out := make([][]string, len(g))
	for i, row := range g {
		out[i] = row.values
	}
	return out
}

// readSheet reads the i-th sheet of a workbook: finds its table header in the
// first rows, then reads every row below it. A sheet without a known table is
// reported and skipped. A sheet that cannot be read to its end, a workbook
// over its cell cap (budget is the workbook's) or a cancelled context is an
// error, for the caller to refuse the whole file.
func (r *reader) readSheet(ctx context.Context, wb *xlsxin.Workbook, i int, file string, budget *cellBudget) (*sheetResult, []dataset.Problem, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	sheet := wb.Sheets()[i].Name
	rows, err := wb.Rows(i)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	sr := startRows(ctx, rows, budget, r.pipelineMin)
	defer sr.close() // before rows.Close: the decoder stops first

	// The top rows, where the header is sought. A row past them is kept for
	// the data below the header.
	var top grid
	pending := false
	for sr.next() {
		if sr.num() > r.cfg.Ingest.HeaderScanRows {
			pending = true
			break
		}
		top = top.add(sr.num(), sr.row())
	}
	if sr.err != nil {
		return nil, nil, sr.err
	}
	texts := top.texts()
	m := findHeader(texts, r.labels.grid(texts), r.specs, r.labels)
	if m == nil {
		if isBlank(texts) && !pending {
			return nil, nil, nil
		}
		return r.tryForm(sr, wb, i, top, pending, file, sheet)
	}

	s := r.newSheetReader(wb, file, sheet, m)
	defer s.builder.Release()
	last := m.row + 1 // the last row number accounted for
	for j := m.row + 1; j < len(top); j++ {
		s.row(j+1, top[j])
		last = j + 1
	}
	for ok := pending; ok; ok = sr.next() {
		num := sr.num()
		s.src.Rows.Blank += num - last - 1 // rows the sheet does not write are blank
		s.row(num, sr.row())
		last = num
	}
	if sr.err != nil {
		s.release()
		return nil, nil, sr.err
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
// table are found on it: one platform's report, one data row. pending says
// the reader stands on a row not yet in the grid.
func (r *reader) tryForm(sr *sheetRows, wb *xlsxin.Workbook, i int, g grid, pending bool, file, sheet string) (*sheetResult, []dataset.Problem, error) {
	sheetLoc := dataset.Location{File: file, Sheet: sheet}
	noTable := []dataset.Problem{{Location: sheetLoc, Severity: dataset.Info, Code: "no_table",
		Reason: fmt.Sprintf("没有找到可识别的表头（前 %d 行）或填报表，该工作表未读取", r.cfg.Ingest.HeaderScanRows)}}
	if len(r.forms) == 0 {
		return nil, noTable, nil
	}
	for ok := pending; ok && sr.num() <= r.cfg.Ingest.FormScanRows; ok = sr.next() {
		g = g.add(sr.num(), sr.row())
	}
	if sr.err != nil {
		return nil, nil, sr.err
	}
	// Labels first: merges are needed only to place the values of a sheet
	// that is a form, and reading them costs a parse of the whole sheet.
	texts := g.texts()
	labels := r.labels.grid(texts)
	identity := func(_, col int) int { return col }
	if findForm(texts, labels, r.forms, identity) == nil {
		return nil, noTable, nil
	}
	ends := map[[2]int]int{}
	merges, err := wb.Merges(i)
	if err != nil {
		return nil, nil, err
	}
	for _, mg := range merges {
		ends[[2]int{mg.FromRow - 1, mg.FromCol}] = mg.ToCol
	}
	m := findForm(texts, labels, r.forms, func(row, col int) int {
		if end, ok := ends[[2]int{row, col}]; ok {
			return end
		}
		return col
	})
	s := r.newSheetReader(wb, file, sheet, m)
	defer s.builder.Release()
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
	case s.parseRow(num, func(hc headerColumn) cell {
		if hc.row-1 < len(g) {
			return g[hc.row-1].at(hc.index)
		}
		return cell{}
	}):
		s.append(num)
		s.src.Rows.Accepted++
	default:
		s.reject(num, s.vals)
	}
	s.flush()
	return &sheetResult{source: s.src, records: s.records, rejected: s.rejected}, s.problems, nil
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
func (r *reader) newSheetReader(wb *xlsxin.Workbook, file, sheet string, m *headerMatch) *sheetReader {
	t := m.spec.table
	s := &sheetReader{
		r: r, wb: wb, file: file, sheet: sheet, match: m,
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
		s.parsers[i] = r.parser(col, factor, wb.Date1904())
	}
	return s
}

// row reads one sheet row; num is its 1-based row number.
func (s *sheetReader) row(num int, sr sheetRow) {
	cells := sr.values
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
	rowLoc := func() dataset.Location {
		return dataset.Location{File: s.file, Sheet: s.sheet, Cell: fmt.Sprintf("%d:%d", num, num)}
	}
	switch {
	case s.rejectAll:
		s.reject(num, nil)
		return
	case s.r.isNote(first):
		s.src.Rows.Skipped++
		s.problems = append(s.problems, dataset.Problem{Location: rowLoc(), Severity: dataset.Info, Code: "note_row",
			Raw: clip(first), Reason: "说明或落款行，不是平台数据，已跳过"})
		return
	case s.r.isTotal(first):
		s.src.Rows.Skipped++
		s.problems = append(s.problems, dataset.Problem{Location: rowLoc(), Severity: dataset.Info, Code: "total_row",
			Raw: clip(first), Reason: "合计行，不是平台数据，已跳过"})
		return
	}

	ok := s.parseRow(num, func(hc headerColumn) cell { return sr.at(hc.index) })
	for c, text := range cells {
		if !s.known[c] && strings.TrimSpace(text) != "" {
			if s.ignored == 0 {
				s.firstIgnored = xlsxin.CellName(c, num)
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

// parseRow parses the values of data row num, as get reads their cells, and
// reports whether every value was accepted; each refused value is a problem.
func (s *sheetReader) parseRow(num int, get func(headerColumn) cell) bool {
	ok := true
	for i, p := range s.parsers {
		if p == nil {
			s.vals[i], s.raws[i] = value{null: true}, ""
			continue
		}
		hc := s.match.columns[i]
		c := get(hc)
		v, f := p.parse(c.raw, p.col.Kind == config.KindPercent && s.percentFormatted(c))
		if c.raw == "" && c.uncomputed {
			formula := c.formula
			if formula == "" {
				formula = "共享公式"
			}
			v, f = value{}, &fault{"formula_not_calculated", p.expected(),
				"单元格中的公式（" + formula + "）没有计算结果：文件保存时未经计算，请用 Excel 或 WPS 打开后保存再提交"}
		}
		if f != nil {
			ok = false
			s.fault(num, hc, c.raw, f)
		}
		s.vals[i], s.raws[i] = v, c.raw
	}
	if ok && s.match.spec.table.Key == config.TableRegister {
		ok = s.checkSubtype(num, func(hc headerColumn) string { return get(hc).raw })
	}
	return ok
}

// ref is the A1 reference of a column's value on data row num.
func (s *sheetReader) ref(hc headerColumn, num int) string {
	row := num
	if hc.row > 0 {
		row = hc.row
	}
	return xlsxin.CellName(hc.index, row)
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

// percentFormatted reports whether a cell has a percentage number format.
// Only bare numbers in percent columns are looked up, once per style.
func (s *sheetReader) percentFormatted(c cell) bool {
	if c.raw == "" || c.style == 0 || strings.Contains(c.raw, "%") {
		return false
	}
	if pct, ok := s.percentStyle[c.style]; ok {
		return pct
	}
	nf, err := s.wb.NumFmt(c.style)
	pct := err == nil && nf.Kind() == xlsxin.FormatPercent
	if s.percentStyle == nil {
		s.percentStyle = map[int]bool{}
	}
	s.percentStyle[c.style] = pct
	return pct
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
			raw, keep := "", false
			if p := s.parsers[i]; p != nil {
				raw, keep = p.keepRaw(s.raws[i], v)
			}
			if keep {
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

// flush turns the rows built so far into a record batch. After a full
// batch the builders start the next one at the size of the last, rather
// than doubling up to it from Arrow's 32 rows: a sheet that filled one batch
// is likely to fill the next, and each doubling copies the column. They are
// sized exactly (Resize), not through Reserve, which rounds up to the next
// power of two past the size and so gave every column of a full batch twice
// the room it fills; texts get a 32nd more than the last batch's.
func (s *sheetReader) flush() {
	n := s.builder.Field(0).Len()
	if n == 0 {
		return
	}
	full := n >= s.r.cfg.Ingest.BatchRows
	var textBytes []int // each text column's bytes in the batch
	if full {
		textBytes = make([]int, len(s.builder.Fields()))
		for i, b := range s.builder.Fields() {
			if sb, ok := b.(*array.StringBuilder); ok {
				textBytes[i] = sb.DataLen()
			}
		}
	}
	s.records = append(s.records, s.r.settled(s.builder.NewRecord(), s.rawFields))
	if full {
		for i, b := range s.builder.Fields() {
			b.Resize(n)
			if sb, ok := b.(*array.StringBuilder); ok && textBytes[i] > 0 {
				sb.ReserveData(textBytes[i] + textBytes[i]/32)
			}
		}
	}
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

// settled returns rec with its columns in no more memory than they fill.
// Each raw-text column (rawFields, by table column; -1 for none) that holds
// no text in the batch — nearly all of them: a raw text is kept only where
// it says more than the value — is made over the reader's shared zeros
// rather than buffers of its own: a column of nulls still takes an offset
// and a validity bit a row, 4 bytes of the 8 a number takes, so a
// million-row roster's raw-text columns would otherwise be a fifth of its
// memory. Every other column whose buffers have more room than a 16th past
// what they fill (a text column that outgrew its reserve doubles, and Arrow
// keeps the room when it makes the array) is copied into buffers of its
// size. It releases rec when it replaces it.
func (r *reader) settled(rec arrow.Record, rawFields []int) arrow.Record {
	n := int(rec.NumRows())
	var cols []arrow.Array
	replace := func(i int, col arrow.Array) {
		if cols == nil {
			cols = slices.Clone(rec.Columns())
		}
		cols[i] = col
	}
	isRaw := make([]bool, rec.NumCols())
	for _, rf := range rawFields {
		if rf >= 0 {
			isRaw[rf] = true
		}
	}
	for i, col := range rec.Columns() {
		switch {
		case isRaw[i] && col.NullN() == n && (n+1)*arrow.Int32SizeBytes <= len(r.zeros):
			replace(i, r.nullStrings(n))
		case roomy(col.Data()):
			replace(i, r.packed(col.Data()))
		}
	}
	if cols == nil {
		return rec
	}
	out := array.NewRecord(rec.Schema(), cols, int64(n))
	for i, col := range cols {
		if col != rec.Column(i) {
			col.Release() // the record holds it
		}
	}
	rec.Release()
	return out
}

// roomy reports whether any of an array's buffers has more room than a
// 16th past what it fills (and more than the 64 bytes buffers round to).
func roomy(d arrow.ArrayData) bool {
	for _, b := range d.Buffers() {
		if b != nil && cap(b.Bytes())-b.Len() > max(64, b.Len()/16) {
			return true
		}
	}
	return false
}

// packed returns a copy of an array (a flat one: the reader makes no
// other) in buffers of the reader's allocator, each the size it fills.
func (r *reader) packed(d arrow.ArrayData) arrow.Array {
	bufs := make([]*memory.Buffer, len(d.Buffers()))
	for i, b := range d.Buffers() {
		if b == nil {
			continue
		}
		bufs[i] = memory.NewResizableBuffer(r.mem)
		bufs[i].Resize(b.Len())
		copy(bufs[i].Bytes(), b.Bytes())
	}
	data := array.NewData(d.DataType(), d.Len(), bufs, nil, d.NullN(), d.Offset())
	for _, b := range bufs {
		if b != nil {
			b.Release() // data holds it
		}
	}
	defer data.Release()
	return array.MakeFromData(data)
}

// nullStrings returns a string array of n nulls over the reader's zeros,
// which n+1 offsets must fit in. Its buffers belong to no allocator.
func (r *reader) nullStrings(n int) arrow.Array {
	data := array.NewData(arrow.BinaryTypes.String, n, []*memory.Buffer{
		memory.NewBufferBytes(r.zeros[:bitutil.BytesForBits(int64(n))]),
		memory.NewBufferBytes(r.zeros[:(n+1)*arrow.Int32SizeBytes]),
		memory.NewBufferBytes(nil),
	}, nil, n, 0)
	defer data.Release()
	return array.MakeFromData(data)
}
