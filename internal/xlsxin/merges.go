package xlsxin

import (
	"bytes"
	"fmt"
)

// Range is a rectangle of cells: columns 0-based, rows 1-based, inclusive.
type Range struct {
	FromCol, FromRow, ToCol, ToRow int
}

// Merges returns the merged cell ranges of the i-th sheet.
func (wb *Workbook) Merges(i int) ([]Range, error) {
	if i < 0 || i >= len(wb.sheets) {
		return nil, fmt.Errorf("no sheet %d", i)
	}
	if wb.ref != nil {
		return wb.ref.merges(wb.sheets[i].Name)
	}
	sh := wb.sheets[i]
	if sh.Kind != Worksheet {
		return nil, nil
	}
	var out []Range
	err := wb.scanPart(sh.part, 1<<62, func(s *scanner, depth int) error {
		if !s.is("mergeCell") || depth != 2 {
			return nil
		}
		v, _ := s.attr("ref")
		if rg, ok := parseRange(v); ok {
			out = append(out, rg)
		}
		return nil
	})
	return out, err
}

// parseRange parses "A1:C3" or "B2"; false for anything else.
func parseRange(v []byte) (Range, bool) {
	from, to := v, v
	if i := bytes.IndexByte(v, ':'); i >= 0 {
		from, to = v[:i], v[i+1:]
	}
	c1, r1, ok1 := cellOf(from)
	c2, r2, ok2 := cellOf(to)
	if !ok1 || !ok2 || c2 < c1 || r2 < r1 {
		return Range{}, false
	}
	return Range{FromCol: c1, FromRow: r1, ToCol: c2, ToRow: r2}, true
}

// cellOf parses a cell reference into its 0-based column and 1-based row.
func cellOf(ref []byte) (col, row int, ok bool) {
	col, ok = columnOf(ref)
	if !ok {
		return 0, 0, false
	}
	i := bytes.IndexFunc(ref, func(r rune) bool { return r >= '0' && r <= '9' })
	n, _ := parseUint(ref[i:])
	return col, int(n), true
}
