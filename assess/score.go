package assess

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"assessor/config"
	"assessor/dataset"
	"assessor/internal/numfmt"
)

// indicators reads the report row's indicators, derives the formula ones and
// scores them. It returns the environment rules see (values, previous
// values, parameters, sub-type) and remarks for the reasons.
func (st *stepper) indicators(o *Outcome, r *reportRow, prev dataset.State, hasPrev bool) (map[string]any, []Reason, error) {
	p := st.p
	cols, err := st.reportColumns(st.reps.record(r))
	if err != nil {
		return nil, nil, err
	}
	// The row of indicator values is the stepper's, reused platform by
	// platform: the columns keep a copy.
	row := st.indicatorRow[:len(p.Indicators)]
	clear(row)
	for i := range p.Indicators {
		if p.Indicators[i].Derived() {
			continue
		}
		if v := cols.values[i]; v.IsValid(int(r.i)) {
			row[i].Value, row[i].Present = v.Value(int(r.i)), true
		}
		row[i].Raw = str(cols.raws[i], int(r.i))
	}
	// The environment is the stepper's, cleared for each platform: the rules
	// read it during the step and keep nothing of it.
	env := st.env
	clear(env)
	env[config.SubtypeVar] = o.Subtype
	for name, v := range p.Params {
		env[name] = v
	}
	if hasPrev {
		for _, v := range prev.Values {
			env[st.names.prevVar(v.Key)] = v.Value
		}
	}
	for i, ind := range p.Indicators {
		if row[i].Present {
			env[ind.Key] = row[i].Value
		}
	}
	var notes []Reason
	for i, ind := range p.Indicators {
		if !ind.Derived() {
			continue
		}
		v, missing, err := eval(&st.machine, ind.FormulaExpr(), env)
		switch {
		case err != nil:
			return nil, nil, fmt.Errorf("indicator %s: %w", ind.Key, err)
		case len(missing) > 0:
			notes = append(notes, Reason{Text: fmt.Sprintf("无法计算%s：缺少%s", ind.Name, names(p, missing)), Clause: ind.Clause})
		case math.IsNaN(v.(float64)) || math.IsInf(v.(float64), 0):
			notes = append(notes, Reason{Text: fmt.Sprintf("无法计算%s（%s 的除数为 0）", ind.Name, ind.Formula), Clause: ind.Clause})
		default:
			row[i].Value, row[i].Present = v.(float64), true
			env[ind.Key] = v
		}
	}
	for i, ind := range p.Indicators {
		if ind.Weight > 0 && !row[i].Present && !ind.Derived() {
			notes = append(notes, Reason{Text: ind.Name + "未填报，该项计 0 分", Clause: ind.Clause})
		}
	}
	o.indicators, o.indicatorRow = st.indicatorColumns, st.indicatorColumns.add(row)
	return env, notes, nil
}

// recordColumns are a report record's indicator columns, by indicator: its
// value and its raw text (nil for a derived indicator).
type recordColumns struct {
	rec    arrow.Record
	values []*array.Float64
	raws   []arrow.Array
}

// reportColumns returns the indicator columns of a report record, looked up
// by name once for each record rather than for each platform.
func (st *stepper) reportColumns(rec arrow.Record) (*recordColumns, error) {
	if c := st.recordColumns; c != nil && c.rec == rec {
		return c, nil
	}
	p := st.p
	c := &recordColumns{rec: rec, values: make([]*array.Float64, len(p.Indicators)), raws: make([]arrow.Array, len(p.Indicators))}
	for i := range p.Indicators {
		if p.Indicators[i].Derived() {
			continue
		}
		value, err := column(rec, p.Indicators[i].Key)
		if err != nil {
			return nil, err
		}
		if c.raws[i], err = column(rec, st.names.raw[i]); err != nil {
			return nil, err
		}
		c.values[i] = value.(*array.Float64)
	}
	st.recordColumns = c
	return c, nil
}

// quantitative is the indicator score: the points of every indicator, rounded.
func (o *Outcome) quantitative(precision int) float64 {
	var total float64
	for _, s := range o.Indicators() {
		total += s.Points
	}
	return round(total, precision)
}

// gates checks the programme's gates. It returns the reasons for gates that
// failed or could not be checked, and the failed gates whose effect is fail.
func (st *stepper) gates(o *Outcome, env map[string]any) ([]Reason, []config.Gate, error) {
	var reasons []Reason
	var failing []config.Gate
	checks := st.gateChecks[:0]
	for _, g := range st.p.Gates {
		gr, reason, err := checkGate(&st.machine, st.p, g, env)
		if err != nil {
			return nil, nil, fmt.Errorf("gate %s: %w", g.Key, err)
		}
		checks = append(checks, gr)
		if reason != nil {
			reasons = append(reasons, *reason)
		}
		if gr.Checked && !gr.Passed && g.Effect == config.EffectFail {
			failing = append(failing, g)
		}
	}
	o.gates, o.gateRow = st.gateColumns, st.gateColumns.add(checks, env)
	return reasons, failing, nil
}

// failByGates grades every graded assessment as a fail when a gate with effect
// fail failed.
func (st *stepper) failByGates(o *Outcome, failing []config.Gate) {
	if len(failing) == 0 {
		return
	}
	for _, ar := range o.Assessments {
		if !ar.Graded {
			continue
		}
		fail := ar.Config.FailGrade()
		ar.Grade = fail.Code
		for _, g := range failing {
			st.reason(o, fmt.Sprintf("未满足“%s”，%s评为%s", g.Name, ar.Config.Name, fail.Name), g.Clause)
		}
	}
}

// checkGate checks one gate. It returns a reason when the gate applies and
// failed, or could not be checked for missing values.
func checkGate(m *config.Machine, p *config.Programme, g config.Gate, env map[string]any) (GateResult, *Reason, error) {
	gr := GateResult{Key: g.Key, Applies: true}
	if w := g.WhenExpr(); w != nil {
		applies, missing, err := eval(m, w, env)
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
	passed, missing, err := eval(m, g.RuleExpr(), env)
	if err != nil {
		return gr, nil, err
	}
	gr.Values = readValues(g.RuleExpr(), env)
	if len(missing) > 0 {
		gr.Missing = missing
		return gr, &Reason{Text: fmt.Sprintf("无法核验“%s”：缺少%s", g.Name, names(p, missing)), Clause: g.Clause}, nil
	}
	gr.Checked, gr.Passed = true, passed.(bool)
	if gr.Passed {
		return gr, nil, nil
	}
	return gr, &Reason{Text: fmt.Sprintf("未满足“%s”（%s）", g.Name, actuals(p, gr.Values)), Clause: g.Clause}, nil
}

// readValues returns the numeric variables an expression reads that are
// present, sorted by name (as Names gives them).
func readValues(e *config.Expr, env map[string]any) Values {
	var out Values
	for _, name := range e.Names() {
		if v, ok := env[name].(float64); ok {
			if out == nil {
				out = make(Values, 0, len(e.Names()))
			}
			out = append(out, Value{Name: name, Value: v})
		}
	}
	return out
}

// grade grades one due assessment from the indicator score and, when the
// assessment has one, the expert panel.
func (st *stepper) grade(o *Outcome, ar *AssessmentResult, id string) {
	a := ar.Config
	prec := st.cfg.Ranking.Precision
	ar.Quantitative = o.quantitative(prec)
	final := ar.Quantitative
	var note *Reason
	if e := a.Expert; e != nil {
		st.usedExperts[id] = true
		panel := st.panel(id, e)
		ar.Expert = panel
		switch {
		case panel.Applied:
			final = round(ar.Quantitative*(100-e.Weight)/100+panel.Mean*e.Weight/100, prec)
		case e.Missing == config.ExpertMissingNotAssessed:
			st.reason(o, fmt.Sprintf("%s：专家评分不足 %d 份（%d 份），按规定暂不评定", a.Name, e.MinScores, len(panel.Scores)), e.Clause)
			return
		default:
			note = &Reason{Text: fmt.Sprintf("%s：专家评分不足 %d 份（%d 份），仅按定量指标评分", a.Name, e.MinScores, len(panel.Scores)), Clause: e.Clause}
		}
	}
	g := a.GradeFor(final)
	ar.Graded, ar.Scored, ar.Score, ar.Grade = true, true, final, g.Code
	st.reason(o, a.Name+"："+scoreText(ar, g, a), g.Clause)
	if note != nil {
		o.Reasons = append(o.Reasons, *note)
	}
}

// panel gathers a platform's expert scores. A name scoring the platform twice
// is a problem, and neither of its scores counts.
func (st *stepper) panel(id string, e *config.Expert) *ExpertPanel {
	byExpert := map[string][]expertScore{}
	for _, s := range st.side.experts.get(id) {
		byExpert[s.expert] = append(byExpert[s.expert], s)
	}
	panel := &ExpertPanel{}
	for _, name := range slices.Sorted(maps.Keys(byExpert)) {
		scores := byExpert[name]
		if len(scores) > 1 {
			for _, s := range scores {
				st.problem(s.at.cell(st.set, "score"), dataset.Error, "duplicate_expert", "", name,
					fmt.Sprintf("专家“%s”对平台 %s 有 %d 条评分，均未采用", name, id, len(scores)))
			}
			continue
		}
		panel.Scores = append(panel.Scores, scores[0].score)
	}
	slices.Sort(panel.Scores)
	if len(panel.Scores) < e.MinScores {
		return panel
	}
	panel.Kept = panel.Scores[e.Trim : len(panel.Scores)-e.Trim]
	var sum float64
	for _, s := range panel.Kept {
		sum += s
	}
	panel.Mean = round(sum/float64(len(panel.Kept)), st.cfg.Ranking.Precision)
	panel.Applied = true
	return panel
}

// scoreText explains a score and its grade: "得分 78.5（定量 80，专家 75），不低于
// 75 分，评为良好".
func scoreText(ar *AssessmentResult, g config.Grade, a *config.Assessment) string {
	// Joined rather than formatted: every platform's grade says this.
	score := "得分 " + num(ar.Score)
	if ar.Expert != nil && ar.Expert.Applied {
		score += "（定量 " + num(ar.Quantitative) + " × " + num(100-a.Expert.Weight) + "% + 专家去掉最高最低分后平均 " +
			num(ar.Expert.Mean) + " × " + num(a.Expert.Weight) + "%）"
	}
	if g.Min == 0 {
		next := a.Grades[len(a.Grades)-2]
		return score + "，低于 " + num(next.Min) + " 分，评为" + g.Name
	}
	return score + "，不低于 " + num(g.Min) + " 分，评为" + g.Name
}

// eval runs an expression on a platform's variables. When a variable it reads
// is missing it does not run, and returns the missing names instead.
func eval(m *config.Machine, e *config.Expr, env map[string]any) (any, []string, error) {
	var missing []string
	for _, name := range e.Names() {
		if _, ok := env[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, missing, nil
	}
	out, err := m.Eval(e, env)
	return out, nil, err
}

// names lists variables by their Chinese names.
func names(p *config.Programme, keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = variableName(p, k)
	}
	return strings.Join(out, "、")
}

// actuals lists the values a rule read: "办公场地面积 150 平方米".
func actuals(p *config.Programme, values Values) string {
	var parts []string
	for _, v := range values {
		k := v.Name
		part := variableName(p, k) + " " + num(v.Value)
		if ind := p.Indicator(strings.TrimPrefix(k, config.PrevPrefix)); ind != nil && ind.Unit != "" {
			part += " " + ind.Unit
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "，")
}

// variableName names a rule variable in Chinese: an indicator, a previous
// year's indicator, or a parameter.
func variableName(p *config.Programme, key string) string {
	if ind := p.Indicator(key); ind != nil {
		return ind.Name
	}
	if base, ok := strings.CutPrefix(key, config.PrevPrefix); ok {
		if ind := p.Indicator(base); ind != nil {
			return "上年" + ind.Name
		}
	}
	return key
}

// round rounds half away from zero to the given number of decimals.
func round(v float64, decimals int) float64 { return numfmt.Round(v, decimals) }

// num writes a number for a reason: at most two decimals, no trailing zeros.
func num(v float64) string { return numfmt.Short(v) }
