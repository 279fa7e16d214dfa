package samples

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"assessor/internal/xlsxout"
)

// table is a workbook of one plain table: a title row merged across the
// columns, the header in row 2, the data rows, and note rows in column A.
// The events, the expert scores and the published results look like this.
type table struct {
	sheet  string
	title  string
	header []string
	widths []float64
	notes  []string
	// rows emits the data rows, in order, with the workbook's styles.
	rows func(st styles, emit func(row []any) error) error
	// sheetRows is the number of rows a sheet holds; 0 means Excel's
	// limit.
	sheetRows int
}

// tableHeaderRow is the header row of a plain table.
const tableHeaderRow = 2

// write saves the table at path, creating its folder. Rows beyond a sheet's
// limit continue on a sheet of the same title and header, named with a
// number: "专家评分（2）".
func (t *table) write(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", t.sheet); err != nil {
		return fmt.Errorf("rename sheet: %w", err)
	}
	st, err := newStyles(f, false)
	if err != nil {
		return err
	}
	w, err := t.startSheet(f, st, t.sheet)
	if err != nil {
		return err
	}
	sheets := 1
	limit := t.sheetRows
	if limit == 0 {
		limit = excelize.TotalRows
	}
	room := limit - tableHeaderRow - len(t.notes) // data rows one sheet holds
	emit := func(row []any) error {
		if w.row-tableHeaderRow >= room {
			if err := w.sw.Flush(); err != nil {
				return fmt.Errorf("flush: %w", err)
			}
			sheets++
			name := fmt.Sprintf("%s（%d）", t.sheet, sheets)
			if _, err := f.NewSheet(name); err != nil {
				return fmt.Errorf("sheet %s: %w", name, err)
			}
			if w, err = t.startSheet(f, st, name); err != nil {
				return err
			}
		}
		return w.next(row)
	}
	if err := t.rows(st, emit); err != nil {
		return err
	}
	for _, note := range t.notes {
		if err := w.next([]any{excelize.Cell{StyleID: st.note, Value: note}}); err != nil {
			return err
		}
	}
	if err := w.sw.Flush(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	return xlsxout.Save(f, path)
}

// startSheet starts streaming a sheet of the table: widths, frozen header,
// the title row and the header row.
func (t *table) startSheet(f *excelize.File, st styles, sheet string) (*sheetWriter, error) {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fmt.Errorf("stream writer: %w", err)
	}
	for i, width := range t.widths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return nil, fmt.Errorf("column width: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: tableHeaderRow, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("panes: %w", err)
	}
	w := &sheetWriter{sw: sw}
	if err := w.next([]any{excelize.Cell{StyleID: st.title, Value: t.title}}, excelize.RowOpts{Height: 30}); err != nil {
		return nil, err
	}
	if err := w.merge(1, 1, len(t.header), 1); err != nil {
		return nil, err
	}
	header := make([]any, len(t.header))
	for i, h := range t.header {
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := w.next(header, excelize.RowOpts{Height: 24}); err != nil {
		return nil, err
	}
	return w, nil
}
