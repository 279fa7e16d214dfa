package xlsxin

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// Sheet limits of the OOXML format.
const (
	MaxRows    = 1 << 20 // 1,048,576
	MaxColumns = 1 << 14 // 16,384 (XFD)
)

// CellType is the type a cell declares (its t attribute).
type CellType uint8

// Cell types.
const (
	TypeEmpty        CellType = iota // no cell, or a cell without a value
	TypeNumber                       // t="n" or none: the value is the number as written
	TypeSharedString                 // t="s": the value is the string itself
	TypeInlineString                 // t="inlineStr"
	TypeFormulaText                  // t="str": a formula's text result
	TypeBool                         // t="b": "1" or "0"
	TypeError                        // t="e": "#DIV/0!", "#N/A" …
	TypeDate                         // t="d": an ISO 8601 date as written
)

// Formula is a cell whose formula was saved without its result, as programs
// that cannot compute formulas write them: its value reads as empty.
type Formula struct {
	Col  int    // 0-based column
	Text string // the formula; "" for a cell sharing another cell's formula
}

// Rows reads the rows of one worksheet in order. The slices it returns are
// reused by the next call to Next.
type Rows struct {
	part string
	sst  []string
	rc   io.ReadCloser
	s    *scanner
	ref  *refRows // set when reading through the reference reader
	size int64

	num        int // the last row read
	at         int // the row being read, for errors
	started    bool
	done       bool
	err        error
	values     []string
	types      []CellType
	styles     []int
	uncomputed []Formula
	rowBuf     []byte // the row's non-shared values, back to back
	spans      []span
	vbuf, fbuf []byte
	inlineBuf  []byte
}

// span places a value held in rowBuf.
type span struct{ col, start, end int }

// Rows opens the rows of the i-th sheet of Sheets. A sheet that is not a
// worksheet has no rows.
func (wb *Workbook) Rows(i int) (*Rows, error) {
	if i < 0 || i >= len(wb.sheets) {
		return nil, fmt.Errorf("no sheet %d", i)
	}
	if wb.ref != nil {
		return wb.ref.rows(wb, i)
	}
	sh := wb.sheets[i]
	r := &Rows{part: sh.part}
	if sh.Kind != Worksheet {
		r.done = true
		return r, nil
	}
	f := wb.part(sh.part)
	if f == nil {
		return nil, &Error{Part: sh.part, Err: fmt.Errorf("%w: the worksheet of sheet %q", ErrMissing, sh.Name)}
	}
	sst, err := wb.sharedStrings()
	if err != nil {
		return nil, err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &Error{Part: sh.part, Err: fmt.Errorf("%w: %v", ErrCorrupt, err)}
	}
	r.sst, r.rc, r.s, r.size = sst, rc, newScanner(rc, f.UncompressedSize64), int64(f.UncompressedSize64)
	return r, nil
}

// Size is the uncompressed size of the sheet's data in bytes, as its part
// declares it (the zip reader holds the part to it); 0 when unknown, as
// through the reference reader.
func (r *Rows) Size() int64 { return r.size }

// Close releases the rows' part.
func (r *Rows) Close() error {
	if r.ref != nil {
		return r.ref.rows.Close()
	}
	if r.rc != nil {
		err := r.rc.Close()
		r.rc = nil
		return err
	}
	return nil
}

// Err returns the error that ended the rows, if any.
func (r *Rows) Err() error { return r.err }

// Num is the 1-based number of the current row.
func (r *Rows) Num() int { return r.num }

// Values are the current row's cell values by 0-based column, up to its last
// cell with a value or a formula: numbers as written, shared and inline
// strings resolved, booleans "1" or "0", errors and t="d" dates as written.
func (r *Rows) Values() []string { return r.values }

// Types are the declared types of Values.
func (r *Rows) Types() []CellType { return r.types }

// Styles are the style indexes of Values (see Workbook.NumFmt).
func (r *Rows) Styles() []int { return r.styles }

// Uncomputed lists the current row's formula cells saved without a result.
func (r *Rows) Uncomputed() []Formula { return r.uncomputed }

// Next advances to the next row written in the sheet; rows the sheet does not
// write are skipped (Num tells where a row is). It returns false at the end
// of the rows or on an error (see Err).
func (r *Rows) Next() bool {
	if r.done || r.err != nil {
		return false
	}
	if r.ref != nil {
		return r.ref.next(r)
	}
	if err := r.next(); err != nil {
		r.err = partError(r.part, r.at, err)
		r.done = true
		return false
	}
	return !r.done
}

func (r *Rows) next() error {
	s := r.s
	r.at = r.num + 1
	if !r.started {
		r.started = true
		if err := r.toSheetData(); err != nil || r.done {
			return err
		}
	}
	for {
		kind, err := s.next()
		if err != nil {
			return err
		}
		switch kind {
		case tokEOF:
			return s.unexpectedEOF("the sheet data")
		case tokEnd: // </sheetData>
			r.done = true
			return nil
		case tokStart:
			if s.is("row") {
				return r.row()
			}
			if err := s.skipElement(); err != nil {
				return err
			}
		}
	}
}

// toSheetData reads up to the content of <sheetData>; a worksheet without one
// has no rows.
func (r *Rows) toSheetData() error {
	s := r.s
	for depth := 0; ; {
		kind, err := s.next()
		if err != nil {
			return err
		}
		switch {
		case kind == tokEOF:
			r.done = true
			return nil
		case kind == tokEnd:
			depth--
		case s.is("sheetData") && depth == 1:
			r.done = s.selfClosing
			return nil
		case kind == tokStart && !s.selfClosing:
			depth++
		}
	}
}

// row reads one <row> whose start tag was just read.
func (r *Rows) row() error {
	s := r.s
	num := r.num + 1
	if v, ok := s.attr("r"); ok && len(v) > 0 {
		n, ok := parseUint(v)
		switch {
		case !ok || n == 0:
			r.at = 0 // the error names the row by its reference
			return fmt.Errorf("%w: row r=%q after row %d", ErrBadReference, clipBytes(v), r.num)
		case n > MaxRows:
			r.at = 0
			return fmt.Errorf("%w: row r=%q after row %d", ErrRowLimit, clipBytes(v), r.num)
		}
		num = int(n)
	}
	r.at = num
	if num <= r.num {
		return fmt.Errorf("%w: row %d after row %d", ErrOrder, num, r.num)
	}
	if num > MaxRows {
		return fmt.Errorf("%w: row %d", ErrRowLimit, num)
	}
	r.num = num
	r.values, r.types, r.styles = r.values[:0], r.types[:0], r.styles[:0]
	r.uncomputed, r.rowBuf, r.spans = r.uncomputed[:0], r.rowBuf[:0], r.spans[:0]
	if !s.selfClosing {
		col := -1
		for done := false; !done; {
			kind, err := s.next()
			if err != nil {
				return err
			}
			switch kind {
			case tokEOF:
				return s.unexpectedEOF("a row")
			case tokEnd:
				done = true
			case tokStart:
				if !s.is("c") {
					if err := s.skipElement(); err != nil {
						return err
					}
					continue
				}
				if col, err = r.cell(col); err != nil {
					return err
				}
			}
		}
	}
	if len(r.spans) > 0 {
		row := string(r.rowBuf)
		for _, sp := range r.spans {
			r.values[sp.col] = row[sp.start:sp.end]
		}
	}
	return nil
}

// cell reads one <c> whose start tag was just read; prev is the column of the
// cell before it in the row. It returns the cell's column.
func (r *Rows) cell(prev int) (int, error) {
	s := r.s
	col := prev + 1
	if ref, ok := s.attr("r"); ok && len(ref) > 0 {
		c, ok := columnOf(ref)
		if !ok {
			return 0, fmt.Errorf("%w: cell r=%q", ErrBadReference, clipBytes(ref))
		}
		col = c
	}
	if col <= prev {
		return 0, fmt.Errorf("%w: cell %s after %s", ErrOrder, ColumnName(col), ColumnName(prev))
	}
	if col >= MaxColumns {
		return 0, fmt.Errorf("%w: column %d", ErrBadReference, col+1)
	}
	typ := TypeNumber
	if t, ok := s.attr("t"); ok {
		typ = cellType(t)
	}
	style := 0
	if v, ok := s.attr("s"); ok && len(v) > 0 {
		n, ok := parseUint(v)
		if !ok || n > 1<<31-1 {
			return 0, fmt.Errorf("%w: style s=%q", ErrMalformed, clipBytes(v))
		}
		style = int(n)
	}
	r.vbuf, r.fbuf, r.inlineBuf = r.vbuf[:0], r.fbuf[:0], r.inlineBuf[:0]
	hasV, hasF, hasIS := false, false, false
	if !s.selfClosing {
		for done := false; !done; {
			kind, err := s.next()
			if err != nil {
				return 0, err
			}
			switch kind {
			case tokEOF:
				return 0, s.unexpectedEOF("a cell")
			case tokEnd:
				done = true
			case tokStart:
				// One value, formula and inline string a cell: of two,
				// excelize keeps the last in silence; here it is an error.
				if twice := s.is("v") && hasV || s.is("f") && hasF || s.is("is") && hasIS; twice {
					return 0, fmt.Errorf("%w: cell %s has two <%s>", ErrMalformed, ColumnName(col), s.name)
				}
				switch {
				case s.is("v"):
					hasV = true
					if r.vbuf, err = s.elementText(r.vbuf); err != nil {
						return 0, err
					}
				case s.is("f"):
					hasF = true
					if r.fbuf, err = s.elementText(r.fbuf); err != nil {
						return 0, err
					}
				case s.is("is"):
					hasIS = true
					if r.inlineBuf, err = richText(s, r.inlineBuf); err != nil {
						return 0, err
					}
				default:
					if err := s.skipElement(); err != nil {
						return 0, err
					}
				}
			}
		}
	}
	// A formula saved without its result: no <v>, or an empty one where the
	// result cannot be an empty text (openpyxl writes <f>…</f><v></v>).
	if hasF && !hasIS && (!hasV || len(r.vbuf) == 0 && typ != TypeFormulaText) {
		r.uncomputed = append(r.uncomputed, Formula{Col: col, Text: string(r.fbuf)})
	}
	var val string
	var buf []byte // the value's bytes, to be kept in rowBuf: r.vbuf, or an inline string's text
	inBuf := false // the value is buf
	switch {
	case typ == TypeSharedString && len(r.vbuf) > 0:
		i, ok := parseUint(trimSpace(trimRightSpace(r.vbuf)))
		if !ok || i >= int64(len(r.sst)) {
			return 0, fmt.Errorf("%w: cell %s%d refers to string %q of %d", ErrSharedString, ColumnName(col), r.num, clipBytes(r.vbuf), len(r.sst))
		}
		val = r.sst[i]
	case typ == TypeInlineString && hasIS:
		if bytes.Contains(r.inlineBuf, []byte("_x")) {
			val = unescape(string(r.inlineBuf))
		} else {
			buf, inBuf = r.inlineBuf, true // kept in rowBuf, as a number is
		}
	default:
		buf, inBuf = r.vbuf, true
	}
	empty := inBuf && len(buf) == 0 || !inBuf && val == ""
	if empty && !hasF {
		return col, nil // no value: the cell only carries a style
	}
	r.grow(col)
	r.styles[col] = style
	if !empty {
		r.types[col] = typ
	}
	if inBuf {
		start := len(r.rowBuf)
		r.rowBuf = append(r.rowBuf, buf...)
		r.spans = append(r.spans, span{col: col, start: start, end: len(r.rowBuf)})
	} else {
		r.values[col] = val
	}
	return col, nil
}

// grow extends the row's slices to hold column col.
func (r *Rows) grow(col int) {
	for len(r.values) <= col {
		r.values = append(r.values, "")
		r.types = append(r.types, TypeEmpty)
		r.styles = append(r.styles, 0)
	}
}

// cellType maps a t attribute to a cell type; an unknown one reads as a
// number, as excelize reads it.
func cellType(t []byte) CellType {
	switch string(t) {
	case "s":
		return TypeSharedString
	case "inlineStr":
		return TypeInlineString
	case "str":
		return TypeFormulaText
	case "b":
		return TypeBool
	case "e":
		return TypeError
	case "d":
		return TypeDate
	}
	return TypeNumber
}

// columnOf returns the 0-based column of a cell reference such as "AB12"; the
// row part must be a valid row number.
func columnOf(ref []byte) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref) && i < 4; i++ {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
	}
	if i == 0 || col > MaxColumns {
		return 0, false
	}
	row, ok := parseUint(ref[i:])
	if !ok || row == 0 || row > MaxRows {
		return 0, false
	}
	return col - 1, true
}

// ColumnName returns the letters of a 0-based column: 0 is "A", 27 is "AB".
func ColumnName(col int) string {
	if col < 0 {
		return "?"
	}
	var b [4]byte
	i := len(b)
	for col++; col > 0 && i > 0; col = (col - 1) / 26 {
		i--
		b[i] = byte('A' + (col-1)%26)
	}
	return string(b[i:])
}

// CellName returns the A1 reference of a 0-based column and 1-based row.
func CellName(col, row int) string { return ColumnName(col) + strconv.Itoa(row) }

func trimRightSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}
