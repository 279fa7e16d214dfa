package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"assessor/assess"
	"assessor/config"
	"assessor/internal/numfmt"
)

// ErrNotFound is returned by WriteExplanation for an id not in the result.
var ErrNotFound = fmt.Errorf("platform not in the register")

// WriteExplanation writes, for one platform, how its year was decided: each
// indicator (value, target, attainment, weight, points), each assessment with
// its expert panel and every grade rule (the one that fired marked), each gate
// with its values, the status transition and its clause, the funds with their
// inputs, and the reasons as the workbook shows them.
func WriteExplanation(w io.Writer, cfg *config.Config, res *assess.Result, id string) error {
	var prog *assess.Programme
	var o *assess.Outcome
	for _, p := range res.Programmes {
		for i := range p.Len() {
			if out := p.Outcome(i); out.ID == id {
				prog, o = p, out // kept: not given back to Done
			} else {
				p.Done(out)
			}
		}
	}
	if o == nil {
		return fmt.Errorf("%s: %w", id, ErrNotFound)
	}
	p := prog.Config
	b := bufio.NewWriter(w)
	line := func(format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }

	kind := p.Name
	if sub, ok := p.Subtype(o.Subtype); ok {
		kind += "·" + sub.Name
	}
	line("%s %s（%s，%s）", o.ID, o.Name, kind, enumName(cfg.Leagues, o.League))
	line("评估年度 %d；批复（备案）%s；本年结果：%s", res.Year, o.Approved.Format("2006-01-02"), statusNames[o.Status])
	status := fmt.Sprintf("状态：%s → %s", enumName(cfg.Statuses, string(o.Before)), enumName(cfg.Statuses, string(o.After)))
	if t := o.Transition; t != nil {
		status += fmt.Sprintf("（%s：%s〔%s〕）", changeNames[t.Kind], t.Text, cfg.Cite(t.Clause))
	}
	line("%s", status)

	if o.HasIndicators() {
		line("")
		line("指标")
		rows := [][]string{{"指标", "数值", "目标", "达成率", "权重", "得分", "原始填写"}}
		for i, s := range o.Indicators() {
			ind := p.Indicators[i]
			name := ind.Name
			if ind.Unit != "" {
				name += "（" + ind.Unit + "）"
			}
			value, target, att, points := "—", "", "", ""
			if s.Present {
				value = money(s.Value)
			}
			weight := ""
			if ind.Weight > 0 {
				target = money(ind.TargetFor(o.Subtype))
				points = num(s.Points)
				if s.Present {
					att = num(s.Attainment*100) + "%"
				}
				weight = num(ind.Weight)
			}
			rows = append(rows, []string{name, value, target, att, weight, points, s.Raw})
		}
		writeAligned(b, rows, "  ")
	}

	for _, ar := range o.Assessments {
		a := ar.Config
		line("")
		switch {
		case !ar.Due:
			line("%s：本年度不到期", a.Name)
			continue
		case ar.Review:
			line("%s：整改期满，重新评估", a.Name)
		case a.EveryYears == 1 && a.FirstAfterYears == 0:
			line("%s：按周期到期（每年）", a.Name)
		default:
			line("%s：按周期到期（批复满 %d 年起，每 %d 年一次）", a.Name, a.FirstAfterYears, a.EveryYears)
		}
		if ar.Scored {
			line("  定量得分 %s", num(ar.Quantitative))
		}
		if e := ar.Expert; e != nil {
			line("  专家评分 %s", floats(e.Scores))
			if e.Applied {
				line("  去掉最高、最低各 %d 个后 %s，平均 %s", a.Expert.Trim, floats(e.Kept), num(e.Mean))
				line("  得分 = %s × %s%% + %s × %s%% = %s", num(ar.Quantitative), num(100-a.Expert.Weight), num(e.Mean), num(a.Expert.Weight), num(ar.Score))
			} else {
				line("  专家评分不足 %d 份，未计入", a.Expert.MinScores)
			}
		}
		if ar.Graded {
			for _, g := range a.Grades {
				mark := " "
				if g.Code == ar.Grade {
					mark = "✓"
				}
				rule := fmt.Sprintf("≥ %s", num(g.Min))
				if ar.Scored && g.Code != ar.Grade {
					mark = "✗"
				}
				line("  %s %s %s〔%s〕", mark, rule, g.Name, cfg.Cite(g.Clause))
			}
			if !ar.Scored {
				line("  未提交报告，按规定评为%s〔%s〕", gradeName(a, ar.Grade), cfg.Cite(a.NoReport.Clause))
			}
		} else {
			line("  未评定")
		}
		if ar.Rank > 0 {
			rank := strconv.Itoa(ar.Rank)
			if ar.Tied {
				rank += "（并列）"
			}
			line("  排名 %s", rank)
		}
	}

	if o.HasGates() {
		line("")
		line("门槛条件")
		for i, gr := range o.Gates() {
			g := p.Gates[i]
			switch {
			case !gr.Applies:
				line("  - %s：不适用", g.Name)
			case !gr.Checked:
				line("  ? %s：无法核验，缺少 %s〔%s〕", g.Name, strings.Join(gr.Missing, "、"), cfg.Cite(g.Clause))
			default:
				mark := "✓"
				if !gr.Passed {
					mark = "✗"
				}
				line("  %s %s：%s（%s）〔%s〕", mark, g.Name, g.Rule, values(gr.Values), cfg.Cite(g.Clause))
			}
		}
	}

	line("")
	line("资金")
	if len(o.Grants) == 0 {
		line("  无符合条件的资金项目")
	}
	for _, g := range o.Grants {
		f := g.Fund
		line("  %s〔%s〕", f.Name, cfg.Cite(f.Clause))
		line("    条件 %s", f.When)
		if f.Formula != "" {
			line("    公式 %s", f.Formula)
		}
		if len(g.Inputs) > 0 {
			line("    输入 %s", values(g.Inputs))
		}
		switch {
		case g.Reason != "":
			line("    %s", g.Reason)
		case g.Open:
			line("    金额未规定，由主管部门另行确定")
		default:
			cap := "无上限"
			if f.Cap > 0 {
				cap = "上限 " + money(f.Cap) + " 元"
			}
			line("    计算 %s 元，%s，核定 %s 元（第 %d 次）", money(g.Computed), cap, money(g.Amount), g.Times)
		}
	}

	line("")
	line("说明")
	for _, r := range o.Reasons {
		line("  - %s〔%s〕", r.Text, cfg.Cite(r.Clause))
	}
	return b.Flush()
}

func gradeName(a *config.Assessment, code string) string {
	if g, ok := a.Grade(code); ok {
		return g.Name
	}
	return code
}

// values lists named values: "a = 1, b = 2".
func values(vs assess.Values) string {
	parts := make([]string, 0, len(vs))
	for _, v := range vs {
		parts = append(parts, v.Name+" = "+num(v.Value))
	}
	return strings.Join(parts, ", ")
}

func floats(vs []float64) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = num(v)
	}
	return strings.Join(parts, ", ")
}

// writeAligned writes rows as columns aligned by display width, the first
// column left-aligned and the others right-aligned.
func writeAligned(w io.Writer, rows [][]string, indent string) {
	widths := map[int]float64{}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		b.WriteString(indent)
		for i, c := range r {
			pad := strings.Repeat(" ", int(widths[i]-displayWidth(c)))
			if i == 0 {
				b.WriteString(c + pad)
			} else {
				b.WriteString("  " + pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func num(v float64) string   { return numfmt.Short(v) }
func money(v float64) string { return numfmt.Grouped(v) }
