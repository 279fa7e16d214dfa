package report

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"

	"assessor/internal/xlsxout"
)

// column is one column of a table.
type column struct {
	title    string
	minWidth float64
	maxWidth float64
	wrap     bool // long text wraps instead of widening the column
	// span makes a table's last column reach the sheet's last column, its
	// cells merged across, on a sheet of several tables; its text does not
	// widen the column.
	span bool
}

// table is a header row, the data rows under it and footer rows (totals,
// notes) after the data.
type table struct {
	// title is shown above the header on a sheet of several tables.
	title   string
	columns []column
	rows    [][]excelize.Cell
	// stream, when set, makes further data rows on demand, after rows, so
	// that memory does not grow with a table as long as the register. Alone
	// on its sheet, such a table's rows are made once, measured to fit the
	// widths and deflated into temporary files to be put into the sheet as
	// it is saved (deflating); otherwise they are made once to fit the
	// widths and again to be written.
	stream *rowStream
	footer [][]excelize.Cell
}

// rowStream makes a table's data rows one at a time.
type rowStream struct {
	n int // rows
	// row makes row i, appending its cells to buf (which may be reused once
	// the row is written).
	row func(i int, buf []excelize.Cell) []excelize.Cell
}

// streamed makes a table's data rows on demand, one for each of the n items.
func (t *table) streamed(n int, row func(i int, buf []excelize.Cell) []excelize.Cell) *table {
	t.stream = &rowStream{n: n, row: row}
	return t
}

// dataRows is the number of the table's data rows.
func (t *table) dataRows() int {
	n := len(t.rows)
	if t.stream != nil {
		n += t.stream.n
	}
	return n
}

// each calls fn with the kept rows, the streamed rows — made in a goroutine
// of their own a few batches ahead of fn — and the footer rows, stopping at
// the first error. A streamed row's cells are reused once fn returns.
func (t *table) each(fn func(row []excelize.Cell) error) error {
	for _, row := range t.rows {
		if err := fn(row); err != nil {
			return err
		}
	}
	if t.stream != nil {
		if err := t.stream.ahead(fn); err != nil {
			return err
		}
	}
	for _, row := range t.footer {
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

// inStep makes the rows one by one as fn takes them, in one buffer.
func (s *rowStream) inStep(fn func(row []excelize.Cell) error) error {
	var buf []excelize.Cell
	for i := range s.n {
		buf = s.row(i, buf[:0])
		if err := fn(buf); err != nil {
			return err
		}
	}
	return nil
}

// measured measures the streamed rows with measure, each core taking a share
// of them with its own copy of widths; it returns the copies. The shares are
// whole batches of streamBatch rows. With dp, each share's rows are also
// styled and deflated, with their heights in dp.widths, a batch to a
// segment: the same bytes on any number of cores.
func (s *rowStream) measured(t *table, widths []float64, measure func(widths []float64, row []excelize.Cell), dp *deflating) ([][]float64, error) {
	batches := (s.n + streamBatch - 1) / streamBatch
	parts := min(runtime.GOMAXPROCS(0), max(batches, 1))
	share := func(k int) (from, to int) {
		return min(k*batches/parts*streamBatch, s.n), min((k+1)*batches/parts*streamBatch, s.n)
	}
	if dp != nil {
		for k := range parts {
			rows, err := xlsxout.NewDeflatedRows()
			if err != nil {
				dp.release()
				return nil, err
			}
			from, to := share(k)
			dp.shares = append(dp.shares, deflatedShare{rows: rows, from: from, to: to, oneEach: make([]float64, len(t.columns))})
		}
	}
	out := make([][]float64, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for k := range parts {
		out[k] = slices.Clone(widths)
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf, cells []excelize.Cell
			from, to := share(k)
			for i := from; i < to; i++ {
				buf = s.row(i, buf[:0])
				measure(out[k], buf)
				if dp == nil {
					continue
				}
				sh := &dp.shares[k]
				if i%streamBatch == 0 {
					if errs[k] = sh.rows.Cut(); errs[k] != nil {
						return
					}
				}
				cells = t.styled(cells, buf, dp.st)
				lines := 1
				for c := range cells {
					n, oneEach := t.cellLines(dp.st, c, &cells[c], dp.widths[min(c, len(dp.widths)-1)])
					lines = max(lines, n)
					col := min(c, len(sh.oneEach)-1)
					sh.oneEach[col] = max(sh.oneEach[col], oneEach)
				}
				if errs[k] = sh.rows.Row(dp.first+i, cells, rowHeight(lines, 0)); errs[k] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		dp.release()
		return nil, err
	}
	return out, nil
}

// deflating asks table.widths to deflate a streamed table's rows as it
// makes them to measure them, to be put into the sheet while the workbook is
// saved: each row is then made, encoded and deflated once, on the core that
// made it, rather than made again to be written. A row's height depends on
// the widths of the columns whose texts wrap, which are known only once
// every row is measured: the rows are deflated with every column at its
// widest. That gives the heights the final widths give when such a column
// ends at its widest, which the long texts of a long table reach, or wide
// enough for each line of its texts to take one line, which a column fitted
// to its longest line is; where neither holds, the deflated rows are
// dropped and made again to be written (hold).
type deflating struct {
	first  int // the sheet row of the first streamed row
	st     *styles
	widths []float64       // the widths the rows' heights are reckoned in
	shares []deflatedShare // one per core, in row order; none once dropped
}

// deflatedShare is the deflated rows from to to of a streamed table, and
// for each column the width at which every line of its texts that set the
// rows' heights takes one line (0 for a column whose texts set none).
type deflatedShare struct {
	rows     *xlsxout.DeflatedRows
	from, to int
	oneEach  []float64
}

// hold drops the deflated rows unless each column that set their heights
// ended at the width they were reckoned in, or wide enough for every line
// of its texts to take one line, as they do in the wider column they were
// reckoned in.
func (dp *deflating) hold(widths []float64) {
	for _, sh := range dp.shares {
		for c, oneEach := range sh.oneEach {
			if oneEach > 0 && widths[c] != dp.widths[c] && widths[c] < oneEach {
				dp.release()
				return
			}
		}
	}
}

// release closes the deflated rows.
func (dp *deflating) release() {
	if dp == nil {
		return
	}
	for _, sh := range dp.shares {
		sh.rows.Close()
	}
	dp.shares = nil
}

// streamBatch is how many streamed rows are made at a time ahead of the
// writing, and streamAhead how many such batches may wait.
const (
	streamBatch = 256
	streamAhead = 4
)

// ahead makes the rows in a goroutine of its own, in batches, at most
// streamAhead batches ahead of fn. A batch fn is done with goes back to the
// maker, its rows' cells reused for rows to come.
func (s *rowStream) ahead(fn func(row []excelize.Cell) error) error {
	if s.n <= streamBatch {
		return s.inStep(fn)
	}
	batches := make(chan [][]excelize.Cell, streamAhead)
	done := make(chan [][]excelize.Cell, streamAhead+2) // every batch there can be: waiting, being made, being written
	stop := make(chan struct{})
	defer close(stop) // the maker stops at its next batch when fn fails
	go func() {
		defer close(batches)
		for from := 0; from < s.n; from += streamBatch {
			var rows [][]excelize.Cell
			select {
			case rows = <-done:
			default:
				rows = make([][]excelize.Cell, streamBatch)
			}
			rows = rows[:min(streamBatch, s.n-from)]
			for k := range rows {
				rows[k] = s.row(from+k, rows[k][:0])
			}
			select {
			case batches <- rows:
			case <-stop:
				return
			}
		}
	}()
	for rows := range batches {
		for _, row := range rows {
			if err := fn(row); err != nil {
				return err
			}
		}
		done <- rows[:cap(rows)]
	}
	return nil
}

// chart is a column chart of some rows of one of the sheet's tables: the
// categories from one column, the values from another.
type chart struct {
	title          string
	table          int // index in sheet.tables
	from, to       int // data rows, 0-based and inclusive
	catCol, valCol int // 0-based columns
	// step is the value axis' step; 0 leaves it to the reader.
	step float64
}

// sheet is one worksheet. A sheet without a title holds one table whose header
// is the first row: frozen, filtered and printed atop every page. A sheet with
// a title (the summary) has the title as its first row, frozen and printed
// atop every page, then its tables one under another, each under its own
// title, and its charts below them.
type sheet struct {
	name   string
	title  string
	tables []*table
	charts []chart
	// deflated holds, once the sheet is written, the rows of its one
	// streamed table until the workbook is saved; release frees them.
	deflated *deflating
}

// release frees what the sheet holds for the workbook's saving.
func (s *sheet) release() { s.deflated.release() }

// single makes a sheet of one table.
func single(name string, t *table) *sheet { return &sheet{name: name, tables: []*table{t}} }

// Column width limits, in Excel's character units.
const (
	defaultMinWidth = 8
	defaultMaxWidth = 40
)

// Chart size limits and the gap between charts, in pixels, and the rows of
// blankRowHeight points kept for them (a point is 4/3 pixels).
const (
	chartMinWidth  = 260
	chartMaxWidth  = 480
	chartHeight    = 250
	chartGap       = 16
	blankRowHeight = 15
	chartRows      = chartHeight*3/4/blankRowHeight + 2
)

// page is the print set-up of every sheet: A4 landscape, as wide as the page
// and as many pages long as it takes, centred, with narrow margins (inches).
var page = struct {
	layout  excelize.PageLayoutOptions
	margins excelize.PageLayoutMarginsOptions
}{
	layout: excelize.PageLayoutOptions{Size: ptr(9), Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0)},
	margins: excelize.PageLayoutMarginsOptions{Left: ptr(0.4), Right: ptr(0.4), Top: ptr(0.7), Bottom: ptr(0.7),
		Header: ptr(0.3), Footer: ptr(0.3), Horizontally: ptr(true)},
}

// write streams the sheet with its print set-up. What excelize's StreamWriter
// writes at its start (sheet properties: fit to page) is set before it is
// created; column widths and panes before the first row; the rest before Flush.
//
// A sheet of one streamed table has only its header written through the
// StreamWriter: its data rows are returned, to be written straight into the
// sheet while the workbook is saved (xlsxout.SheetRows), rather than kept by
// excelize, which costs more than making them.
func (s *sheet) write(f *excelize.File, st *styles, docTitle string) (*xlsxout.SheetRows, error) {
	wrapErr := func(err error) error { return fmt.Errorf("sheet %s: %w", s.name, err) }
	if err := f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return nil, wrapErr(err)
	}
	spliced := s.spliced()
	if spliced != nil {
		// Its header is row 1, its kept rows follow, then the streamed ones.
		s.deflated = &deflating{first: 2 + len(spliced.rows), st: st}
	}
	widths, err := s.widths(s.deflated)
	if err != nil {
		return nil, wrapErr(err)
	}
	// The sheet's used range, written at its start: a reader that trusts it
	// (openpyxl's read-only mode) would otherwise see the first cell only.
	lastRow, lastCol := s.extent(widths)
	last, err := excelize.CoordinatesToCellName(max(lastCol, 1), max(lastRow, 1))
	if err != nil {
		return nil, wrapErr(err)
	}
	if err := f.SetSheetDimension(s.name, "A1:"+last); err != nil {
		return nil, wrapErr(err)
	}
	sw, err := f.NewStreamWriter(s.name)
	if err != nil {
		return nil, wrapErr(err)
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, wrapErr(err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, wrapErr(err)
	}
	if err := s.printSetup(f, docTitle); err != nil {
		return nil, wrapErr(err)
	}
	w := &rowWriter{sw: sw, st: st, widths: widths, row: 1}
	if t := spliced; t != nil {
		if err := w.header(t); err != nil {
			return nil, wrapErr(err)
		}
		if err := s.filter(f); err != nil {
			return nil, wrapErr(err)
		}
		if err := sw.Flush(); err != nil {
			return nil, wrapErr(err)
		}
		first := w.row
		return &xlsxout.SheetRows{Sheet: s.name, Write: func(rw *xlsxout.RowWriter) error {
			w := &rowWriter{rw: rw, st: st, widths: widths, row: first}
			if err := w.deflatedRows(t, s.deflated); err != nil {
				return err
			}
			return s.wrote(w.row-1, lastRow)
		}}, nil
	}
	if s.title != "" {
		if err := w.line(s.title, st.title, 24); err != nil {
			return nil, wrapErr(err)
		}
		w.row++
	}
	headerRows := make([]int, len(s.tables))
	chartTop := 0
	for i, t := range s.tables {
		if i > 0 {
			w.row++
		}
		if t.title != "" {
			if err := w.line(t.title, st.subtitle, 22); err != nil {
				return nil, wrapErr(err)
			}
		}
		headerRows[i] = w.row
		if err := w.table(t); err != nil {
			return nil, wrapErr(err)
		}
		if i == 0 && len(s.charts) > 0 {
			// The charts go under the first table, on rows kept empty and of
			// a fixed height, so that they are placed as drawn.
			w.row++
			chartTop = w.row
			if err := w.blank(chartRows); err != nil {
				return nil, wrapErr(err)
			}
		}
	}
	if err := s.filter(f); err != nil {
		return nil, wrapErr(err)
	}
	if err := s.addCharts(f, widths, headerRows, chartTop); err != nil {
		return nil, wrapErr(err)
	}
	if err := sw.Flush(); err != nil {
		return nil, wrapErr(err)
	}
	return nil, s.wrote(w.row-1, lastRow)
}

// wrote checks that the rows written end where the sheet's used range said.
func (s *sheet) wrote(rows, want int) error {
	if rows != want {
		return fmt.Errorf("sheet %s: %d rows written, but its used range was given as %d", s.name, rows, want)
	}
	return nil
}

// extent is the sheet's last row and column as write lays it out: the
// title line and the blank row under it, each table under a blank row (the
// first excepted) and its own title, its header, data and footer rows, and
// the rows kept for the charts under the first table; as wide as its
// columns, or its longest kept row.
func (s *sheet) extent(widths []float64) (rows, cols int) {
	cols = len(widths)
	if s.title != "" {
		rows += 2
	}
	for i, t := range s.tables {
		if i > 0 {
			rows++
		}
		if t.title != "" {
			rows++
		}
		rows += 1 + t.dataRows() + len(t.footer)
		if i == 0 && len(s.charts) > 0 {
			rows += 1 + chartRows
		}
		for _, row := range slices.Concat(t.rows, t.footer) {
			cols = max(cols, len(row))
		}
	}
	return rows, cols
}

// spliced is the sheet's table whose data rows are written while the
// workbook is saved: the one table of a sheet without a title, when it is
// streamed and has no spanning column (whose merges excelize would have to
// know of before the rows are written); nil for any other sheet.
func (s *sheet) spliced() *table {
	if s.title != "" || len(s.tables) != 1 || s.tables[0].stream == nil || len(s.charts) > 0 {
		return nil
	}
	t := s.tables[0]
	if n := len(t.columns); n > 0 && t.columns[n-1].span {
		return nil
	}
	return t
}

// filter puts an auto filter on the header and data of a sheet of one table
// without a title.
func (s *sheet) filter(f *excelize.File) error {
	if s.title != "" || len(s.tables) != 1 {
		return nil
	}
	t := s.tables[0]
	last, _ := excelize.CoordinatesToCellName(len(t.columns), t.dataRows()+1)
	return f.AutoFilter(s.name, "A1:"+last, nil)
}

// printSetup sets the page, the header (the workbook's title), the footer
// (the sheet's name, page x of y) and the first row as the rows printed atop
// every page.
func (s *sheet) printSetup(f *excelize.File, docTitle string) error {
	if err := f.SetPageLayout(s.name, &page.layout); err != nil {
		return err
	}
	if err := f.SetPageMargins(s.name, &page.margins); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(s.name, &excelize.HeaderFooterOptions{
		OddHeader: "&C" + headerFooterText(docTitle),
		OddFooter: "&L&A&R第 &P 页，共 &N 页",
	}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: sheetRef(s.name) + "!$1:$1", Scope: s.name})
}

// headerFooterText escapes text for a page header or footer, where & starts a
// code.
func headerFooterText(s string) string { return strings.ReplaceAll(s, "&", "&&") }

// sheetRef quotes a sheet name for a formula or defined name.
func sheetRef(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

// rowWriter writes rows, keeping count of the row being written: through
// excelize's StreamWriter, or, for the rows of a spliced table, through
// xlsxout's RowWriter.
type rowWriter struct {
	sw     *excelize.StreamWriter
	rw     *xlsxout.RowWriter
	st     *styles
	widths []float64
	row    int
	cells  []excelize.Cell // the row being written, reused row after row
	vals   []any           // the row handed to SetRow, reused row after row
}

// line writes a title line.
func (w *rowWriter) line(text string, style int, height float64) error {
	cell, _ := excelize.CoordinatesToCellName(1, w.row)
	if err := w.sw.SetRow(cell, []any{excelize.Cell{Value: text, StyleID: style}}, excelize.RowOpts{Height: height}); err != nil {
		return err
	}
	w.row++
	return nil
}

// blank writes n empty rows of blankRowHeight.
func (w *rowWriter) blank(n int) error {
	for range n {
		cell, _ := excelize.CoordinatesToCellName(1, w.row)
		if err := w.sw.SetRow(cell, nil, excelize.RowOpts{Height: blankRowHeight}); err != nil {
			return err
		}
		w.row++
	}
	return nil
}

// table writes a table's header, data and footer rows.
func (w *rowWriter) table(t *table) error {
	if err := w.header(t); err != nil {
		return err
	}
	return w.rows(t)
}

// rows writes a table's data and footer rows.
func (w *rowWriter) rows(t *table) error {
	return t.each(func(row []excelize.Cell) error { return w.tableRow(t, row, 0) })
}

// deflatedRows writes a table's kept rows, its streamed rows — deflated by
// dp as they were measured, or made again where dp dropped them — and its
// footer rows.
func (w *rowWriter) deflatedRows(t *table, dp *deflating) error {
	for _, row := range t.rows {
		if err := w.tableRow(t, row, 0); err != nil {
			return err
		}
	}
	if dp.shares == nil {
		if err := t.stream.ahead(func(row []excelize.Cell) error { return w.tableRow(t, row, 0) }); err != nil {
			return err
		}
	}
	for _, sh := range dp.shares {
		if w.row != dp.first+sh.from {
			return fmt.Errorf("streamed rows from row %d are written from row %d", dp.first+sh.from, w.row)
		}
		if err := w.rw.Deflated(sh.rows); err != nil {
			return err
		}
		w.row += sh.rows.Rows()
	}
	for _, row := range t.footer {
		if err := w.tableRow(t, row, 0); err != nil {
			return err
		}
	}
	return nil
}

// header writes a table's header row.
func (w *rowWriter) header(t *table) error {
	header := make([]excelize.Cell, len(t.columns))
	for i, c := range t.columns {
		header[i] = excelize.Cell{StyleID: w.st.header, Value: c.title}
	}
	return w.tableRow(t, header, 2*lineHeight+rowPadding)
}

// maxRowHeight is the highest a row can be, in points (Excel's limit).
const maxRowHeight = excelize.MaxRowHeight

// tableRow writes one row of a table, at least minHeight points high: rows
// whose wrapped text takes several lines are made tall enough for it, up to
// Excel's limit. Cells are styled as styled does; the cell of a spanning last
// column is merged with the sheet's columns to its right.
func (w *rowWriter) tableRow(t *table, row []excelize.Cell, minHeight float64) error {
	cells := t.styled(w.cells, row, w.st)
	lines := 1
	for i := range len(cells) {
		c := &cells[i]
		width := w.widths[min(i, len(w.widths)-1)]
		if i < len(t.columns) && t.columns[i].span && i == len(t.columns)-1 {
			for j := i + 1; j < len(w.widths); j++ {
				cells = append(cells, excelize.Cell{StyleID: c.StyleID}) // borders across the merged cells
				c = &cells[i]
				width += w.widths[j]
			}
		}
		n, _ := t.cellLines(w.st, i, c, width)
		lines = max(lines, n)
	}
	w.cells = cells
	merge := len(t.columns) > 0 && t.columns[len(t.columns)-1].span && len(cells) > len(t.columns)
	if err := w.put(cells, rowHeight(lines, minHeight), merge, len(t.columns)); err != nil {
		return fmt.Errorf("row %d: %w", w.row, err)
	}
	w.row++
	return nil
}

// styled copies row into cells, padded to the table's columns (every cell
// bordered), and gives each cell without a style the text style, wrapped in
// a wrapping column.
func (t *table) styled(cells, row []excelize.Cell, st *styles) []excelize.Cell {
	cells = append(cells[:0], row...)
	for len(cells) < len(t.columns) {
		cells = append(cells, excelize.Cell{})
	}
	for i := range cells {
		if c := &cells[i]; c.StyleID == 0 {
			c.StyleID = st.text
			if i < len(t.columns) && t.columns[i].wrap {
				c.StyleID = st.wrap
			}
		}
	}
	return cells
}

// cellLines is the lines the text of a styled cell takes in a column of the
// given width, when its lines set its row's height (see wrapSlack), and the
// width at which each of them takes one; 0, 0 when they do not set it.
func (t *table) cellLines(st *styles, i int, c *excelize.Cell, width float64) (lines int, oneEach float64) {
	slack, ok := t.wrapSlack(st, i, c)
	if !ok {
		return 0, 0
	}
	text, _ := c.Value.(string)
	lines, widest := textLines(text, width-slack)
	return lines, widest + slack + lineMargin
}

// wrapSlack says whether a styled cell is one whose lines set its row's
// height: a wrapping column's cell, or a header; and how much narrower than
// its column its text wraps (a header's bold text, by one character).
func (t *table) wrapSlack(st *styles, i int, c *excelize.Cell) (float64, bool) {
	switch {
	case c.StyleID == st.header:
		return 1, true
	case i < len(t.columns) && t.columns[i].wrap:
		return 0, true
	}
	return 0, false
}

// rowHeight is the height of a row of the given lines, at least minHeight
// points and at most Excel's limit; 0, Excel's default, for a row of one
// line and no minimum.
func rowHeight(lines int, minHeight float64) float64 {
	if lines <= 1 && minHeight <= 0 {
		return 0
	}
	return min(max(float64(lines)*lineHeight+rowPadding, minHeight), maxRowHeight)
}

// put writes the row's cells, height points high (0: the default). With
// merge, the cells from the table's last column on are merged.
func (w *rowWriter) put(cells []excelize.Cell, height float64, merge bool, columns int) error {
	if w.rw != nil {
		if merge {
			return errors.New("merged cells in a table written while saving")
		}
		return w.rw.Row(w.row, cells, height)
	}
	vals := w.vals[:0]
	for i := range cells {
		vals = append(vals, &cells[i]) // handed over by pointer: SetRow copies what it needs
	}
	w.vals = vals
	var opts []excelize.RowOpts
	if height > 0 {
		opts = append(opts, excelize.RowOpts{Height: height})
	}
	cell, _ := excelize.CoordinatesToCellName(1, w.row)
	if err := w.sw.SetRow(cell, vals, opts...); err != nil {
		return err
	}
	if merge {
		from, _ := excelize.CoordinatesToCellName(columns, w.row)
		to, _ := excelize.CoordinatesToCellName(len(cells), w.row)
		return w.sw.MergeCell(from, to)
	}
	return nil
}

// textLines estimates the lines a wrapped text takes in a column of the given
// width, and gives the display width of its widest line.
func textLines(text string, width float64) (lines int, widest float64) {
	perLine := max(width-lineMargin, 1)
	for {
		w, end := lineWidth(text, true)
		lines += max(1, int(math.Ceil(w/perLine)))
		widest = max(widest, w)
		if end == len(text) {
			return lines, widest
		}
		text = text[end+1:]
	}
}

// lineMargin is how much of a column's width wrapped text does not take.
const lineMargin = 1.5

// addCharts places the charts side by side from row top, each as wide as the
// sheet's columns allow between chartMinWidth and chartMaxWidth pixels. They
// read their data from the tables, whose header rows are given.
func (s *sheet) addCharts(f *excelize.File, widths []float64, headerRows []int, top int) error {
	if len(s.charts) == 0 {
		return nil
	}
	cols := make([]int, len(widths))
	total := 0
	for i, w := range widths {
		cols[i] = columnPixels(w)
		total += cols[i]
	}
	n := len(s.charts)
	width := min(max((total-(n-1)*chartGap)/n, chartMinWidth), chartMaxWidth)
	for i, c := range s.charts {
		x := i * (width + chartGap)
		col, offset := 0, x
		for col < len(cols)-1 && offset >= cols[col] {
			offset -= cols[col]
			col++
		}
		ref := func(column, from, to int) string {
			name, _ := excelize.ColumnNumberToName(column + 1)
			return fmt.Sprintf("%s!$%s$%d:$%s$%d", sheetRef(s.name), name, from, name, to)
		}
		h := headerRows[c.table]
		valName, _ := excelize.CoordinatesToCellName(c.valCol+1, h, true)
		anchor, _ := excelize.CoordinatesToCellName(col+1, top)
		err := f.AddChart(s.name, anchor, &excelize.Chart{
			Type: excelize.Col,
			Series: []excelize.ChartSeries{{
				Name:       sheetRef(s.name) + "!" + valName,
				Categories: ref(c.catCol, h+1+c.from, h+1+c.to),
				Values:     ref(c.valCol, h+1+c.from, h+1+c.to),
				Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"5B9BD5"}},
			}},
			Title:    excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: c.title, Font: &excelize.Font{Family: font, Size: 11, Bold: true}}}},
			Legend:   excelize.ChartLegend{Position: "none"},
			PlotArea: excelize.ChartPlotArea{ShowVal: true},
			XAxis:    excelize.ChartAxis{Font: excelize.Font{Family: font, Size: 10, Color: "404040"}},
			YAxis: excelize.ChartAxis{MajorGridLines: true, Minimum: ptr(0.0), MajorUnit: c.step, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0"},
				Font: excelize.Font{Family: font, Size: 9, Color: "404040"}},
			Dimension: excelize.ChartDimension{Width: uint(width), Height: chartHeight},
			Format:    excelize.GraphicOptions{OffsetX: offset, PrintObject: ptr(true), Locked: ptr(true), AltText: c.title},
		})
		if err != nil {
			return fmt.Errorf("chart %s: %w", c.title, err)
		}
	}
	return nil
}

// columnPixels is a column's width in pixels as Excel draws it, for the
// default font's 7-pixel digits.
func columnPixels(width float64) int { return int(math.Ceil(width*7 + 0.5 + 5)) }

// widths fits each column to the widest text its tables put in it, within
// the limits of each table's column. A spanning column counts only where no
// other table reaches.
//
// With dp, a sheet of one streamed table has that table's rows deflated as
// they are measured (deflating).
func (s *sheet) widths(dp *deflating) ([]float64, error) {
	fitted := make([][]float64, len(s.tables)) // each table measured once: a streamed one makes its rows anew
	for k, t := range s.tables {
		var err error
		if fitted[k], err = t.widths(dp); err != nil {
			return nil, err
		}
	}
	var out []float64
	for pass := 0; pass < 2; pass++ {
		for k, t := range s.tables {
			for i, w := range fitted[k] {
				spans := t.columns[i].span && i == len(t.columns)-1
				switch {
				case spans != (pass == 1):
				case i < len(out):
					if !spans {
						out[i] = max(out[i], w)
					}
				default:
					out = append(out, w)
				}
			}
		}
	}
	return out, nil
}

// widths fits each column to its widest text, within the column's limits. A
// wrapped column is fitted to its longest line. With dp, the streamed rows
// are deflated as they are measured, their heights reckoned with every
// column at its widest, and dropped unless that holds (deflating.hold).
func (t *table) widths(dp *deflating) ([]float64, error) {
	out := make([]float64, len(t.columns))
	lo, hi := make([]float64, len(t.columns)), make([]float64, len(t.columns))
	for i, c := range t.columns {
		out[i] = displayWidth(c.title) + 2
		if c.wrap {
			out[i] = 0 // a wrapped header does not widen its column
		}
		lo[i], hi[i] = c.minWidth, c.maxWidth
		if lo[i] == 0 {
			lo[i] = defaultMinWidth
		}
		if hi[i] == 0 {
			hi[i] = defaultMaxWidth
		}
	}
	measure := func(out []float64, row []excelize.Cell) {
		for i, c := range row {
			// A column at its widest takes no more measuring; nor does a
			// cell too short to widen it (no character is wider than two,
			// nor shorter than one byte).
			if i >= len(out) || out[i] >= hi[i] {
				continue
			}
			if s, ok := c.Value.(string); ok && float64(2*len(s)+2) <= out[i] {
				continue
			}
			if n, ok := numberLen(c.Value); ok {
				out[i] = max(out[i], float64(n)+2)
				continue
			}
			_, widest := textLines(cellText(c), 0) // the widest line; the count is not wanted
			out[i] = max(out[i], widest+2)
		}
	}
	for _, row := range t.rows {
		measure(out, row)
	}
	if len(t.columns) == 0 {
		dp = nil // nothing to measure the heights in: the rows are made again
	}
	if dp != nil {
		dp.widths = hi
	}
	if t.stream != nil {
		parts, err := t.stream.measured(t, out, measure, dp)
		if err != nil {
			return nil, err
		}
		for _, part := range parts {
			for i, w := range part {
				out[i] = max(out[i], w)
			}
		}
	}
	for _, row := range t.footer {
		measure(out, row)
	}
	for i := range t.columns {
		out[i] = min(max(out[i], lo[i]), hi[i])
	}
	if dp != nil {
		dp.hold(out)
	}
	return out, nil
}

// numberLen is the length of a number's text as shown — with two decimals
// and its thousands separators for a float — measured without making the
// text; ok is false for a value that is not a number.
func numberLen(v any) (n int, ok bool) {
	var buf [64]byte
	switch v := v.(type) {
	case float64:
		return len(strconv.AppendFloat(buf[:0], v, 'f', 2, 64)) + int(math.Log10(math.Abs(v)+1))/3, true
	case int:
		return len(strconv.AppendInt(buf[:0], int64(v), 10)), true
	}
	return 0, false
}

// cellText approximates the text shown for a cell that is not a number.
func cellText(c excelize.Cell) string {
	switch v := c.Value.(type) {
	case nil:
		return ""
	case string:
		return v
	case time.Time:
		return v.Format(time.DateOnly)
	}
	return fmt.Sprint(c.Value)
}

// displayWidth approximates a text's width in Excel character units: a
// character from U+1100 on (CJK and other wide scripts) takes two, any other
// one. It reads the UTF-8 bytes rather than decoding each character: a byte
// that starts no well-formed sequence counts as a wide replacement character.
func displayWidth(s string) float64 {
	w, _ := lineWidth(s, false)
	return w
}

// lineWidth is displayWidth of s up to its first line feed, and where that
// line ends (len(s) when it is the last); with oneLine false, of s whole.
// Every wrapped cell of a long table is measured by it, so the common
// sequences (ASCII, then the three bytes of a CJK character) are tested
// first and inline.
func lineWidth(s string, oneLine bool) (width float64, end int) {
	w := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c == '\n' && oneLine {
				return float64(w), i
			}
			w++
			i++
			continue
		}
		switch {
		case c >= 0xE0 && c < 0xF0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80: // U+0800–U+FFFF
			if c == 0xE0 || c == 0xE1 && s[i+1] < 0x84 { // below U+1100
				w++
			} else {
				w += 2
			}
			i += 3
		case c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80: // U+0080–U+07FF
			w++
			i += 2
		case c >= 0xF0 && c < 0xF5 && continued(s, i, 4): // U+10000 on
			w += 2
			i += 4
		default: // a byte that starts no well-formed sequence: a wide replacement character
			w += 2
			i++
		}
	}
	return float64(w), len(s)
}

// continued reports whether the n-1 bytes after s[i] are UTF-8 continuation
// bytes.
func continued(s string, i, n int) bool {
	if i+n > len(s) {
		return false
	}
	for _, c := range []byte(s[i+1 : i+n]) {
		if c&0xC0 != 0x80 {
			return false
		}
	}
	return true
}
