package ingest

import (
	"strings"

	"assessor/config"
)

// unitFamily groups units that convert into one another.
type unitFamily int

const (
	familyMoney unitFamily = iota + 1
	familyArea
	familyCount
	familyMonths
	familyPercent
)

// unit is a unit of measure: its family and its size in the family's base unit.
type unit struct {
	family unitFamily
	factor float64
}

// units knows the units that appear in report headers and cells, by their
// normalized spelling (config.NormalizeLabel: ㎡ and m² become m2, ％ becomes %).
// Count units all mean "how many"; a form may say 个 where the config says 家.
var units = map[string]unit{
	"元": {familyMoney, 1}, "千元": {familyMoney, 1e3}, "万元": {familyMoney, 1e4},
	"百万元": {familyMoney, 1e6}, "亿元": {familyMoney, 1e8},
	"平方米": {familyArea, 1}, "平米": {familyArea, 1}, "m2": {familyArea, 1},
	"个": {familyCount, 1}, "人": {familyCount, 1}, "家": {familyCount, 1}, "项": {familyCount, 1},
	"件": {familyCount, 1}, "名": {familyCount, 1}, "次": {familyCount, 1}, "所": {familyCount, 1},
	"户": {familyCount, 1}, "位": {familyCount, 1}, "套": {familyCount, 1}, "人次": {familyCount, 1},
	"月": {familyMonths, 1}, "个月": {familyMonths, 1},
	"%": {familyPercent, 1},
}

// lookupUnit finds a unit by its written form.
func lookupUnit(s string) (unit, bool) {
	u, ok := units[config.NormalizeLabel(s)]
	return u, ok
}

// splitHeader separates a header text into its label and unit: "技术合同成交额
// （万元）" gives ("技术合同成交额", "万元"). Only a trailing bracket that holds a
// known unit (optionally after 单位：) is a unit; "技术合同成交额（含技术输入）"
// keeps its bracket. The label is returned normalized.
func splitHeader(text string) (label, unitText string) {
	n := config.NormalizeLabel(text)
	if strings.HasSuffix(n, ")") {
		if open := strings.LastIndex(n, "("); open >= 0 {
			inner := strings.TrimPrefix(strings.TrimPrefix(n[open+1:len(n)-1], "单位:"), "单位")
			if _, ok := units[inner]; ok && open > 0 {
				return n[:open], inner
			}
		}
	}
	// "金额/万元" and "金额,万元" forms.
	for _, sep := range []string{"/", ","} {
		if i := strings.LastIndex(n, sep); i > 0 {
			if _, ok := units[n[i+len(sep):]]; ok {
				return n[:i], n[i+len(sep):]
			}
		}
	}
	return n, ""
}

// conversion returns the factor that turns a value written in unit `from` into the
// column's configured unit `to`, and whether the two units are compatible. An
// empty `from` means the configured unit. A configured unit the engine does not
// know accepts only itself.
func conversion(from, to string) (float64, bool) {
	if from == "" || config.NormalizeLabel(from) == config.NormalizeLabel(to) {
		return 1, true
	}
	f, okF := lookupUnit(from)
	t, okT := lookupUnit(to)
	if !okF || !okT || f.family != t.family {
		return 0, false
	}
	return f.factor / t.factor, true
}
