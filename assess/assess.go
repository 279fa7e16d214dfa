package assess

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"assessor/config"
	"assessor/dataset"
)

// Run assesses every registered platform for the year. Each programme's
// platforms are scored on their report of that year, graded by the programme's
// scale and ranked; a platform without a usable report gets the status that says
// why. The error result is for tables that do not have the configured columns
// (an engine fault), never for bad input, which becomes problems.
func Run(cfg *config.Config, set *dataset.Set, year int) (*Result, error) {
	reg, err := readRegister(set)
	if err != nil {
		return nil, err
	}
	res := &Result{Year: year, Unused: map[string]int{}}
	if _, ok := set.Tables[config.TableRegister]; !ok {
		res.Problems = append(res.Problems, dataset.Problem{Severity: dataset.Error, Code: "no_register",
			Reason: "输入中没有找到平台名录（" + cfg.Register.Name + "），无法确定参评平台"})
	}
	res.Problems = append(res.Problems, registerConflicts(reg)...)
	for _, key := range cfg.ProgrammeKeys() {
		prog, problems, unused, err := assessProgramme(cfg, cfg.Programmes[key], reg, set, year)
		if err != nil {
			return nil, err
		}
		res.Programmes = append(res.Programmes, prog)
		res.Problems = append(res.Problems, problems...)
		res.Unused[key] = unused
	}
	dataset.SortProblems(res.Problems)
	return res, nil
}

// Years returns the report years present in the dataset, ascending.
func Years(set *dataset.Set) ([]int, error) {
	seen := map[int]bool{}
	for key, tbl := range set.Tables {
		if key == config.TableRegister {
			continue
		}
		err := eachRecord(tbl, func(rec arrow.Record) error {
			cols, err := columns(rec, "year")
			if err != nil {
				return fmt.Errorf("%s reports: %w", key, err)
			}
			years := cols[0].(*array.Int32)
			for i := 0; i < years.Len(); i++ {
				seen[int(years.Value(i))] = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	years := make([]int, 0, len(seen))
	for y := range seen {
		years = append(years, y)
	}
	slices.Sort(years)
	return years, nil
}

// Check runs the consistency checks of an assessment — unknown platforms,
// platforms in the wrong programme's table, reports and register entries
// repeated — for every report year in the dataset, without grading anything.
func Check(cfg *config.Config, set *dataset.Set) ([]dataset.Problem, error) {
	years, err := Years(set)
	if err != nil {
		return nil, err
	}
	if len(years) == 0 {
		years = []int{0}
	}
	type key struct {
		loc  dataset.Location
		code string
	}
	seen := map[key]bool{}
	var out []dataset.Problem
	for _, y := range years {
		res, err := Run(cfg, set, y)
		if err != nil {
			return nil, err
		}
		for _, p := range res.Problems {
			if p.Code == "no_reports" || seen[key{p.Location, p.Code}] {
				continue
			}
			seen[key{p.Location, p.Code}] = true
			out = append(out, p)
		}
	}
	dataset.SortProblems(out)
	return out, nil
}

// registerConflicts reports every id registered more than once.
func registerConflicts(reg *register) []dataset.Problem {
	var out []dataset.Problem
	for _, id := range reg.order {
		entries := reg.byID[id]
		if len(entries) < 2 {
			continue
		}
		locs := make([]dataset.Location, len(entries))
		for i, e := range entries {
			locs[i] = e.at
		}
		for _, e := range entries {
			out = append(out, dataset.Problem{Location: e.at, Severity: dataset.Error, Code: "duplicate_register",
				Column: e.column, Raw: id, Reason: "平台编号在名录中重复登记（" + places(locs) + "），各条均未采用"})
		}
	}
	return out
}

// assessProgramme assesses one programme's platforms for the year.
func assessProgramme(cfg *config.Config, p *config.Programme, reg *register, set *dataset.Set, year int) (*Programme, []dataset.Problem, int, error) {
	reps, err := readReports(set, p.Key(), year)
	if err != nil {
		return nil, nil, 0, err
	}
	defer reps.release()
	rejected := rejectedRows(set, p.Key(), year)
	yearEnd := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	prog := &Programme{Config: p}
	var problems []dataset.Problem

	// Reports that belong to no platform of this programme.
	for _, id := range reps.order {
		entries := reg.byID[id]
		for _, r := range reps.byID[id] {
			switch {
			case len(entries) == 0 && len(reg.rejected[id]) > 0:
				problems = append(problems, dataset.Problem{Location: r.at, Severity: dataset.Error, Code: "register_entry_rejected",
					Column: r.column, Raw: id, Reason: fmt.Sprintf("该平台在名录中的登记行有误（%s），未能确认平台信息，报告未采用", places(reg.rejected[id]))})
			case len(entries) == 0:
				problems = append(problems, dataset.Problem{Location: r.at, Severity: dataset.Error, Code: "unknown_platform",
					Column: r.column, Raw: id, Expected: "名录中已登记的平台编号", Reason: "该平台编号不在平台名录中，报告未采用"})
			case entries[0].programme != p.Key():
				other := cfg.Programmes[entries[0].programme]
				problems = append(problems, dataset.Problem{Location: r.at, Severity: dataset.Error, Code: "programme_mismatch",
					Column: r.column, Raw: id, Reason: fmt.Sprintf("该平台在名录中登记为“%s”，却出现在“%s”年度报告表中，报告未采用", other.Name, p.Name)})
			}
		}
	}

	for _, id := range reg.order {
		entries := reg.byID[id]
		if !hasProgramme(entries, p.Key()) {
			continue
		}
		e := entries[0]
		o := Outcome{ID: id, Name: e.name, Subtype: e.subtype, League: e.league, LeadUnit: e.leadUnit, Approved: e.approved}
		rows := reps.byID[id]
		bad := rejected[id]
		switch {
		case len(entries) > 1:
			o.Status = StatusConflict
			o.Reasons = append(o.Reasons, Reason{Text: "平台编号在名录中重复登记，未予评估，请核实名录", Clause: p.AssessmentClause})
		case e.approved.After(yearEnd):
			o.Status = StatusNotDue
			o.Reasons = append(o.Reasons, Reason{
				Text:   fmt.Sprintf("批复（备案）时间 %s 晚于评估年度 %d 年，本年度不参加%s", e.approved.Format("2006-01-02"), year, p.Assessment),
				Clause: p.AssessmentClause})
			for _, r := range rows {
				problems = append(problems, dataset.Problem{Location: r.at, Severity: dataset.Warning, Code: "report_before_approval",
					Column: r.column, Raw: id, Reason: fmt.Sprintf("%d 年度报告早于平台批复（备案）时间 %s，未采用", year, e.approved.Format("2006-01-02"))})
			}
		case len(rows)+len(bad) > 1:
			o.Status = StatusConflict
			locs := append([]dataset.Location(nil), bad...)
			for _, r := range rows {
				locs = append(locs, r.at)
			}
			o.Reasons = append(o.Reasons, Reason{Text: fmt.Sprintf("%d 年度有多条报告（%s），均未采用，请核实", year, places(locs)), Clause: p.AssessmentClause})
			for _, loc := range locs {
				problems = append(problems, dataset.Problem{Location: loc, Severity: dataset.Error, Code: "duplicate_report",
					Raw: id, Reason: fmt.Sprintf("同一平台 %d 年度有多条报告（%s），均未采用", year, places(locs))})
			}
		case len(bad) == 1:
			o.Status = StatusDataError
			o.Report = bad[0]
			o.Reasons = append(o.Reasons, Reason{Text: fmt.Sprintf("年度报告数据有误，未能评分，见问题清单（%s）", bad[0]), Clause: p.AssessmentClause})
		case len(rows) == 1:
			o.Report = rows[0].at
			if err := score(cfg, p, &o, rows[0]); err != nil {
				return nil, nil, 0, fmt.Errorf("%s %s: %w", p.Key(), id, err)
			}
		default:
			o.Status = StatusNoReport
			g, _ := p.Grade(p.NoReport.Grade)
			o.Grade = g.Code
			o.Reasons = append(o.Reasons, Reason{Text: fmt.Sprintf("未提交 %d 年度报告，评为%s", year, g.Name), Clause: p.NoReport.Clause})
		}
		prog.Outcomes = append(prog.Outcomes, o)
	}
	if len(reps.order) == 0 && len(rejected) == 0 && len(prog.Outcomes) > 0 {
		problems = append(problems, dataset.Problem{Severity: dataset.Warning, Code: "no_reports",
			Reason: fmt.Sprintf("输入中没有%s %d 年度的报告数据，到期平台均按未报送处理", p.Name, year)})
	}
	rank(prog.Outcomes, p)
	return prog, problems, reps.unused, nil
}

// hasProgramme reports whether any register entry puts the platform in the programme.
func hasProgramme(entries []platform, key string) bool {
	return slices.ContainsFunc(entries, func(e platform) bool { return e.programme == key })
}

// rank ranks the assessed outcomes and orders all of them: by score (already
// rounded to the configured precision, so 84.996 and 85.004 tie at 85.00), then
// by the programme's tie-break indicators, all descending; outcomes equal on all
// of these share a rank (1, 2, 2, 4) and are listed by id. Unranked outcomes
// follow, by status and id.
func rank(outs []Outcome, p *config.Programme) {
	tieValue := func(o *Outcome, key string) float64 {
		for _, ind := range o.Indicators {
			if ind.Key == key && ind.Present {
				return ind.Value
			}
		}
		return -1 // a missing value ranks below any reported one
	}
	compare := func(a, b *Outcome) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		for _, key := range p.TieBreak {
			if c := cmp.Compare(tieValue(b, key), tieValue(a, key)); c != 0 {
				return c
			}
		}
		return 0
	}
	slices.SortStableFunc(outs, func(a, b Outcome) int {
		if a.Status != b.Status {
			return cmp.Compare(statusOrder[a.Status], statusOrder[b.Status])
		}
		if a.Status == StatusAssessed {
			if c := compare(&a, &b); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.ID, b.ID)
	})
	for i := range outs {
		if outs[i].Status != StatusAssessed {
			break
		}
		if i > 0 && compare(&outs[i-1], &outs[i]) == 0 {
			outs[i].Rank = outs[i-1].Rank
			outs[i].Tied, outs[i-1].Tied = true, true
		} else {
			outs[i].Rank = i + 1
		}
	}
}
