package samples

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"

	"github.com/xuri/excelize/v2"

	"assessor/internal/xlsxout"
)

// Annual report layout: title, filing line, a two-row header, then data.
const (
	baseCols     = 4 // 序号 | 平台编号 | 平台名称 | 年度
	groupRow     = 3
	labelRow     = 4
	firstDataRow = 5
)

// The row a centre file adds for a platform that is not in the register.
const (
	unknownID   = "JSZX-2099-001"
	unknownName = "内蒙古自治区碳纤维复合材料技术创新中心"
)

// reportFile is one annual report roster and the variants of its form.
type reportFile struct {
	pl       *plan
	prog     programme
	year, yi int
	rel      string // path relative to the output folder
	sheet    string
	inds     []indicator
	units    []string  // unit written in each indicator's header
	factor   []float64 // written value = value in the configured unit × factor
	rng      *rand.Rand

	yearText     bool // 年度 written as "2024年度" rather than 2024
	percentText  bool // percentages written as "95%" rather than 95
	groupedMoney bool // amounts stored as numbers shown as #,##0.00
	totals       bool // a 合计 row follows the data
}

// newReportFile decides the form of one programme's roster for year y.
func newReportFile(pl *plan, prog programme, y int) *reportFile {
	o := pl.opts
	yi, pi := y-o.FirstYear, int(prog)
	rf := &reportFile{
		pl: pl, prog: prog, year: y, yi: yi,
		rel:          reportFileName(prog, y),
		sheet:        [...]string{"科创飞地", "示范区", "技术创新中心"}[prog],
		inds:         indicatorsOf(prog),
		rng:          rand.New(rand.NewPCG(o.Seed, streamValues+uint64(yi*4+pi))),
		yearText:     (yi+pi)%3 == 2,
		percentText:  yi%2 == 1,
		groupedMoney: (yi+pi)%2 == 0,
		totals:       prog == progDemo && y == o.LastYear,
	}
	for _, ind := range rf.inds {
		rf.units = append(rf.units, ind.unit)
		rf.factor = append(rf.factor, 1)
	}
	switch {
	case prog == progEnclave && y == o.yuanYear():
		rf.units[enContract], rf.factor[enContract] = "元", 10000
	case prog == progDemo:
		rf.factor[dzParkGDP] = 1e-4 // the header says 亿元
	}
	return rf
}

// title is the roster's title line.
func (rf *reportFile) title() string {
	return fmt.Sprintf([...]string{
		"%d年度内蒙古自治区科创飞地年度绩效数据汇总表",
		"%d年度内蒙古自治区科技成果转移转化示范区年度报告数据表",
		"%d年度内蒙古自治区技术创新中心年度报告数据汇总表",
	}[rf.prog], rf.year)
}

// filingLine is the line under the title.
func (rf *reportFile) filingLine() string {
	office := "自治区科技厅成果转化处"
	if rf.prog == progTIC {
		office = "自治区科技厅平台基地建设处"
	}
	return fmt.Sprintf("填报单位：%s            数据截至：%d年12月31日", office, rf.year)
}

// write writes the roster and returns the number of data rows.
func (rf *reportFile) write(dir string, bad *[]badCell) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", rf.sheet); err != nil {
		return 0, fmt.Errorf("rename sheet: %w", err)
	}
	st, err := newStyles(f, rf.groupedMoney)
	if err != nil {
		return 0, err
	}
	sw, err := f.NewStreamWriter(rf.sheet)
	if err != nil {
		return 0, fmt.Errorf("stream writer: %w", err)
	}
	w := &sheetWriter{sw: sw}
	if err := rf.writeHead(w, st); err != nil {
		return 0, err
	}
	rows, err := rf.writeData(w, st, bad)
	if err != nil {
		return 0, err
	}
	if err := rf.writeFoot(w, st); err != nil {
		return 0, err
	}
	if err := sw.Flush(); err != nil {
		return 0, fmt.Errorf("flush: %w", err)
	}
	if err := xlsxout.Save(f, filepath.Join(dir, filepath.FromSlash(rf.rel))); err != nil {
		return 0, err
	}
	return rows, nil
}

// headerText is an indicator column's header: its label and unit.
func (rf *reportFile) headerText(j int) string {
	return rf.inds[j].header + "（" + rf.units[j] + "）"
}

// writeHead sets up the sheet and writes the title, the filing line and the
// two-row header with its merges.
func (rf *reportFile) writeHead(w *sheetWriter, st styles) error {
	ncol := baseCols + len(rf.inds)
	for c, width := range []float64{6, 16, 36, 9} {
		if err := w.sw.SetColWidth(c+1, c+1, width); err != nil {
			return fmt.Errorf("column width: %w", err)
		}
	}
	if err := w.sw.SetColWidth(baseCols+1, ncol, 14); err != nil {
		return fmt.Errorf("column width: %w", err)
	}
	if err := w.sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 3, YSplit: labelRow, TopLeftCell: cellName(4, firstDataRow), ActivePane: "bottomRight"}); err != nil {
		return fmt.Errorf("panes: %w", err)
	}
	if err := w.next([]any{excelize.Cell{StyleID: st.title, Value: rf.title()}}, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	if err := w.next([]any{excelize.Cell{StyleID: st.subtitle, Value: rf.filingLine()}}); err != nil {
		return err
	}
	top, bottom := make([]any, ncol), make([]any, ncol)
	for c, label := range []string{"序号", "平台编号", "平台名称", "年度"} {
		top[c] = excelize.Cell{StyleID: st.header, Value: label}
		bottom[c] = excelize.Cell{StyleID: st.header}
	}
	type span struct{ from, to int }
	var groups []span
	for j := range rf.inds {
		c := baseCols + j
		top[c] = excelize.Cell{StyleID: st.header}
		bottom[c] = excelize.Cell{StyleID: st.header, Value: rf.headerText(j)}
		if j == 0 || rf.inds[j].group != rf.inds[j-1].group {
			top[c] = excelize.Cell{StyleID: st.header, Value: rf.inds[j].group}
			groups = append(groups, span{c + 1, c + 1})
		} else {
			groups[len(groups)-1].to = c + 1
		}
	}
	if err := w.next(top, excelize.RowOpts{Height: 22}); err != nil {
		return err
	}
	if err := w.next(bottom, excelize.RowOpts{Height: 48}); err != nil {
		return err
	}
	if err := w.merge(1, 1, ncol, 1); err != nil {
		return err
	}
	for c := 1; c <= baseCols; c++ {
		if err := w.merge(c, groupRow, c, labelRow); err != nil {
			return err
		}
	}
	for _, g := range groups {
		if g.to > g.from {
			if err := w.merge(g.from, groupRow, g.to, groupRow); err != nil {
				return err
			}
		}
	}
	return nil
}

// members are the platforms with a row this year, in register order.
func (rf *reportFile) members() []int {
	var idx []int
	for i := range rf.pl.platforms {
		p := &rf.pl.platforms[i]
		if p.prog == rf.prog && p.reports(rf.year) && !rf.pl.roles.skipped(rf.pl.opts, i, rf.year) {
			idx = append(idx, i)
		}
	}
	return idx
}

// blankPositions says after which data rows (1-based) a blank row goes.
func blankPositions(n, blanks int) (int, int) {
	switch {
	case n < 2:
		return -1, -1
	case blanks == 1 || n < 3:
		return n / 2, -1
	}
	return n / 3, 2 * n / 3
}

// writeData writes the data rows, the blank rows among them, the extra rows of
// the last year's centre file and the totals row, and returns the number of
// data rows.
func (rf *reportFile) writeData(w *sheetWriter, st styles, bad *[]badCell) (int, error) {
	members := rf.members()
	b1, b2 := blankPositions(len(members), 1+rf.rng.IntN(2))
	sums := make([]float64, len(rf.inds))
	roles := &rf.pl.roles
	last := rf.year == rf.pl.opts.LastYear
	var dupCells []any
	dupRow := 0
	rows := 0
	for k, i := range members {
		p := &rf.pl.platforms[i]
		cells := rf.rowCells(st, rows+1, p.id, p.name, rf.values(i, p), sums)
		rf.plantBad(st, cells, i, w.row+1, bad)
		if err := w.next(cells); err != nil {
			return 0, err
		}
		rows++
		if rf.prog == progTIC && last && i == roles.ticDup {
			dupCells, dupRow = cells, w.row
		}
		if k+1 == b1 || k+1 == b2 {
			if err := w.next(blankRow(len(cells), st.text)); err != nil {
				return 0, err
			}
		}
	}
	if rf.prog == progTIC && last {
		if dupCells != nil {
			rows++
			dupCells[0] = excelize.Cell{StyleID: st.centre, Value: rows}
			if err := w.next(dupCells); err != nil {
				return 0, err
			}
			*bad = append(*bad, badCell{rf.rel, rf.sheet, cellName(2, w.row), cellString(dupCells[1]),
				fmt.Sprintf("the row of %s written twice (first at row %d)", cellString(dupCells[1]), dupRow)})
		}
		rows++
		unknown := &platform{prog: progTIC, committee: 15, fiscal: 300}
		cells := rf.rowCells(st, rows, unknownID, unknownName, ticValues(rf.rng, unknown, 70, 0), nil)
		if err := w.next(cells); err != nil {
			return 0, err
		}
		*bad = append(*bad, badCell{rf.rel, rf.sheet, cellName(2, w.row), unknownID, "a platform id that is not in the register"})
	}
	if rf.totals {
		if err := w.next(rf.totalsRow(st, sums)); err != nil {
			return 0, err
		}
	}
	return rows, nil
}

// values draws platform i's values for the year and applies its story.
func (rf *reportFile) values(i int, p *platform) []float64 {
	s := rf.pl.scores[rf.yi][i]
	r := &rf.pl.roles
	last := rf.year == rf.pl.opts.LastYear
	switch rf.prog {
	case progEnclave:
		v := enclaveValues(rf.rng, p, s)
		if i == r.enclaveStaff {
			v[enStaff] = 4
		}
		return v
	case progDemo:
		return demoValues(rf.rng, p, s, rf.yi)
	}
	months := 0.0
	if last && i == r.ticDirector {
		months = 7
	}
	v := ticValues(rf.rng, p, s, months)
	switch {
	case last && i == r.badSMEs:
		v[tcSMEs] = 50 // written "五十"
	case last && i == r.badRD:
		v[tcRDSpend] = 12345 // written "1,2345"
	}
	return v
}

// rowCells builds a data row. Amounts written as numbers are added to sums
// when sums is not nil.
func (rf *reportFile) rowCells(st styles, seq int, id, name string, v []float64, sums []float64) []any {
	cells := make([]any, baseCols+len(rf.inds))
	cells[0] = excelize.Cell{StyleID: st.centre, Value: seq}
	cells[1] = excelize.Cell{StyleID: st.text, Value: id}
	cells[2] = excelize.Cell{StyleID: st.text, Value: name}
	cells[3] = excelize.Cell{StyleID: st.centre, Value: rf.year}
	if rf.yearText {
		cells[3] = excelize.Cell{StyleID: st.centre, Value: fmt.Sprintf("%d年度", rf.year)}
	}
	for j := range rf.inds {
		cell, written := rf.valueCell(st, j, v[j])
		cells[baseCols+j] = cell
		if sums != nil {
			sums[j] += written
		}
	}
	return cells
}

// valueCell writes one indicator value the way forms hold it: mostly true
// numbers, some amounts as text with thousands separators, some counts as
// text. It also returns the written amount in the header's unit.
func (rf *reportFile) valueCell(st styles, j int, x float64) (excelize.Cell, float64) {
	if math.IsNaN(x) { // no value: the missing marker, now and then an empty cell
		if rf.rng.IntN(3) == 0 {
			return excelize.Cell{StyleID: st.text}, 0
		}
		return excelize.Cell{StyleID: st.text, Value: "—"}, 0
	}
	switch rf.inds[j].kind {
	case kindMoney:
		x *= rf.factor[j]
		if rf.factor[j] >= 1e4 {
			x = math.Round(x)
		} else {
			x = round2(x)
		}
		if rf.rng.IntN(4) == 0 {
			return excelize.Cell{StyleID: st.text, Value: grouped(x, 2)}, x
		}
		return excelize.Cell{StyleID: st.money, Value: x}, x
	case kindCount:
		n := int(x)
		if rf.rng.IntN(16) == 0 {
			return excelize.Cell{StyleID: st.text, Value: strconv.Itoa(n)}, x
		}
		return excelize.Cell{StyleID: st.number, Value: n}, x
	case kindPercent:
		if rf.percentText {
			return excelize.Cell{StyleID: st.text, Value: fmt.Sprintf("%d%%", int(x))}, x
		}
		return excelize.Cell{StyleID: st.number, Value: int(x)}, x
	}
	return excelize.Cell{StyleID: st.number, Value: x}, x
}

// totalsRow is the 合计 row: the label in the 平台编号 column and the sums of
// the amount columns.
func (rf *reportFile) totalsRow(st styles, sums []float64) []any {
	cells := blankRow(baseCols+len(rf.inds), st.text)
	cells[1] = excelize.Cell{StyleID: st.text, Value: "合计"}
	for j, ind := range rf.inds {
		if ind.kind == kindMoney {
			cells[baseCols+j] = excelize.Cell{StyleID: st.money, Value: round2(sums[j])}
		}
	}
	return cells
}

// writeFoot writes the note and signature rows.
func (rf *reportFile) writeFoot(w *sheetWriter, st styles) error {
	note := "注：1.金额单位为万元；2.数据来源于各平台年度报告。"
	if err := w.next([]any{excelize.Cell{StyleID: st.note, Value: note}}); err != nil {
		return err
	}
	person := func() string {
		return surnames[rf.rng.IntN(len(surnames))] + givenNames[rf.rng.IntN(len(givenNames))]
	}
	sign := fmt.Sprintf("填表人：%s        审核人：%s        联系电话：0471-6%06d", person(), person(), rf.rng.IntN(1000000))
	return w.next([]any{excelize.Cell{StyleID: st.note, Value: sign}})
}

// cellString is the text of a string cell built by this package.
func cellString(c any) string {
	if cell, ok := c.(excelize.Cell); ok {
		if s, ok := cell.Value.(string); ok {
			return s
		}
	}
	return ""
}
