package report

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/xuri/excelize/v2"

	"assessor/assess"
	"assessor/config"
)

// notice is a programme's public notice (公示名单): for each of its
// assessments that graded a platform this year, a sheet named after the
// assessment listing the graded platforms by name, 盟市 and grade — nothing
// else — best grade first, then by 盟市 in the configured order. ok is false
// when the programme graded no platform.
func notice(cfg *config.Config, year int, prog *assess.Programme, version string) (_ workbook, ok bool) {
	p := prog.Config
	type list struct {
		k        int
		a        *config.Assessment
		outcomes []int // positions in the programme's list
	}
	var lists []list
	for k, a := range p.AssessmentList() {
		// Listed by grade, then 盟市, in configured order, then id: the
		// order of each is looked up once, not at every comparison. A
		// programme has one outcome per id, so the order is total and an
		// unstable sort gives it.
		type keyed struct {
			at            int
			id            string
			grade, league int
		}
		var keys []keyed
		for at, o := range prog.Outcomes() {
			if o.Assessments[k].Graded {
				keys = append(keys, keyed{at, o.ID,
					slices.IndexFunc(a.Grades, func(g config.Grade) bool { return g.Code == o.Assessments[k].Grade }),
					slices.IndexFunc(cfg.Leagues, func(l config.EnumValue) bool { return l.Code == o.League })})
			}
		}
		if len(keys) == 0 {
			continue
		}
		slices.SortFunc(keys, func(x, y keyed) int {
			return cmp.Or(cmp.Compare(x.grade, y.grade), cmp.Compare(x.league, y.league), cmp.Compare(x.id, y.id))
		})
		outs := make([]int, len(keys))
		for i, kd := range keys {
			outs[i] = kd.at
		}
		lists = append(lists, list{k: k, a: a, outcomes: outs})
	}
	title := fmt.Sprintf("%d年度%s绩效评估结果公示名单", year, p.Name)
	return workbook{title: title, year: year, version: version, sheets: func(st *styles) []func() *sheet {
		var sheets []func() *sheet
		for _, l := range lists {
			sheets = append(sheets, func() *sheet {
				t := &table{columns: []column{{title: "平台名称", minWidth: 30, maxWidth: 50, wrap: true}, {title: "所在盟市", minWidth: 12}, {title: "等次", minWidth: 8}}}
				return single(l.a.Name, t.streamed(len(l.outcomes), func(i int, row []excelize.Cell) []excelize.Cell {
					o := prog.Outcome(l.outcomes[i])
					defer prog.Done(o)
					g, _ := l.a.Grade(o.Assessments[l.k].Grade)
					return append(row, excelize.Cell{Value: o.Name}, excelize.Cell{Value: enumName(cfg.Leagues, o.League)},
						excelize.Cell{Value: g.Name, StyleID: st.grade[gradeKey(p, l.a, g.Code)]})
				}))
			})
		}
		return sheets
	}}, len(lists) > 0
}
