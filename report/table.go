package report

import (
	"fmt"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// column is one column of a sheet table.
type column struct {
	title    string
	minWidth float64
	maxWidth float64
	wrap     bool // long text wraps instead of widening the column
}

// table is a sheet's content: a header row and data rows of excelize.Cell values.
type table struct {
	sheet   string
	columns []column
	rows    [][]excelize.Cell
	// footer rows follow the data, outside the filtered range (totals, notes).
	footer [][]excelize.Cell
}

// Column width limits, in Excel's character units.
const (
	defaultMinWidth = 8
	defaultMaxWidth = 40
)

// write streams the table into its sheet: header frozen, autofilter over the
// header and data, widths fitted to the content within each column's limits.
// Sheet features are set before the rows are streamed, as excelize's
// StreamWriter requires.
func (t *table) write(f *excelize.File, st *styles) error {
	sw, err := f.NewStreamWriter(t.sheet)
	if err != nil {
		return fmt.Errorf("sheet %s: %w", t.sheet, err)
	}
	for i, w := range t.widths() {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return fmt.Errorf("sheet %s: %w", t.sheet, err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("sheet %s: %w", t.sheet, err)
	}
	last, _ := excelize.CoordinatesToCellName(len(t.columns), len(t.rows)+1)
	if err := f.AutoFilter(t.sheet, "A1:"+last, nil); err != nil {
		return fmt.Errorf("sheet %s: %w", t.sheet, err)
	}
	header := make([]any, len(t.columns))
	for i, c := range t.columns {
		header[i] = excelize.Cell{StyleID: st.header, Value: c.title}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 30}); err != nil {
		return fmt.Errorf("sheet %s: %w", t.sheet, err)
	}
	rowNum := 2
	for _, rows := range [][][]excelize.Cell{t.rows, t.footer} {
		for _, row := range rows {
			vals := make([]any, len(row))
			for i, c := range row {
				if c.StyleID == 0 {
					c.StyleID = st.text
					if i < len(t.columns) && t.columns[i].wrap {
						c.StyleID = st.wrap
					}
				}
				vals[i] = c
			}
			cell, _ := excelize.CoordinatesToCellName(1, rowNum)
			if err := sw.SetRow(cell, vals); err != nil {
				return fmt.Errorf("sheet %s row %d: %w", t.sheet, rowNum, err)
			}
			rowNum++
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("sheet %s: %w", t.sheet, err)
	}
	return nil
}

// widths fits each column to its widest text, within the column's limits.
func (t *table) widths() []float64 {
	out := make([]float64, len(t.columns))
	for i, c := range t.columns {
		out[i] = displayWidth(c.title) + 2
	}
	for _, rows := range [][][]excelize.Cell{t.rows, t.footer} {
		for _, row := range rows {
			for i, c := range row {
				if i < len(out) {
					out[i] = max(out[i], displayWidth(fmt.Sprint(c.Value))+2)
				}
			}
		}
	}
	for i, c := range t.columns {
		lo, hi := c.minWidth, c.maxWidth
		if lo == 0 {
			lo = defaultMinWidth
		}
		if hi == 0 {
			hi = defaultMaxWidth
		}
		out[i] = min(max(out[i], lo), hi)
	}
	return out
}

// displayWidth approximates a text's width in Excel character units: a CJK or
// other wide character takes two.
func displayWidth(s string) float64 {
	w := 0.0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if r >= 0x1100 {
			w += 2
		} else {
			w++
		}
	}
	return w
}
