package samples

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// The documented bad values of every set (cells of the default set in
// README.md):
//
//   - register: one approval date written "<LastYear-2>年13月5日";
//   - last year's enclave file: "待核实" in a 技术合同成交额 cell, 12.5 in a
//     全职人员数 cell, -300 in a 落地自治区科技项目投资额 cell and an empty
//     引进培育人才数 cell (a required column);
//   - the enclave file of LastYear-1: "—" in a 在内蒙古落地转化成果数 cell (an
//     alias of 区内落地转化成果数, a required column);
//   - last year's centre file: "五十" in a 服务科技型中小企业数 cell, "1,2345"
//     in a 研发经费投入 cell, one centre's row written twice and a row for
//     JSZX-2099-001, which is not in the register.
//
// Sets larger than the default also get a random bad value in about one data
// row in a thousand.

// badOverride is a documented bad value in one indicator column.
type badOverride struct {
	ind   int
	value any    // nil leaves the cell empty
	shown string // the value as documented
	what  string
}

// overridesFor returns the documented bad values of platform i's row.
func (rf *reportFile) overridesFor(i int) []badOverride {
	r, o := &rf.pl.roles, rf.pl.opts
	var out []badOverride
	switch {
	case rf.prog == progEnclave && rf.year == o.LastYear:
		switch i {
		case r.badContract:
			out = append(out, badOverride{enContract, "待核实", "待核实", "技术合同成交额: a note instead of an amount"})
		case r.badStaff:
			out = append(out, badOverride{enStaff, 12.5, "12.5", "全职人员数: a head count that is not a whole number (numeric cell)"})
		case r.badInvest:
			out = append(out, badOverride{enInvestment, -300.0, "-300", "落地自治区科技项目投资额: a negative amount (numeric cell)"})
		case r.badTalents:
			out = append(out, badOverride{enTalents, nil, "", "引进培育人才数 (required): empty cell"})
		}
	case rf.prog == progTIC && rf.year == o.LastYear:
		switch i {
		case r.badSMEs:
			out = append(out, badOverride{tcSMEs, "五十", "五十", "服务科技型中小企业数: a count in Chinese numerals"})
		case r.badRD:
			out = append(out, badOverride{tcRDSpend, "1,2345", "1,2345", "研发经费投入: digits grouped by four (text)"})
		}
	}
	if rf.prog == progEnclave && rf.year == o.dashYear() && i == r.badDash {
		out = append(out, badOverride{enResults, "—", "—", "在内蒙古落地转化成果数 (required): the missing marker —"})
	}
	return out
}

// plantBad puts the documented bad values into platform i's row, written at
// sheet row `row`; in sets larger than the default it also spoils about one
// row in a thousand at random.
func (rf *reportFile) plantBad(st styles, cells []any, i, row int, bad *[]badCell) {
	overrides := rf.overridesFor(i)
	for _, ov := range overrides {
		c := baseCols + ov.ind
		cells[c] = excelize.Cell{StyleID: st.text, Value: ov.value}
		if _, isNum := ov.value.(float64); isNum {
			cells[c] = excelize.Cell{StyleID: st.number, Value: ov.value}
		}
		*bad = append(*bad, badCell{rf.rel, rf.sheet, cellName(c+1, row), ov.shown, ov.what})
	}
	if rf.pl.opts.isDefaultSize() || len(overrides) > 0 || rf.rng.IntN(1000) != 0 {
		return
	}
	j := rf.rng.IntN(len(rf.inds))
	value, what := rf.randomBad(j)
	c := baseCols + j
	cells[c] = excelize.Cell{StyleID: st.text, Value: value}
	*bad = append(*bad, badCell{rf.rel, rf.sheet, cellName(c+1, row), value, "random: " + what})
}

// randomBad draws a bad value for indicator column j.
func (rf *reportFile) randomBad(j int) (string, string) {
	ind := rf.inds[j]
	switch ind.kind {
	case kindMoney:
		switch rf.rng.IntN(3) {
		case 0:
			return "待核实", ind.header + ": a note instead of an amount"
		case 1:
			return "-" + strconv.Itoa(100+rf.rng.IntN(900)), ind.header + ": a negative amount"
		}
		return badlyGrouped(10000 + rf.rng.IntN(90000)), ind.header + ": digits grouped by four"
	case kindCount:
		n := 1 + rf.rng.IntN(60)
		switch rf.rng.IntN(3) {
		case 0:
			return chineseNumber(n), ind.header + ": a count in Chinese numerals"
		case 1:
			return fmt.Sprintf("%d.5", n), ind.header + ": a count that is not a whole number"
		}
		return fmt.Sprintf("约%d", n), ind.header + ": an approximate count"
	case kindMonths:
		return "全年", ind.header + ": words instead of a number"
	}
	return "待核实", ind.header + ": a note instead of a number"
}
