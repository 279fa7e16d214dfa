package ingest

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"assessor/config"
	"assessor/internal/xlsxin"
)

// value is one parsed cell: null, or a string, number or integer by column kind.
type value struct {
	null bool
	str  string  // id, text and enumeration codes
	num  float64 // number, count and percent
	i32  int32   // year; date as days since 1970-01-01
}

// fault says why a cell was not accepted.
type fault struct {
	code     string // stable English code
	expected string // what the cell should hold (Chinese, for the workbook's reader)
	reason   string // what is wrong (Chinese)
}

// Year and date bounds: anything outside is a typing error, not a real report.
const (
	minYear = 1990
	maxYear = 2100
)

// columnParser turns the text of one column's cells into values.
type columnParser struct {
	col      config.Column
	enum     map[string]string // normalized spelling → code, for enumerated kinds
	names    map[string]string // code → canonical name, for enumerated kinds
	enumList string            // accepted names, for messages
	factor   float64           // header unit → configured unit
	exp10    int               // powerOfTen(factor)
	missing  map[string]bool   // normalized missing markers
	date1904 bool

	missingLen int               // maxMissingBytes(missing)
	enumSeen   map[string]string // cleaned spellings already resolved → code
}

// cleanText trims a cell and unifies compatibility forms (full-width digits,
// letters and punctuation become half-width). ASCII text is its own NFKC form
// and is only trimmed.
func cleanText(raw string) string {
	if isASCII(raw) || norm.NFKC.IsNormalString(raw) {
		return strings.TrimSpace(raw)
	}
	return strings.TrimSpace(norm.NFKC.String(raw))
}

// shortestForm reports a plain decimal that is its number's shortest
// rendering: no sign but a minus, no exponent, no leading or trailing zero,
// at most 15 significant digits (which always round-trip through float64).
func shortestForm(s string) bool {
	if strings.HasPrefix(s, "-") {
		s = s[1:]
	}
	if s == "" || s[0] == '+' || len(s) > 1 && s[0] == '0' && s[1] != '.' {
		return false
	}
	digits := 0
	point := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point && i > 0 && i < len(s)-1:
			point = true
		default:
			return false
		}
	}
	if point && s[len(s)-1] == '0' {
		return false
	}
	return digits <= 15
}

// hasDigit reports an ASCII digit in s: no missing marker has one.
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// maxMissingBytes is the length of the longest missing marker a column
// parser knows; longer texts are not looked up.
func maxMissingBytes(missing map[string]bool) int {
	n := 0
	for m := range missing {
		n = max(n, len(m))
	}
	return n
}

// excelErrors are the error values a formula cell can hold.
var excelErrors = map[string]bool{
	"#NULL!": true, "#DIV/0!": true, "#VALUE!": true, "#REF!": true, "#NAME?": true, "#NUM!": true,
	"#N/A": true, "#GETTING_DATA": true, "#SPILL!": true, "#CALC!": true, "#FIELD!": true, "#BLOCKED!": true,
}

// parse converts one cell's raw text. percentFormat says whether the cell has a
// percentage number format: then a bare number in a percent column is a
// fraction, as Excel stores 95% (0.95).
func (p *columnParser) parse(raw string, percentFormat bool) (value, *fault) {
	switch {
	case config.Enumerated(p.col.Kind):
		if code, ok := p.enumSeen[raw]; ok {
			return value{str: code}, nil
		}
	case p.col.Kind == config.KindText:
		// A text too long for a missing marker, or with a digit (no marker
		// has one: config checks), is taken as it is, without normalizing
		// it first — unless it may be a formula error such as #DIV/0!.
		if t := strings.TrimSpace(raw); (len(t) > 4*p.missingLen || hasDigit(t)) && !strings.HasPrefix(t, "#") {
			return value{str: t}, nil
		}
	}
	s := cleanText(raw)
	if s == "" || len(s) <= 4*p.missingLen && !hasDigit(s) && p.missing[config.FoldLabel(s)] {
		if p.col.Required {
			return value{null: true}, &fault{"missing_value", p.expected(), "必填项为空或为缺失标记"}
		}
		return value{null: true}, nil
	}
	if s[0] == '#' && excelErrors[strings.ToUpper(s)] {
		return value{}, &fault{"formula_error", p.expected(), "单元格是出错的公式结果（" + s + "），请更正公式或填写数值"}
	}
	switch p.col.Kind {
	case config.KindID:
		return p.parseID(s)
	case config.KindText:
		return value{str: strings.TrimSpace(raw)}, nil
	case config.KindYear:
		return p.parseYear(s)
	case config.KindDate:
		return p.parseDate(s)
	case config.KindNumber, config.KindCount, config.KindPercent:
		return p.parseNumeric(s, percentFormat)
	default: // enumerations
		if code, ok := p.enumSeen[s]; ok {
			return value{str: code}, nil
		}
		if code, ok := p.enum[config.FoldLabel(s)]; ok {
			if len(p.enumSeen) < maxEnumSeen {
				if p.enumSeen == nil {
					p.enumSeen = map[string]string{}
				}
				p.enumSeen[raw] = code
			}
			return value{str: code}, nil
		}
		return value{}, &fault{"unknown_value", p.expected(), "不是可接受的取值"}
	}
}

// maxEnumSeen bounds a column parser's memory of the spellings it has
// resolved: a column of an enumeration holds a few.
const maxEnumSeen = 256

// keepRaw decides whether a cell's raw text is worth keeping beside its parsed
// value: it is, where the text says more than the plain rendering of the value
// (separators, units, words, a different spelling).
func (p *columnParser) keepRaw(raw string, v value) (string, bool) {
	s := cleanText(raw)
	if s == "" {
		return "", false
	}
	switch p.col.Kind {
	case config.KindNumber, config.KindCount, config.KindPercent:
		if !v.null && p.factor == 1 && s == raw && shortestForm(s) {
			return raw, false // the value is the number as written, so its plain rendering
		}
		return raw, v.null || s != strconv.FormatFloat(v.num, 'f', -1, 64)
	case config.KindYear:
		return raw, v.null || s != strconv.Itoa(int(v.i32))
	case config.KindDate:
		if _, serial := parseNumber(s); serial || v.null {
			return raw, !serial
		}
		plain := time.Unix(int64(v.i32)*86400, 0).UTC().Format("2006-01-02")
		m := isoDate.FindStringSubmatch(s)
		return raw, m == nil || m[1] != plain
	case config.KindID:
		return raw, v.null || s != v.str
	default: // enumerations
		return raw, v.null || s != p.names[v.str]
	}
}

// expected describes what a cell of the column should hold.
func (p *columnParser) expected() string {
	unit := ""
	if p.col.Unit != "" {
		unit = "（" + p.col.Unit + "）"
	}
	switch p.col.Kind {
	case config.KindID:
		return "平台编号（文本）"
	case config.KindText:
		return "文本"
	case config.KindYear:
		return "年份，如 2025"
	case config.KindDate:
		return "日期，如 2023-12-29 或 2023年12月29日"
	case config.KindNumber:
		return "数值" + unit
	case config.KindCount:
		return "非负整数" + unit
	case config.KindPercent:
		return "百分数，如 95% 或 95"
	default:
		return "以下之一：" + p.enumList
	}
}

func (p *columnParser) parseID(s string) (value, *fault) {
	// A long number typed into a number-formatted cell comes back in scientific
	// notation with its last digits gone; it cannot be an identifier any more.
	if strings.ContainsAny(s, "eE") {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return value{}, &fault{"id_as_number", p.expected(), "编号被存为数值并丢失了位数，请将该列设为文本格式后重新填写"}
		}
	}
	return value{str: s}, nil
}

func (p *columnParser) parseYear(s string) (value, *fault) {
	t := strings.TrimSuffix(strings.TrimSuffix(s, "度"), "年")
	n, ok := parseNumber(t)
	if !ok || n != math.Trunc(n) || n < minYear || n > maxYear {
		return value{}, &fault{"bad_year", p.expected(), fmt.Sprintf("不是 %d–%d 之间的年份", minYear, maxYear)}
	}
	return value{i32: int32(n)}, nil
}

func (p *columnParser) parseDate(s string) (value, *fault) {
	d, ok := parseDate(s, p.date1904)
	if !ok {
		return value{}, &fault{"bad_date", p.expected(), "无法识别的日期"}
	}
	if d.Year() < minYear || d.Year() > maxYear {
		return value{}, &fault{"bad_date", p.expected(), fmt.Sprintf("日期不在 %d–%d 年之间", minYear, maxYear)}
	}
	return value{i32: int32(d.Unix() / 86400)}, nil
}

func (p *columnParser) parseNumeric(s string, percentFormat bool) (value, *fault) {
	factor, exp10 := p.factor, p.exp10
	percent := false
	if strings.HasSuffix(s, "%") {
		if p.col.Kind != config.KindPercent {
			return value{}, &fault{"bad_number", p.expected(), "本列不是百分数列"}
		}
		s, percent = strings.TrimSpace(strings.TrimSuffix(s, "%")), true
	} else if num, u, ok := cutUnitSuffix(s); ok {
		// A unit typed in the cell ("500万元") overrides the header's.
		f, compatible := conversion(u, p.col.Unit)
		if !compatible {
			return value{}, &fault{"bad_unit", p.expected(), fmt.Sprintf("单元格中的单位“%s”与本列单位不符", u)}
		}
		s, factor, exp10 = num, f, powerOfTen(f)
	}
	n, ok := parseScaled(s, exp10)
	if !ok {
		return value{}, &fault{"bad_number", p.expected(), "不是有效的数字"}
	}
	if exp10 == 0 {
		n *= factor
	}
	switch {
	case p.col.Kind != config.KindPercent || percent:
	case percentFormat:
		n *= 100 // a fraction shown as a percentage: 0.95 is 95%
	case n > 0 && n <= 1:
		return value{}, &fault{"ambiguous_percent", p.expected(),
			"无法判断是比例还是百分数，请写成带 % 的形式（如 95%）或设置为百分比格式"}
	}
	if p.col.Kind == config.KindCount {
		if n < 0 || math.Abs(n-math.Round(n)) > 1e-9 {
			return value{}, &fault{"bad_count", p.expected(), "不是非负整数"}
		}
		n = math.Round(n)
	}
	if p.col.Min != nil && n < *p.col.Min {
		return value{}, &fault{"out_of_range", p.expected(), fmt.Sprintf("不应小于 %s", formatNumber(*p.col.Min))}
	}
	if p.col.Max != nil && n > *p.col.Max {
		return value{}, &fault{"out_of_range", p.expected(), fmt.Sprintf("不应大于 %s", formatNumber(*p.col.Max))}
	}
	return value{num: n}, nil
}

// formatNumber writes a number the shortest way.
// powerOfTen returns k when factor is 10^k (k ≠ 0), else 0.
func powerOfTen(factor float64) int {
	if factor <= 0 || factor == 1 {
		return 0
	}
	k := math.Round(math.Log10(factor))
	if math.Abs(factor-math.Pow(10, k)) > 1e-12*factor {
		return 0
	}
	return int(k)
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// cutUnitSuffix splits "500万元" into "500" and "万元" when the text ends in a
// known unit after a number.
func cutUnitSuffix(s string) (num, unitText string, ok bool) {
	i := len(s)
	for i > 0 {
		c := s[i-1]
		if c >= '0' && c <= '9' || c == '.' {
			break
		}
		i--
	}
	if i == 0 || i == len(s) {
		return "", "", false
	}
	u := strings.TrimSpace(s[i:])
	if _, known := lookupUnit(u); !known {
		return "", "", false
	}
	return strings.TrimSpace(s[:i]), u, true
}

// parseNumber reads a number as people type it: an optional sign (including the
// minus sign U+2212), digits with or without thousands separators (",", " " or
// "'", consistently, in groups of three), a decimal part and, without separators,
// an exponent. Anything else — words, "1,2,3", two points, NaN — is refused.
func parseNumber(s string) (float64, bool) { return parseScaled(s, 0) }

// parseScaled reads a number as parseNumber does, times 10^exp10, scaled in
// decimal before the conversion to binary: 9876543.21 元 is 987.654321 万元,
// where multiplying the parsed number would give 987.6543210000001.
func parseScaled(s string, exp10 int) (float64, bool) {
	if plainNumber(s) {
		return scaleFloat(s, exp10)
	}
	s = strings.Replace(s, "\u2212", "-", 1)
	if s == "" || len(s) > 64 {
		return 0, false
	}
	var b strings.Builder
	i := 0
	if s[0] == '+' || s[0] == '-' {
		if s[0] == '-' {
			b.WriteByte('-')
		}
		i++
	}
	// Integer part, with an optional consistent group separator.
	start := i
	var sep byte
	group := 0 // digits since the last separator, or since the start
	firstGroup := true
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
			group++
		case c == ',' || c == ' ' || c == '\'':
			if sep != 0 && c != sep || group == 0 || (firstGroup && group > 3) || (!firstGroup && group != 3) {
				return 0, false
			}
			sep, group, firstGroup = c, 0, false
		default:
			goto intDone
		}
	}
intDone:
	if i == start || (sep != 0 && group != 3) {
		return 0, false
	}
	if i < len(s) && s[i] == '.' {
		b.WriteByte('.')
		start := i + 1
		if i = digitRun(&b, s, start); i == start {
			return 0, false // no digit after the point
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') && sep == 0 {
		b.WriteByte('e')
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			b.WriteByte(s[i])
			i++
		}
		start := i
		if i = digitRun(&b, s, i); i == start {
			return 0, false // no exponent digits
		}
	}
	if i != len(s) {
		return 0, false
	}
	return scaleFloat(b.String(), exp10)
}

// plainNumber reports whether s is a number as numeric cells store it — an
// optional sign, digits, a point with digits, an exponent — which
// strconv.ParseFloat reads as parseNumber would, with no cleaning.
func plainNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := func() bool {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > start
	}
	if !digits() {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		if !digits() {
			return false
		}
	}
	return i == len(s) && len(s) <= 64
}

// scaleFloat parses a plain decimal number times 10^exp10.
func scaleFloat(text string, exp10 int) (float64, bool) {
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	if exp10 != 0 {
		// Shift the shortest decimal form of the number, so that every
		// spelling of one binary number scales alike ("9876543.21" and
		// "9876543.2100000009" are the same number).
		mantissa, exp, _ := strings.Cut(strconv.FormatFloat(f, 'e', -1, 64), "e")
		e, _ := strconv.Atoi(exp)
		f, err = strconv.ParseFloat(mantissa+"e"+strconv.Itoa(e+exp10), 64)
		if err != nil || math.IsInf(f, 0) {
			return 0, false
		}
	}
	return f, true
}

// digitRun copies the digits of s from i on to b and returns where they end.
func digitRun(b *strings.Builder, s string, i int) int {
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		b.WriteByte(s[i])
	}
	return i
}

// Written date forms: 2023-12-29, 2023/12/29, 2023.12.29, 2023年12月29日, and
// the month forms 2023-12, 2023.12, 2023年12月; and the compact 20231229.
var (
	writtenDate = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月?)$`)
	compactDate = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	// isoDate is a date in ISO form, at midnight if with a time, as date
	// cells (t="d") store it: its plain rendering is the parsed date.
	isoDate   = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(?:T00:00(?::00(?:\.0+)?)?Z?)?$`)
	timeOfDay = regexp.MustCompile(`[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$`)
)

// parseDate reads an Excel serial (in the workbook's date system) or a written
// date; a month without a day means the first of the month, and a time of day
// after the date is ignored.
func parseDate(s string, date1904 bool) (time.Time, bool) {
	s = strings.TrimSpace(timeOfDay.ReplaceAllString(s, ""))
	m := compactDate.FindStringSubmatch(s)
	if m == nil {
		m = writtenDate.FindStringSubmatch(s)
	}
	if m == nil {
		if n, ok := parseNumber(s); ok && !strings.ContainsAny(s, ",'") {
			return serialDate(n, date1904)
		}
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mon, _ := strconv.Atoi(m[2])
	d := 1
	if m[3] != "" {
		d, _ = strconv.Atoi(m[3])
	}
	if mon < 1 || mon > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mon), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 2023-02-30 would roll over into March; refuse it
		return time.Time{}, false
	}
	return t, true
}

// serialDate converts an Excel serial day number of at least 1 (1900-01-01
// in the 1900 system); the time of day is dropped.
func serialDate(n float64, date1904 bool) (time.Time, bool) {
	t, ok := xlsxin.SerialTime(n, date1904)
	if !ok || n < 1 {
		return time.Time{}, false
	}
	return t.Truncate(24 * time.Hour), true
}
