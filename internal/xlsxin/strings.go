package xlsxin

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// sharedStrings returns the workbook's shared strings, read on first use.
func (wb *Workbook) sharedStrings() ([]string, error) {
	if !wb.sstLoaded {
		wb.sstLoaded = true
		wb.sst, wb.sstErr = wb.readSharedStrings()
	}
	return wb.sst, wb.sstErr
}

// readSharedStrings reads the shared strings part; a workbook without one
// has none.
func (wb *Workbook) readSharedStrings() ([]string, error) {
	if wb.sstPart == "" || wb.part(wb.sstPart) == nil {
		return nil, nil
	}
	f := wb.part(wb.sstPart)
	rc, err := f.Open()
	if err != nil {
		return nil, &Error{Part: wb.sstPart, Err: fmt.Errorf("%w: %v", ErrCorrupt, err)}
	}
	defer rc.Close()
	s := newScanner(rc, f.UncompressedSize64)
	var sst []string
	var text []byte
	for depth := 0; ; {
		kind, err := s.next()
		if err != nil {
			return nil, partError(wb.sstPart, 0, err)
		}
		switch {
		case kind == tokEOF:
			return sst, nil
		case kind == tokEnd:
			depth--
		case s.is("si") && depth == 1:
			if text, err = richText(s, text[:0]); err != nil {
				return nil, partError(wb.sstPart, 0, err)
			}
			sst = append(sst, unescape(string(text)))
		case kind == tokStart && !s.selfClosing:
			depth++
		}
	}
}

// richText reads the text of a string item (<si>) or inline string (<is>)
// whose start tag was just read: its <t>, or the <t> of each run <r>;
// phonetic runs (<rPh>) and run properties are not part of the text.
func richText(s *scanner, dst []byte) ([]byte, error) {
	if s.selfClosing {
		return dst, nil
	}
	for depth := 1; ; {
		kind, err := s.next()
		if err != nil {
			return dst, err
		}
		switch kind {
		case tokEOF:
			return dst, s.unexpectedEOF("a string")
		case tokEnd:
			if depth--; depth == 0 {
				return dst, nil
			}
		case tokStart:
			switch {
			case s.is("t"):
				if dst, err = s.elementText(dst); err != nil {
					return dst, err
				}
			case s.is("r"):
				if !s.selfClosing {
					depth++
				}
			default: // rPh, rPr, phoneticPr, extLst
				if err := s.skipElement(); err != nil {
					return dst, err
				}
			}
		}
	}
}

// unescape decodes the _xHHHH_ escapes with which OOXML writes characters
// XML cannot hold (a carriage return is _x000D_); _x005F_ escapes the
// underscore of a literal "_xHHHH_".
func unescape(s string) string {
	i := strings.Index(s, "_x")
	if i < 0 {
		return s
	}
	var b strings.Builder
	for i >= 0 {
		b.WriteString(s[:i])
		s = s[i:]
		if r, ok := escaped(s); ok {
			if utf8.ValidRune(r) { // as excelize, which drops a surrogate
				b.WriteRune(r)
			}
			s = s[7:]
		} else {
			b.WriteString("_x")
			s = s[2:]
		}
		i = strings.Index(s, "_x")
	}
	b.WriteString(s)
	return b.String()
}

// escaped decodes an _xHHHH_ escape at the start of s.
func escaped(s string) (rune, bool) {
	if len(s) < 7 || s[6] != '_' {
		return 0, false
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | (c - '0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | (c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | (c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
