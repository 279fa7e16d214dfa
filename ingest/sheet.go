package ingest

import (
	"context"
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
	r            *reader
	file         string
	sheet        string
	match        *headerMatch
	src          dataset.Source
	parsers      []*columnParser // by table column; nil for a column the sheet lacks
	vals         []value
	builder      *array.RecordBuilder
	records      []arrow.Record
	rejected     []dataset.RejectedRow
	problems     []dataset.Problem
	rejectAll    bool         // the header is unusable: rows are counted, not read
	known        map[int]bool // sheet columns with a header
	ignored      int          // non-empty cells outside any header column
	firstIgnored string
}

// readSheet reads one sheet: finds its table header in the first rows, then reads
// every row below it. A sheet without a known table is reported and skipped.
func (r *reader) readSheet(ctx context.Context, f *excelize.File, file, sheet string, date1904 bool) (*sheetResult, []dataset.Problem, error) {
	sheetLoc := dataset.Location{File: file, Sheet: sheet}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, []dataset.Problem{{Location: sheetLoc, Severity: dataset.Warning, Code: "sheet_unreadable",
			Reason: "无法读取该工作表（可能是图表或宏表）：" + err.Error()}}, nil
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
		top = append(top, cells)
	}
	if readErr == nil {
		readErr = rows.Error()
	}
	m := findHeader(top, r.specs)
	if m == nil {
		var problems []dataset.Problem
		if !isBlank(top) {
			problems = append(problems, dataset.Problem{Location: sheetLoc, Severity: dataset.Info, Code: "no_table",
				Reason: fmt.Sprintf("前 %d 行中没有找到可识别的表头，该工作表未读取", r.cfg.Ingest.HeaderScanRows)})
		}
		if readErr != nil {
			problems = append(problems, sheetReadProblem(sheetLoc, rowNum+1, readErr))
		}
		return nil, problems, nil
	}

	s := r.newSheetReader(file, sheet, m, date1904)
	defer s.builder.Release()
	for i := m.row + 1; i < len(top); i++ {
		s.row(i+1, top[i])
	}
	for readErr == nil && rows.Next() {
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
		s.row(rowNum, cells)
	}
	if readErr == nil {
		readErr = rows.Error()
	}
	if readErr != nil {
		s.problems = append(s.problems, sheetReadProblem(sheetLoc, rowNum+1, readErr))
	}
	s.flush()
	if s.ignored > 0 {
		s.problems = append(s.problems, dataset.Problem{Location: dataset.Location{File: file, Sheet: sheet, Cell: s.firstIgnored},
			Severity: dataset.Info, Code: "cells_outside_table",
			Reason: fmt.Sprintf("表头以外的列中有 %d 个非空单元格未读取（首个位于 %s）", s.ignored, s.firstIgnored)})
	}
	return &sheetResult{source: s.src, records: s.records, rejected: s.rejected}, s.problems, nil
}

// sheetReadProblem reports a sheet that could not be read to its end.
func sheetReadProblem(loc dataset.Location, row int, err error) dataset.Problem {
	return dataset.Problem{Location: loc, Severity: dataset.Error, Code: "sheet_read_failed",
		Reason: fmt.Sprintf("读取第 %d 行前后出错，该表此后的内容未读取：%v", row, err)}
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
		builder: array.NewRecordBuilder(r.mem, r.schemas[t.Key]),
		known:   map[int]bool{},
		src: dataset.Source{File: file, Sheet: sheet, Table: t.Key, HeaderRow: m.row + 1,
			Columns: map[string]int{}, Headers: map[string]string{}},
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

	ok := true
	for i, p := range s.parsers {
		if p == nil {
			s.vals[i] = value{null: true}
			continue
		}
		hc := s.match.columns[i]
		raw := ""
		if hc.index < len(cells) {
			raw = cells[hc.index]
		}
		v, f := p.parse(raw)
		if f != nil {
			ok = false
			s.fault(num, hc, raw, f)
		}
		s.vals[i] = v
	}
	if ok && s.match.spec.table.Key == config.TableRegister {
		ok = s.checkSubtype(num, cells)
	}
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

// fault records a rejected cell.
func (s *sheetReader) fault(num int, hc headerColumn, raw string, f *fault) {
	cell, _ := excelize.CoordinatesToCellName(hc.index+1, num)
	s.problems = append(s.problems, dataset.Problem{
		Location: dataset.Location{File: s.file, Sheet: s.sheet, Cell: cell},
		Severity: dataset.Error, Code: f.code, Column: hc.text, Raw: clip(raw),
		Expected: f.expected, Reason: f.reason,
	})
}

// checkSubtype checks a register row's sub-type against its programme: a
// programme with sub-types needs one of its own, one without takes none.
func (s *sheetReader) checkSubtype(num int, cells []string) bool {
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
	raw := ""
	if hc.index < len(cells) {
		raw = cells[hc.index]
	}
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
		b := s.builder.Field(i + 2)
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
