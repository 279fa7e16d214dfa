package xlsxin

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// reference reads a workbook through excelize, the reference reader, for the
// packages the fast reader leaves to it.
type reference struct {
	f *excelize.File
}

// referenceXMLLimit is the part size above which excelize spills a worksheet
// to a temporary file instead of holding it in memory.
const referenceXMLLimit = 64 << 20

// OpenReference opens a workbook with the reference reader whatever its
// layout: the fallback, and the yardstick of the tests that prove the fast
// reader equal to it.
func OpenReference(name string, lim Limits) (*Workbook, error) {
	if err := sniffFile(name); err != nil {
		return nil, &Error{Err: err}
	}
	return openReference(name, lim, nil)
}

// openReference opens a workbook with excelize; why is the reason the fast
// reader gave up, kept in the error when excelize cannot open it either.
func openReference(name string, lim Limits, why error) (*Workbook, error) {
	opts := excelize.Options{}
	if lim.MaxUnzipBytes > 0 {
		opts.UnzipSizeLimit = lim.MaxUnzipBytes
		opts.UnzipXMLSizeLimit = min(referenceXMLLimit, lim.MaxUnzipBytes)
	}
	f, err := excelize.OpenFile(name, opts)
	if err != nil {
		if why != nil {
			return nil, &Error{Err: fmt.Errorf("%w: %v (%v)", ErrCorrupt, err, why)}
		}
		return nil, &Error{Err: fmt.Errorf("%w: %v", ErrCorrupt, err)}
	}
	wb := &Workbook{ref: &reference{f: f}}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		wb.date1904 = *props.Date1904
	}
	for _, name := range f.GetSheetList() {
		visible, _ := f.GetSheetVisible(name)
		wb.sheets = append(wb.sheets, Sheet{Name: name, Kind: Worksheet, Hidden: !visible})
	}
	if len(wb.sheets) == 0 {
		f.Close()
		return nil, &Error{Err: ErrNoSheets}
	}
	return wb, nil
}

// refRows iterates a sheet's rows through excelize.
type refRows struct {
	f     *excelize.File
	sheet string
	rows  *excelize.Rows
	num   int
}

func (ref *reference) rows(wb *Workbook, i int) (*Rows, error) {
	name := wb.sheets[i].Name
	rows, err := ref.f.Rows(name)
	if err != nil {
		return nil, &Error{Part: name, Err: err}
	}
	return &Rows{part: name, ref: &refRows{f: ref.f, sheet: name, rows: rows}}, nil
}

// next reads the next row with a cell through excelize, which yields every
// row number; types, styles and formulas without results are looked up cell
// by cell.
func (rr *refRows) next(r *Rows) bool {
	for rr.rows.Next() {
		rr.num++
		cells, err := rr.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			r.err = &Error{Part: rr.sheet, Row: rr.num, Err: err}
			r.done = true
			return false
		}
		if len(cells) == 0 {
			continue
		}
		r.num = rr.num
		r.values = append(r.values[:0], cells...)
		r.types, r.styles, r.uncomputed = r.types[:0], r.styles[:0], r.uncomputed[:0]
		for c, v := range cells {
			ref := CellName(c, rr.num)
			typ, style := TypeEmpty, 0
			if v != "" {
				typ = TypeNumber
				if t, err := rr.f.GetCellType(rr.sheet, ref); err == nil {
					typ = fromExcelizeType(t)
				}
				style, _ = rr.f.GetCellStyle(rr.sheet, ref)
			} else if formula, err := rr.f.GetCellFormula(rr.sheet, ref); err == nil && formula != "" {
				r.uncomputed = append(r.uncomputed, Formula{Col: c, Text: formula})
			}
			r.types = append(r.types, typ)
			r.styles = append(r.styles, style)
		}
		return true
	}
	if err := rr.rows.Error(); err != nil {
		r.err = &Error{Part: rr.sheet, Row: rr.num + 1, Err: err}
	}
	r.done = true
	rr.rows.Close()
	return false
}

// fromExcelizeType maps excelize's cell types to the reader's.
func fromExcelizeType(t excelize.CellType) CellType {
	switch t {
	case excelize.CellTypeBool:
		return TypeBool
	case excelize.CellTypeDate:
		return TypeDate
	case excelize.CellTypeError:
		return TypeError
	case excelize.CellTypeFormula:
		return TypeFormulaText
	case excelize.CellTypeInlineString:
		return TypeInlineString
	case excelize.CellTypeSharedString:
		return TypeSharedString
	}
	return TypeNumber
}

// numFmt reads a style's number format through excelize.
func (ref *reference) numFmt(style int) (NumFmt, error) {
	st, err := ref.f.GetStyle(style)
	if err != nil || st == nil {
		return NumFmt{Code: "General"}, nil
	}
	if st.CustomNumFmt != nil {
		return NumFmt{ID: st.NumFmt, Code: *st.CustomNumFmt}, nil
	}
	return NumFmt{ID: st.NumFmt, Code: BuiltinFormat(st.NumFmt)}, nil
}

// merges reads a sheet's merged ranges through excelize.
func (ref *reference) merges(sheet string) ([]Range, error) {
	mcs, err := ref.f.GetMergeCells(sheet)
	if err != nil {
		return nil, &Error{Part: sheet, Err: err}
	}
	var out []Range
	for _, mc := range mcs {
		if rg, ok := parseRange([]byte(strings.TrimSpace(mc.GetStartAxis() + ":" + mc.GetEndAxis()))); ok {
			out = append(out, rg)
		}
	}
	return out, nil
}
