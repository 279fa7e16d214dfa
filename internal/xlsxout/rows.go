package xlsxout

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// RowWriter writes worksheet rows, <row> elements with their cells, as
// excelize's StreamWriter writes them: the same bytes for the same cells and
// row heights. It is for the tables too long to go through the StreamWriter
// cheaply, whose rows are written while the workbook is saved (see
// SheetRows): the StreamWriter makes every cell's reference, escapes
// every text through a string builder and a regular expression, and keeps
// the whole sheet in a temporary file; RowWriter does none of that.
//
// It takes the value types excelize's StreamWriter takes, except formulas,
// rich text, durations and times of day, which it refuses.
type RowWriter struct {
	w    io.Writer
	buf  []byte
	cols []string // column letters by 0-based column
	err  error
}

// rowFlush is the size at which the gathered rows are handed to the writer.
const rowFlush = 64 << 10

// NewRowWriter returns a RowWriter writing to w; call Flush when done.
func NewRowWriter(w io.Writer) *RowWriter {
	return &RowWriter{w: w, buf: make([]byte, 0, rowFlush+4096)}
}

// ErrUnsupportedValue is RowWriter's error for a value it does not write.
var ErrUnsupportedValue = errors.New("xlsxout: value not supported by RowWriter")

// Row writes row num (1-based) with cells from column A on, and a height in
// points when height is above 0.
func (w *RowWriter) Row(num int, cells []excelize.Cell, height float64) error {
	if w.err != nil {
		return w.err
	}
	if err := checkRow(num, len(cells), height); err != nil {
		return err
	}
	start := len(w.buf) // a refused row leaves the rows before it as they were
	b, err := w.AppendCells(rowStart(w.buf, num, height), num, cells)
	if err != nil {
		w.buf = b[:start]
		return err
	}
	return w.end(b)
}

// EncodedRow writes row num with cells already encoded by AppendCells for
// that row, and a height in points when height is above 0: the same bytes
// as Row with the cells themselves.
func (w *RowWriter) EncodedRow(num int, cells []byte, height float64) error {
	if w.err != nil {
		return w.err
	}
	if err := checkRow(num, 0, height); err != nil {
		return err
	}
	return w.end(append(rowStart(w.buf, num, height), cells...))
}

// AppendCells appends the <c> elements of row num's cells, from column A on,
// to b, as Row writes them.
func (w *RowWriter) AppendCells(b []byte, num int, cells []excelize.Cell) ([]byte, error) {
	if err := checkRow(num, len(cells), 0); err != nil {
		return b, err
	}
	for i := range cells {
		var err error
		if b, err = w.cell(b, &cells[i], i, num); err != nil {
			return b, fmt.Errorf("row %d, column %d: %w", num, i+1, err)
		}
	}
	return b, nil
}

// checkRow refuses a row number, a number of cells or a height that Excel
// does not allow.
func checkRow(num, cells int, height float64) error {
	if height > excelize.MaxRowHeight {
		return fmt.Errorf("row %d: %w", num, excelize.ErrMaxRowHeight)
	}
	if num < 1 || num > excelize.TotalRows || cells > excelize.MaxColumns {
		return fmt.Errorf("row %d of %d cells: %w", num, cells, excelize.ErrCoordinates)
	}
	return nil
}

// rowStart appends row num's start tag, with its height when above 0.
func rowStart(b []byte, num int, height float64) []byte {
	b = append(b, `<row r="`...)
	b = strconv.AppendInt(b, int64(num), 10)
	b = append(b, '"')
	if height > 0 {
		b = append(b, ` ht="`...)
		b = strconv.AppendFloat(b, height, 'f', -1, 64)
		b = append(b, `" customHeight="1"`...)
	}
	return append(b, '>')
}

// end closes the row b holds last and keeps b, handing it on once it is
// long enough.
func (w *RowWriter) end(b []byte) error {
	w.buf = append(b, `</row>`...)
	if len(w.buf) >= rowFlush {
		return w.Flush()
	}
	return nil
}

// Flush hands the rows written so far to the underlying writer.
func (w *RowWriter) Flush() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) > 0 {
		_, w.err = w.w.Write(w.buf)
		w.buf = w.buf[:0]
	}
	return w.err
}

// column is the letters of 0-based column i.
func (w *RowWriter) column(i int) string {
	for len(w.cols) <= i {
		name, _ := excelize.ColumnNumberToName(len(w.cols) + 1)
		w.cols = append(w.cols, name)
	}
	return w.cols[i]
}

// cell appends one <c> element, as excelize's writeCell does.
func (w *RowWriter) cell(b []byte, c *excelize.Cell, col, row int) ([]byte, error) {
	if c.Formula != "" {
		return b, fmt.Errorf("formula: %w", ErrUnsupportedValue)
	}
	var num [32]byte
	var v []byte // a number's text
	switch x := c.Value.(type) {
	case nil:
		return append(w.open(b, c, col, row, ""), `</c>`...), nil
	case string:
		return w.text(w.open(b, c, col, row, "inlineStr"), x), nil
	case []byte:
		return w.text(w.open(b, c, col, row, "inlineStr"), string(x)), nil
	case int:
		v = strconv.AppendInt(num[:0], int64(x), 10)
	case int8:
		v = strconv.AppendInt(num[:0], int64(x), 10)
	case int16:
		v = strconv.AppendInt(num[:0], int64(x), 10)
	case int32:
		v = strconv.AppendInt(num[:0], int64(x), 10)
	case int64:
		v = strconv.AppendInt(num[:0], x, 10)
	case uint:
		v = strconv.AppendUint(num[:0], uint64(x), 10)
	case uint8:
		v = strconv.AppendUint(num[:0], uint64(x), 10)
	case uint16:
		v = strconv.AppendUint(num[:0], uint64(x), 10)
	case uint32:
		v = strconv.AppendUint(num[:0], uint64(x), 10)
	case uint64:
		v = strconv.AppendUint(num[:0], x, 10)
	case float32:
		return w.float(b, c, col, row, float64(x), 32), nil
	case float64:
		return w.float(b, c, col, row, x, 64), nil
	case bool:
		b = w.open(b, c, col, row, "b")
		if x {
			return append(b, `<v>1</v></c>`...), nil
		}
		return append(b, `<v>0</v></c>`...), nil
	case time.Time:
		serial, ok := dateSerial(x)
		if !ok || c.StyleID == 0 { // excelize would add a date style of its own
			return b, fmt.Errorf("time %s: %w", x.Format(time.RFC3339Nano), ErrUnsupportedValue)
		}
		v = strconv.AppendInt(num[:0], serial, 10)
	case time.Duration, []excelize.RichTextRun:
		return b, fmt.Errorf("%T: %w", x, ErrUnsupportedValue)
	default:
		return w.text(w.open(b, c, col, row, "inlineStr"), fmt.Sprint(x)), nil
	}
	b = append(w.open(b, c, col, row, ""), `<v>`...)
	b = append(b, v...)
	return append(b, `</v></c>`...), nil
}

// float appends a number cell as excelize does: Excel's 15 significant
// digits, of a float of the given bits, and NaN or an infinity as its text.
func (w *RowWriter) float(b []byte, c *excelize.Cell, col, row int, x float64, bits int) []byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return w.text(w.open(b, c, col, row, "inlineStr"), fmt.Sprint(x))
	}
	b = append(w.open(b, c, col, row, ""), `<v>`...)
	b = appendCellFloat(b, x, bits)
	return append(b, `</v></c>`...)
}

// open appends a cell's start tag: its reference, style and type t.
func (w *RowWriter) open(b []byte, c *excelize.Cell, col, row int, t string) []byte {
	b = append(b, `<c r="`...)
	b = append(b, w.column(col)...)
	b = strconv.AppendInt(b, int64(row), 10)
	b = append(b, '"')
	if c.StyleID != 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(c.StyleID), 10)
		b = append(b, '"')
	}
	if t != "" {
		b = append(b, ` t="`...)
		b = append(b, t...)
		b = append(b, '"')
	}
	return append(b, '>')
}

// text appends an inline string's content after its cell's start tag,
// escaped and marked as excelize's StreamWriter does (trimCellValue and
// bstrMarshal in excelize).
func (w *RowWriter) text(b []byte, s string) []byte {
	if len(s) > excelize.TotalCellChars && countUTF16(s) > excelize.TotalCellChars {
		s = truncateUTF16(s, excelize.TotalCellChars)
	}
	b = append(b, `<is><t`...)
	if s != "" && (isSpace(s[0]) || isSpace(s[len(s)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	mark := len(b)
	plain, underscoreX := plainText(s)
	if plain {
		b = append(b, s...)
	} else {
		b = escapeText(b, s)
		underscoreX = bytes.Contains(b[mark:], []byte("_x"))
	}
	if underscoreX {
		escaped := bstrMarshal(string(b[mark:]))
		b = append(b[:mark], escaped...)
	}
	return append(b, `</t></is></c>`...)
}

// isSpace is the bytes that make excelize mark a text's spaces as kept.
func isSpace(c byte) bool { return c == '\t' || c == '\n' || c == '\r' || c == ' ' }

// escapeText appends s escaped as encoding/xml's EscapeText escapes it, except
// for line feeds, which excelize puts back as they were: the five markup
// characters, tab and carriage return as references, and anything XML
// cannot hold (or that is not UTF-8) as U+FFFD.
func escapeText(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		width := 1
		if c < utf8.RuneSelf {
			if esc = asciiEscapes[c]; esc == "" {
				i++
				continue
			}
		} else {
			var r rune
			r, width = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && width == 1 || !inCharacterRange(r) {
				esc = "\uFFFD"
			} else {
				i += width
				continue
			}
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		i += width
		last = i
	}
	return append(b, s[last:]...)
}

// asciiEscapes is what escapeText puts for each ASCII byte, "" for the byte
// itself: the markup characters and tab and carriage return as references,
// as encoding/xml does, and the other control characters but line feed as
// U+FFFD.
var asciiEscapes = func() (t [utf8.RuneSelf]string) {
	for c := range byte(0x20) {
		if c != '\n' {
			t[c] = "\uFFFD"
		}
	}
	t['\t'], t['\r'] = "&#x9;", "&#xD;"
	t['"'], t['\''], t['&'], t['<'], t['>'] = "&#34;", "&#39;", "&amp;", "&lt;", "&gt;"
	return t
}()

// plainText reports whether escapeText leaves s as it is: no byte to
// escape, valid UTF-8, and no U+FFFE or U+FFFF (the only characters valid
// UTF-8 holds that XML does not); and, in the same pass, whether s holds
// "_x", which excelize's text escaping (bstrMarshal) looks for. The
// encoding is checked in the pass too: a 3-byte character (all of CJK)
// inline, any other through utf8.DecodeRuneInString.
func plainText(s string) (plain, underscoreX bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			if c >= 0xE1 && c <= 0xEC && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
				i += 2 // U+1000–U+CFFF: any continuation bytes are valid
				continue
			}
			// U+FFFE and U+FFFF are EF BF BE and EF BF BF.
			if c == 0xEF && i+2 < len(s) && s[i+1] == 0xBF && s[i+2]&^1 == 0xBE {
				return false, false
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				return false, false
			}
			i += n - 1
		case asciiEscaped[c]:
			return false, false
		case c == '_' && i+1 < len(s) && s[i+1] == 'x':
			underscoreX = true
		}
	}
	return true, underscoreX
}

// asciiEscaped says for each ASCII byte whether escapeText replaces it.
var asciiEscaped = func() (t [utf8.RuneSelf]bool) {
	for c, esc := range asciiEscapes {
		t[c] = esc != ""
	}
	return t
}()

// inCharacterRange reports whether r is a character XML 1.0 allows.
func inCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// countUTF16 is the length of s in UTF-16 code units, Excel's measure of a
// cell's text.
func countUTF16(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// truncateUTF16 cuts s to at most n UTF-16 code units, at a character's start.
func truncateUTF16(s string, n int) string {
	count := 0
	for i, r := range s {
		if count += utf16.RuneLen(r); count > n {
			return s[:i]
		}
	}
	return s
}

// The escaped-character forms of OOXML text (ECMA-376 22.9.2.19, ST_Xstring):
// _xHHHH_ stands for a character, so a text that holds such a form itself
// has its underscore escaped as _x005F_.
var (
	bstrExp       = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
	bstrEscapeExp = regexp.MustCompile(`x[a-fA-F\d]{4}_`)
)

// bstrMarshal escapes the _xHHHH_ forms in s as excelize's bstrMarshal does
// (excelize lib.go, BSD-3-Clause), so that the text reads back as written.
func bstrMarshal(s string) string {
	var out strings.Builder
	matches, l, cursor := bstrExp.FindAllStringSubmatchIndex(s, -1), len(s), 0
	for _, match := range matches {
		out.WriteString(s[cursor:match[0]])
		sub := s[match[0]:match[1]]
		if sub == "_x005F_" {
			cursor = match[1]
			if match[1]+6 <= l && bstrEscapeExp.MatchString(s[match[1]:match[1]+6]) {
				if _, err := strconv.Unquote(`"\u` + s[match[1]+1:match[1]+5] + `"`); err == nil {
					out.WriteString(sub + "x005F" + sub)
					continue
				}
			}
			out.WriteString(sub + "x005F_")
			continue
		}
		if bstrExp.MatchString(sub) {
			cursor = match[1]
			if _, err := strconv.Unquote(`"\u` + s[match[0]+2:match[1]-1] + `"`); err == nil {
				out.WriteString("_x005F" + sub)
				continue
			}
		}
	}
	if cursor < l {
		out.WriteString(s[cursor:])
	}
	return out.String()
}

// appendCellFloat appends a number as excelize formats it (formatCellFloat
// in excelize cell.go, BSD-3-Clause): the shortest form, cut to Excel's 15
// significant digits.
func appendCellFloat(b []byte, value float64, bits int) []byte {
	// A whole number of at most 15 digits, as most scores and amounts are,
	// is its digits: what the float formatting below gives, made faster.
	if bits == 64 && value == math.Trunc(value) && math.Abs(value) < 1e15 && !(value == 0 && math.Signbit(value)) {
		return strconv.AppendInt(b, int64(value), 10)
	}
	start := len(b)
	b = strconv.AppendFloat(b, value, 'f', -1, bits)
	if math.Abs(value) == math.MaxFloat64 {
		return b
	}
	const maxPrec = 15
	str := b[start:]
	decimal := bytes.IndexByte(str, '.')
	significant := 0
	for idx, c := range str {
		if c < '0' || c > '9' || significant == 0 && c == '0' {
			continue
		}
		significant++
		if significant <= maxPrec {
			continue
		}
		if decimal >= 0 && idx > decimal {
			return bytes.TrimSuffix(b[:start+idx], []byte("."))
		}
		if decimal < 0 {
			decimal = len(str)
		}
		for ; idx < decimal; idx++ {
			str[idx] = '0'
		}
		return b[:start+decimal]
	}
	return b
}

// excelEpoch is day 0 of Excel's 1900 date system for every date from 1 March
// 1900 on (Excel counts a 29 February 1900 that never was).
var excelEpoch = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)

// dateSerial is a date's serial number in Excel's 1900 date system, for a
// time at midnight, in its own zone, from 1 March 1900 on; ok is false for
// any other time.
func dateSerial(t time.Time) (serial int64, ok bool) {
	y, m, d := t.Date()
	if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 || y < 1900 || y == 1900 && m < time.March {
		return 0, false
	}
	return int64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(excelEpoch) / (24 * time.Hour)), true
}
