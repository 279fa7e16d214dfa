package report

import (
	"cmp"
	"maps"
	"math"
	"slices"

	"github.com/xuri/excelize/v2"

	"assessor/assess"
	"assessor/config"
	"assessor/dataset"
)

// summary is the 汇总 sheet, the year on one page: platforms per grade and
// share for each programme and assessment, with a chart of each programme's
// grades; in the region-wide workbook the same per 盟市; the funds granted;
// and, region-wide, the year's aggregates against the configured targets.
func (b *book) summary() *sheet {
	grades, charts := b.gradeTable()
	s := &sheet{name: SheetSummary, title: b.title() + "汇总", tables: []*table{grades}, charts: charts}
	if b.regional() {
		s.tables = append(s.tables, b.leagueTable())
	}
	if t := b.fundTotals(); len(t.rows) > 0 {
		s.tables = append(s.tables, t)
	}
	if b.regional() && len(b.cfg.Targets.Items) > 0 {
		s.tables = append(s.tables, b.targetTable())
	}
	for i, t := range s.tables {
		t.title = numeral(i+1) + "、" + t.title
	}
	return s
}

// numeral writes 1 to 10 as Chinese numerals, for section titles.
func numeral(n int) string {
	digits := []rune("一二三四五六七八九十")
	if n < 1 || n > len(digits) {
		return ""
	}
	return string(digits[n-1])
}

// gradeTable counts, per programme with platforms, the platforms of each
// grade of each assessment, each outcome without a grade, and each status after the year;
// and charts each programme's grades on its status assessment.
func (b *book) gradeTable() (*table, []chart) {
	cfg, res, st := b.cfg, b.res, b.st
	t := &table{title: "各类平台评估等次与年末状态", columns: []column{
		{title: "平台类别", minWidth: 16}, {title: "评估", minWidth: 14}, {title: "等次或状态", minWidth: 14}, {title: "平台数"}, {title: "占比"},
	}}
	var charts []chart
	for _, prog := range res.Programmes {
		p := prog.Config
		if prog.Len() == 0 {
			continue
		}
		// Counted in one pass: by assessment the graded and their grades, the
		// outcomes and the statuses at the year's end.
		assessments := p.AssessmentList()
		gradedOn, byGradeOn := make([]int, len(assessments)), make([]map[string]int, len(assessments))
		for k := range assessments {
			byGradeOn[k] = map[string]int{}
		}
		byOutcome := map[assess.Status]int{}
		byStatus := map[dataset.PlatformStatus]int{}
		for _, o := range prog.Outcomes() {
			for k, ar := range o.Assessments {
				if ar.Graded {
					gradedOn[k]++
					byGradeOn[k][ar.Grade]++
				}
			}
			byOutcome[o.Status]++
			if o.Status != assess.StatusNotDue || o.After != dataset.Active || o.Approved.Year() <= res.Year {
				byStatus[o.After]++
			}
		}
		for k, a := range assessments {
			graded, byGrade := gradedOn[k], byGradeOn[k]
			if k > 0 && graded == 0 {
				continue
			}
			if k == 0 && graded > 0 {
				c := chart{title: p.Name + a.Name + "等次分布", from: len(t.rows), to: len(t.rows) + len(a.Grades) - 1, catCol: 2, valCol: 3}
				if slices.Max(slices.Collect(maps.Values(byGrade))) <= 10 {
					c.step = 1 // counts are whole: no half steps on a short axis
				}
				charts = append(charts, c)
			}
			for _, g := range a.Grades {
				t.rows = append(t.rows, []excelize.Cell{{Value: p.Name}, {Value: a.Name},
					{Value: g.Name, StyleID: st.grade[gradeKey(p, a, g.Code)]}, {Value: byGrade[g.Code]}, b.share(byGrade[g.Code], graded)})
			}
		}
		for _, s := range []assess.Status{assess.StatusNotDue, assess.StatusRectifying, assess.StatusNoReport, assess.StatusDataError,
			assess.StatusConflict, assess.StatusIncomplete, assess.StatusRevoked, assess.StatusRevokedEarlier} {
			if byOutcome[s] > 0 {
				t.rows = append(t.rows, []excelize.Cell{{Value: p.Name}, {Value: "本年结果"}, {Value: statusNames[s]}, {Value: byOutcome[s]}, {}})
			}
		}
		for _, s := range cfg.Statuses {
			t.rows = append(t.rows, []excelize.Cell{{Value: p.Name}, {Value: "年末状态"}, {Value: s.Name},
				{Value: byStatus[dataset.PlatformStatus(s.Code)]}, {}})
		}
		t.rows = append(t.rows, []excelize.Cell{{Value: p.Name}, {Value: "合计"}, {}, {Value: prog.Len()}, {}})
	}
	return t, charts
}

// share is n out of total as a percentage cell; empty when total is 0.
func (b *book) share(n, total int) excelize.Cell {
	if total == 0 {
		return excelize.Cell{}
	}
	return excelize.Cell{Value: float64(n) / float64(total), StyleID: b.st.percent}
}

// leagueTable counts, per 盟市 and programme, the platforms, those graded on
// the status assessment, and each grade with its share of the graded. A grade
// outside a programme's scale is left empty.
func (b *book) leagueTable() *table {
	var scale []config.Grade // every grade name of the status assessments, best first
	for _, prog := range b.res.Programmes {
		for _, g := range prog.Config.StatusAssessment().Grades {
			if !slices.ContainsFunc(scale, func(h config.Grade) bool { return h.Name == g.Name }) {
				scale = append(scale, g)
			}
		}
	}
	slices.SortStableFunc(scale, func(a, b config.Grade) int { return cmp.Compare(b.Min, a.Min) })
	cols := []column{{title: "盟市", minWidth: 10}, {title: "平台类别", minWidth: 16}, {title: "平台数", minWidth: 6}, {title: "已评定", minWidth: 6}}
	for _, g := range scale {
		cols = append(cols, column{title: g.Name, minWidth: 6})
	}
	for _, g := range scale {
		cols = append(cols, column{title: g.Name + "占比", minWidth: 8})
	}
	t := &table{title: "各盟市评估等次（各类平台的状态评估）", columns: cols}
	// Each programme's platforms are counted by 盟市 in one pass.
	type counts struct {
		platforms, graded int
		byGrade           map[string]int
	}
	byLeague := make([]map[string]*counts, len(b.res.Programmes))
	for i, prog := range b.res.Programmes {
		byLeague[i] = map[string]*counts{}
		for _, o := range prog.Outcomes() {
			c := byLeague[i][o.League]
			if c == nil {
				c = &counts{byGrade: map[string]int{}}
				byLeague[i][o.League] = c
			}
			c.platforms++
			if m := o.Main(); m.Graded {
				c.graded++
				c.byGrade[m.Grade]++
			}
		}
	}
	for _, l := range b.cfg.Leagues {
		for i, prog := range b.res.Programmes {
			p, a := prog.Config, prog.Config.StatusAssessment()
			c := byLeague[i][l.Code]
			if c == nil {
				continue
			}
			platforms, graded, byGrade := c.platforms, c.graded, c.byGrade
			row := []excelize.Cell{{Value: l.Name}, {Value: p.Name}, {Value: platforms}, {Value: graded}}
			shares := make([]excelize.Cell, len(scale))
			for i, g := range scale {
				own := slices.IndexFunc(a.Grades, func(h config.Grade) bool { return h.Name == g.Name })
				if own < 0 {
					row = append(row, excelize.Cell{})
					continue
				}
				row = append(row, excelize.Cell{Value: byGrade[a.Grades[own].Code]})
				shares[i] = b.share(byGrade[a.Grades[own].Code], graded)
			}
			t.rows = append(t.rows, append(row, shares...))
		}
	}
	return t
}

// fundTotals adds up, per programme and fund, the platforms granted an amount,
// the amount granted, and the platforms eligible for an amount still to be set.
func (b *book) fundTotals() *table {
	st := b.st
	t := &table{title: "资金核定合计", columns: []column{
		{title: "平台类别", minWidth: 16}, {title: "资金项目", minWidth: 14}, {title: "核定平台数", minWidth: 6}, {title: "核定额合计（元）", minWidth: 14},
		{title: "金额待定平台数", minWidth: 6}, {title: "依据", maxWidth: 24, wrap: true, span: true},
	}}
	var count, open int
	var total float64
	for _, prog := range b.res.Programmes {
		// Every fund's tally in one pass over the outcomes, each summed in
		// the outcomes' order as a pass per fund would.
		type tally struct {
			n, open int
			sum     float64
		}
		tallies := make(map[*config.Fund]*tally, len(prog.Config.Funds))
		for _, f := range prog.Config.Funds {
			tallies[f] = &tally{}
		}
		for _, out := range prog.Outcomes() {
			for _, g := range out.Grants {
				switch t := tallies[g.Fund]; {
				case t == nil:
				case g.Open:
					t.open++
				case granted(g):
					t.n++
					t.sum += g.Amount
				}
			}
		}
		for _, f := range prog.Config.Funds {
			n, o, sum := tallies[f].n, tallies[f].open, tallies[f].sum
			count, open, total = count+n, open+o, total+sum
			t.rows = append(t.rows, []excelize.Cell{{Value: prog.Config.Name}, {Value: f.Name}, {Value: n},
				{Value: sum, StyleID: st.money}, {Value: o}, {Value: b.cfg.Cite(f.Clause)}})
		}
	}
	t.footer = [][]excelize.Cell{{{Value: "合计"}, {}, {Value: count}, {Value: total, StyleID: st.money}, {Value: open}, {}}}
	return t
}

// targetTable sets the year's aggregates against the configured region-wide
// targets: each target, the engine's figure where it has one, the share
// reached, and what the figure covers.
func (b *book) targetTable() *table {
	cfg, st := b.cfg, b.st
	t := &table{title: cfg.Targets.Name + "（" + cfg.Cite(cfg.Targets.Clause) + "）", columns: []column{
		{title: "目标", minWidth: 16, maxWidth: 28, wrap: true}, {title: "单位", minWidth: 6}, {title: "目标值", minWidth: 14},
		{title: "本年合计", minWidth: 14}, {title: "完成比例", minWidth: 8}, {title: "口径说明", minWidth: 30, maxWidth: 48, wrap: true, span: true},
	}}
	for _, item := range cfg.Targets.Items {
		figure, ratio := excelize.Cell{}, excelize.Cell{}
		if item.Measured() {
			v := b.measure(item)
			figure = b.amountCell(v)
			ratio = excelize.Cell{Value: v / item.Value, StyleID: st.percent}
		}
		t.rows = append(t.rows, []excelize.Cell{{Value: item.Name}, {Value: item.Unit}, b.amountCell(item.Value), figure, ratio, {Value: item.Note}})
	}
	return t
}

// measure computes a target's figure: the sum of its indicators over the
// year's reports, or the platforms approved since its year.
func (b *book) measure(item config.Target) float64 {
	total := 0.0
	for _, prog := range b.res.Programmes {
		// summed: the programme's indicators that are among the sum's
		var summed []int
		for i, ind := range prog.Config.Indicators {
			if slices.Contains(item.Sum, prog.Config.Key()+"."+ind.Key) {
				summed = append(summed, i)
			}
		}
		if len(summed) == 0 && item.ApprovedSince == 0 {
			continue // the programme adds nothing to the figure
		}
		for _, o := range prog.Outcomes() {
			if y := o.Approved.Year(); item.ApprovedSince > 0 && !o.Approved.IsZero() && y >= item.ApprovedSince && y <= b.res.Year {
				total++
			}
			for _, i := range summed {
				if v, ok := o.Indicator(i); ok && v.Present {
					total += v.Value
				}
			}
		}
	}
	return total
}

// amountCell shows a whole amount with thousands separators, a fractional one
// with two decimals as well.
func (b *book) amountCell(v float64) excelize.Cell {
	if v == math.Trunc(v) {
		return excelize.Cell{Value: v, StyleID: b.st.integer}
	}
	return excelize.Cell{Value: v, StyleID: b.st.number}
}
