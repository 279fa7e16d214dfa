package assess

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/array"

	"assessor/config"
)

// score assesses a platform on its report row: reads the indicators, derives the
// formula ones, adds up the points, grades the score and checks the gates.
func score(cfg *config.Config, p *config.Programme, o *Outcome, r reportRow) error {
	o.Status = StatusAssessed
	values := map[string]float64{}
	for _, ind := range p.Inputs() {
		cols, err := columns(r.rec, ind.Key)
		if err != nil {
			return err
		}
		if col := cols[0].(*array.Float64); col.IsValid(r.i) {
			values[ind.Key] = col.Value(r.i)
		}
	}
	// env is what rules see: the parameters, the sub-type and every value present.
	env := map[string]any{config.SubtypeVar: o.Subtype}
	for name, v := range p.Params {
		env[name] = v
	}
	for key, v := range values {
		env[key] = v
	}
	var notes []Reason
	for _, ind := range p.Indicators {
		if !ind.Derived() {
			continue
		}
		v, missing, err := eval(ind.FormulaExpr(), env)
		switch {
		case err != nil:
			return fmt.Errorf("indicator %s: %w", ind.Key, err)
		case len(missing) > 0:
			notes = append(notes, Reason{Text: fmt.Sprintf("无法计算%s：缺少%s", ind.Name, names(p, missing)), Clause: ind.Clause})
		case math.IsNaN(v.(float64)) || math.IsInf(v.(float64), 0):
			notes = append(notes, Reason{Text: fmt.Sprintf("无法计算%s（%s 的除数为 0）", ind.Name, ind.Formula), Clause: ind.Clause})
		default:
			values[ind.Key] = v.(float64)
			env[ind.Key] = v
		}
	}

	var total float64
	for _, ind := range p.Indicators {
		s := IndicatorScore{Key: ind.Key, Weight: ind.Weight, Target: ind.TargetFor(o.Subtype)}
		s.Value, s.Present = values[ind.Key]
		if ind.Weight > 0 {
			if s.Present {
				s.Points = ind.Weight * math.Min(math.Max(s.Value/s.Target, 0), 1)
			} else if !ind.Derived() {
				notes = append(notes, Reason{Text: ind.Name + "未填报，该项计 0 分", Clause: ind.Clause})
			}
		}
		total += s.Points
		o.Indicators = append(o.Indicators, s)
	}
	o.Score = round(total, cfg.Ranking.Precision)
	grade := p.GradeFor(o.Score)
	reasons := []Reason{{Text: gradeText(o.Score, grade, p), Clause: grade.Clause}}

	for _, g := range p.Gates {
		gr, reason, err := checkGate(p, g, env, values)
		if err != nil {
			return fmt.Errorf("gate %s: %w", g.Key, err)
		}
		o.Gates = append(o.Gates, gr)
		if reason == nil {
			continue
		}
		reasons = append(reasons, *reason)
		if gr.Checked && !gr.Passed && g.Effect == config.EffectFail {
			grade = p.FailGrade()
			reasons = append(reasons, Reason{Text: "未满足“" + g.Name + "”，评为" + grade.Name, Clause: g.Clause})
		}
	}
	o.Grade = grade.Code
	o.Reasons = append(reasons, notes...)
	return nil
}

// gradeText explains a grade: "得分 78.5，不低于 75 分，评为良好".
func gradeText(score float64, g config.Grade, p *config.Programme) string {
	if g.Min == 0 {
		next := p.Grades[len(p.Grades)-2]
		return fmt.Sprintf("得分 %s，低于 %s 分，评为%s", num(score), num(next.Min), g.Name)
	}
	return fmt.Sprintf("得分 %s，不低于 %s 分，评为%s", num(score), num(g.Min), g.Name)
}

// checkGate checks one gate. It returns a reason when the gate applies and
// failed, or could not be checked for missing values.
func checkGate(p *config.Programme, g config.Gate, env map[string]any, values map[string]float64) (GateResult, *Reason, error) {
	gr := GateResult{Key: g.Key, Applies: true}
	if w := g.WhenExpr(); w != nil {
		applies, missing, err := eval(w, env)
		if err != nil {
			return gr, nil, err
		}
		if len(missing) > 0 {
			gr.Missing = missing
			return gr, &Reason{Text: fmt.Sprintf("无法核验“%s”：缺少%s", g.Name, names(p, missing)), Clause: g.Clause}, nil
		}
		if gr.Applies = applies.(bool); !gr.Applies {
			return gr, nil, nil
		}
	}
	passed, missing, err := eval(g.RuleExpr(), env)
	if err != nil {
		return gr, nil, err
	}
	if len(missing) > 0 {
		gr.Missing = missing
		return gr, &Reason{Text: fmt.Sprintf("无法核验“%s”：缺少%s", g.Name, names(p, missing)), Clause: g.Clause}, nil
	}
	gr.Checked, gr.Passed = true, passed.(bool)
	if gr.Passed {
		return gr, nil, nil
	}
	return gr, &Reason{Text: fmt.Sprintf("未满足“%s”（%s）", g.Name, actuals(p, g.RuleExpr().Names(), values)), Clause: g.Clause}, nil
}

// eval runs an expression on a platform's variables. When a variable it reads
// is missing it does not run, and returns the missing names instead.
func eval(e *config.Expr, env map[string]any) (any, []string, error) {
	var missing []string
	for _, name := range e.Names() {
		if _, ok := env[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, missing, nil
	}
	out, err := e.Eval(env)
	return out, nil, err
}

// names lists indicators by their Chinese names.
func names(p *config.Programme, keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = indicatorName(p, k)
	}
	return strings.Join(out, "、")
}

// actuals lists the values a rule read: "办公场地面积 150 平方米".
func actuals(p *config.Programme, keys []string, values map[string]float64) string {
	var parts []string
	for _, k := range keys {
		v, ok := values[k]
		if !ok {
			continue
		}
		part := indicatorName(p, k) + " " + num(v)
		for _, ind := range p.Indicators {
			if ind.Key == k && ind.Unit != "" {
				part += " " + ind.Unit
			}
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "，")
}

func indicatorName(p *config.Programme, key string) string {
	for _, ind := range p.Indicators {
		if ind.Key == key {
			return ind.Name
		}
	}
	return key
}

// round rounds half away from zero to the given number of decimals.
func round(v float64, decimals int) float64 {
	pow := math.Pow(10, float64(decimals))
	return math.Round(v*pow) / pow
}

// num writes a number for a reason: at most two decimals, no trailing zeros.
func num(v float64) string { return strconv.FormatFloat(round(v, 2), 'f', -1, 64) }
