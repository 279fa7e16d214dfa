package xlsxin

import (
	"strconv"
	"strings"
)

// styles is what the reader needs of the style part: each cell style's number
// format.
type styles struct {
	custom map[int]string // numFmtId → format code, from <numFmts>
	xfs    []int          // cell style index → numFmtId, from <cellXfs>
}

// NumFmt is a cell style's number format.
type NumFmt struct {
	ID   int
	Code string // the format code; "General" for none
}

// NumFmt returns the number format of a cell style (the style index a row
// reader reports). An unknown style has the General format.
func (wb *Workbook) NumFmt(style int) (NumFmt, error) {
	if wb.ref != nil {
		return wb.ref.numFmt(style)
	}
	st, err := wb.cellStyles()
	if err != nil {
		return NumFmt{}, err
	}
	if style < 0 || style >= len(st.xfs) {
		return NumFmt{Code: "General"}, nil
	}
	id := st.xfs[style]
	if code, ok := st.custom[id]; ok {
		return NumFmt{ID: id, Code: code}, nil
	}
	return NumFmt{ID: id, Code: BuiltinFormat(id)}, nil
}

// cellStyles returns the workbook's cell formats, read on first use.
func (wb *Workbook) cellStyles() (*styles, error) {
	if !wb.stylesRead {
		wb.stylesRead = true
		wb.styles, wb.stylesErr = wb.readStyles()
	}
	return wb.styles, wb.stylesErr
}

// readStyles reads the style part; a workbook without one has only the
// General format.
func (wb *Workbook) readStyles() (*styles, error) {
	st := &styles{custom: map[int]string{}}
	if wb.stylesPart == "" || wb.part(wb.stylesPart) == nil {
		return st, nil
	}
	inCellXfs := false
	err := wb.scanPart(wb.stylesPart, maxStructureBytes, func(s *scanner, depth int) error {
		if depth == 1 {
			inCellXfs = s.is("cellXfs")
		}
		switch {
		case s.is("numFmt") && depth == 2:
			id, err := s.attrString("numFmtId")
			if err != nil {
				return err
			}
			code, err := s.attrString("formatCode")
			if err != nil {
				return err
			}
			if n, err := strconv.Atoi(id); err == nil {
				st.custom[n] = code
			}
		case s.is("xf") && inCellXfs && depth == 2:
			id, err := s.attrString("numFmtId")
			if err != nil {
				return err
			}
			n, _ := strconv.Atoi(id)
			st.xfs = append(st.xfs, n)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// builtinFormats are the number formats with fixed ids (ECMA-376 part 1,
// 18.8.30), with the zh-CN codes of the locale-dependent ids 27–36 and 50–58
// that Chinese Excel and WPS write.
var builtinFormats = map[int]string{
	0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
	9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
	14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
	18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
	27: `yyyy"年"m"月"`, 28: `m"月"d"日"`, 29: `m"月"d"日"`, 30: "m-d-yy", 31: `yyyy"年"m"月"d"日"`,
	32: `h"时"mm"分"`, 33: `h"时"mm"分"ss"秒"`, 34: `上午/下午h"时"mm"分"`, 35: `上午/下午h"时"mm"分"ss"秒"`,
	36: `yyyy"年"m"月"`,
	37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
	45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
	50: `yyyy"年"m"月"`, 51: `m"月"d"日"`, 52: `yyyy"年"m"月"`, 53: `m"月"d"日"`, 54: `m"月"d"日"`,
	55: `上午/下午h"时"mm"分"`, 56: `上午/下午h"时"mm"分"ss"秒"`, 57: `yyyy"年"m"月"`, 58: `m"月"d"日"`,
}

// BuiltinFormat returns the code of a built-in number format id; "General"
// for an id without one.
func BuiltinFormat(id int) string {
	if code, ok := builtinFormats[id]; ok {
		return code
	}
	return "General"
}

// FormatKind is what a number format shows a number as.
type FormatKind uint8

// Format kinds.
const (
	FormatNumber  FormatKind = iota // a plain number, General included
	FormatPercent                   // a percentage: the cell holds the fraction
	FormatDate                      // a date or date and time: the cell holds a serial
	FormatTime                      // a time of day or a duration only
	FormatText                      // the text format "@"
)

// Kind classifies a number format by its first section: a % outside quotes,
// escapes and brackets makes a percentage; y, d, or m as month makes a date;
// h, s, m as minutes, AM/PM or an elapsed-time bracket ([h]) a time.
func (n NumFmt) Kind() FormatKind {
	code := n.Code
	if i := sectionEnd(code); i >= 0 {
		code = code[:i]
	}
	if strings.TrimSpace(code) == "@" {
		return FormatText
	}
	var date, clock, pct bool
	var last byte // the last date or time letter seen, lower case
	for i := 0; i < len(code); i++ {
		c := code[i]
		lc := c | 0x20 // ASCII lower case for letters
		switch {
		case c == '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case c == '\\' || c == '_' || c == '*':
			i++ // the next character is literal, a space width or a fill
		case c == '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				i = len(code)
				break
			}
			if tag := strings.ToLower(code[i+1 : i+j]); strings.Trim(tag, "hms") == "" && tag != "" {
				clock = true
			}
			i += j
		case c == '%':
			pct = true
		case hasPrefixFold(code[i:], "general"):
			i += len("general") - 1
		case hasPrefixFold(code[i:], "am/pm"):
			clock, i = true, i+len("am/pm")-1
		case hasPrefixFold(code[i:], "a/p"):
			clock, i = true, i+len("a/p")-1
		case lc == 'e' && i+1 < len(code) && (code[i+1] == '+' || code[i+1] == '-'):
			i++ // an exponent
		case lc == 'y' || lc == 'd':
			date, last = true, lc
		case lc == 'h' || lc == 's':
			clock, last = true, lc
		case lc == 'm':
			j := i
			for j < len(code) && code[j]|0x20 == 'm' {
				j++
			}
			if last == 'h' || nextDateLetter(code[j:]) == 's' {
				clock = true // minutes
			} else {
				date = true // month
			}
			last, i = 'm', j-1
		}
	}
	switch {
	case pct:
		return FormatPercent
	case date:
		return FormatDate
	case clock:
		return FormatTime
	}
	return FormatNumber
}

// nextDateLetter returns the next of y, m, d, h, s in code (lower case),
// skipping quoted text, or 0.
func nextDateLetter(code string) byte {
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return 0
			}
			i += j + 1
		case strings.IndexByte("ymdhsYMDHS", c) >= 0:
			return c | 0x20
		}
	}
	return 0
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// sectionEnd returns the index of the first section separator ';' outside
// quotes and escapes, or -1.
func sectionEnd(code string) int {
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return -1
			}
			i += j + 1
		case '\\':
			i++
		case ';':
			return i
		}
	}
	return -1
}
