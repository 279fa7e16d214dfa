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
}

// tableHeaderRow is the header row of a plain table.
const tableHeaderRow = 2

// write saves the table at path, creating its folder.
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
	sw, err := f.NewStreamWriter(t.sheet)
	if err != nil {
		return fmt.Errorf("stream writer: %w", err)
	}
	for i, width := range t.widths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return fmt.Errorf("column width: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: tableHeaderRow, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("panes: %w", err)
	}
	w := &sheetWriter{sw: sw}
	if err := w.next([]any{excelize.Cell{StyleID: st.title, Value: t.title}}, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	if err := w.merge(1, 1, len(t.header), 1); err != nil {
		return err
	}
	header := make([]any, len(t.header))
	for i, h := range t.header {
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := w.next(header, excelize.RowOpts{Height: 24}); err != nil {
		return err
	}
	if err := t.rows(st, func(row []any) error { return w.next(row) }); err != nil {
		return err
	}
	for _, note := range t.notes {
		if err := w.next([]any{excelize.Cell{StyleID: st.note, Value: note}}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	return xlsxout.Save(f, path)
}
