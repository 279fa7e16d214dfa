package samples

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// styles are the cell styles of one workbook.
type styles struct {
	title, subtitle, header, text, centre, number, money, date0, date1, note int
}

// thin is a thin black border on all sides.
var thin = []excelize.Border{
	{Type: "left", Color: "000000", Style: 1},
	{Type: "top", Color: "000000", Style: 1},
	{Type: "right", Color: "000000", Style: 1},
	{Type: "bottom", Color: "000000", Style: 1},
}

// newStyles registers a workbook's styles. groupedMoney shows amounts stored as
// numbers with thousands separators (#,##0.00); otherwise they are General.
func newStyles(f *excelize.File, groupedMoney bool) (styles, error) {
	dateISO, dateCN := "yyyy-mm-dd", `yyyy"年"m"月"d"日"`
	moneyFmt := 0
	if groupedMoney {
		moneyFmt = 4
	}
	var s styles
	defs := []struct {
		dst   *int
		style excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Family: "宋体"},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&s.subtitle, excelize.Style{Font: &excelize.Font{Size: 10, Family: "宋体"}}},
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true, Size: 10, Family: "宋体"}, Border: thin,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.text, excelize.Style{Font: &excelize.Font{Size: 10, Family: "宋体"}, Border: thin}},
		{&s.centre, excelize.Style{Font: &excelize.Font{Size: 10, Family: "宋体"}, Border: thin,
			Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&s.number, excelize.Style{Font: &excelize.Font{Size: 10, Family: "宋体"}, Border: thin}},
		{&s.money, excelize.Style{Font: &excelize.Font{Size: 10, Family: "宋体"}, Border: thin, NumFmt: moneyFmt}},
		{&s.date0, excelize.Style{Font: &excelize.Font{Size: 10, Family: "宋体"}, Border: thin, CustomNumFmt: &dateISO}},
		{&s.date1, excelize.Style{Font: &excelize.Font{Size: 10, Family: "宋体"}, Border: thin, CustomNumFmt: &dateCN}},
		{&s.note, excelize.Style{Font: &excelize.Font{Size: 10, Family: "宋体"}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return s, fmt.Errorf("new style: %w", err)
		}
		*d.dst = id
	}
	return s, nil
}

// sheetWriter streams rows in order and counts them.
type sheetWriter struct {
	sw  *excelize.StreamWriter
	row int // last row written
}

// next writes the next row.
func (w *sheetWriter) next(values []any, opts ...excelize.RowOpts) error {
	w.row++
	cell, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return err
	}
	if err := w.sw.SetRow(cell, values, opts...); err != nil {
		return fmt.Errorf("row %d: %w", w.row, err)
	}
	return nil
}

// merge merges a range given by 1-based columns and rows.
func (w *sheetWriter) merge(c1, r1, c2, r2 int) error {
	a, err := excelize.CoordinatesToCellName(c1, r1)
	if err != nil {
		return err
	}
	b, err := excelize.CoordinatesToCellName(c2, r2)
	if err != nil {
		return err
	}
	if err := w.sw.MergeCell(a, b); err != nil {
		return fmt.Errorf("merge %s:%s: %w", a, b, err)
	}
	return nil
}

// cellName is the name of a cell by 1-based column and row.
func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// blankRow is a row of empty cells that keep their borders.
func blankRow(n, style int) []any {
	row := make([]any, n)
	for i := range row {
		row[i] = excelize.Cell{StyleID: style}
	}
	return row
}

// textCell is a styled text cell; an empty text leaves the cell empty (a
// StreamWriter would otherwise write an empty inline string).
func textCell(style int, s string) excelize.Cell {
	if s == "" {
		return excelize.Cell{StyleID: style}
	}
	return excelize.Cell{StyleID: style, Value: s}
}

// grouped formats x with the given decimals and thousands separators:
// 1234.5 → "1,234.50".
func grouped(x float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(x), 'f', decimals, 64)
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	if x < 0 {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + frac
}

// badlyGrouped groups the digits of a whole number by four, the way a
// typist used to 万 writes them: 12345 → "1,2345".
func badlyGrouped(n int) string {
	s := strconv.Itoa(n)
	if len(s) <= 4 {
		return "1," + fmt.Sprintf("%04d", n)
	}
	return s[:len(s)-4] + "," + s[len(s)-4:]
}

// chineseNumber writes 0–99 in Chinese numerals: 50 → "五十", 12 → "十二".
func chineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + strings.TrimPrefix(digits[n%10], "零")
	case n < 100:
		s := digits[n/10] + "十"
		if n%10 != 0 {
			s += digits[n%10]
		}
		return s
	}
	return strconv.Itoa(n)
}
