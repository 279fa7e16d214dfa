package assess

import (
	"fmt"

	"assessor/config"
	"assessor/dataset"
	"assessor/internal/numfmt"
)

// closeWithFunds finishes the platform's state and computes its funds. Funds
// read the year's values (env) with the grades and the status after the year;
// a revoked platform, or one without a report this year, receives none.
func (st *stepper) closeWithFunds(o *Outcome, state *statePart, env map[string]any) {
	st.close(o, state)
	if o.After == dataset.Revoked || env == nil {
		return
	}
	// The funds read the year's values with the grades and the status after
	// the year, added to the step's environment, which nothing keeps.
	fenv := env
	fenv[config.StatusVar] = string(o.After)
	for k, ar := range o.Assessments {
		key := st.names.grade[k]
		fenv[key] = ""
		if ar.Graded {
			fenv[key] = ar.Grade
		}
	}
	for _, f := range st.p.Funds {
		g, ok := st.fund(f, fenv, state)
		if !ok {
			continue
		}
		o.Grants = append(o.Grants, g)
		st.reason(o, grantText(g), f.Clause)
	}
}

// fund decides one fund for the platform; ok is false when it is not eligible.
func (st *stepper) fund(f *config.Fund, env map[string]any, state *statePart) (g Grant, ok bool) {
	g = Grant{Fund: f, Inputs: readValues(f.WhenExpr(), env)}
	eligible, why := st.evalOr(f.WhenExpr(), env, "条件无法判断：")
	switch {
	case why != "":
		g.Reason = why
		return g, true
	case !eligible.(bool):
		return g, false
	}
	times, _ := state.grants.Get(f.Key)
	if f.MaxTimes > 0 && times >= f.MaxTimes {
		g.Times, g.Refused = times, true
		g.Reason = fmt.Sprintf("已获 %d 次，达到上限 %d 次", times, f.MaxTimes)
		return g, true
	}
	switch {
	case f.FormulaExpr() != nil:
		g.Inputs = g.Inputs.union(readValues(f.FormulaExpr(), env))
		v, why := st.evalOr(f.FormulaExpr(), env, "金额无法计算：")
		if why != "" {
			g.Reason = why
			return g, true
		}
		g.Computed = round(v.(float64), 2)
	case f.Amount != nil:
		g.Computed = *f.Amount
	default:
		g.Open = true
	}
	g.Amount = g.Computed
	if f.Cap > 0 && g.Computed > f.Cap {
		g.Amount, g.Capped = f.Cap, true
	}
	state.grants.Set(f.Key, times+1)
	g.Times = times + 1
	return g, true
}

// evalOr runs an expression; when it cannot — a value is missing, or the
// evaluation fails — it returns why instead, after prefix.
func (st *stepper) evalOr(e *config.Expr, env map[string]any, prefix string) (any, string) {
	v, missing, err := eval(&st.machine, e, env)
	switch {
	case err != nil:
		return nil, prefix + err.Error()
	case len(missing) > 0:
		return nil, prefix + "缺少" + names(st.p, missing)
	}
	return v, ""
}

// grantText explains a grant for the reasons.
func grantText(g Grant) string {
	switch {
	case g.Reason != "":
		return g.Fund.Name + "：" + g.Reason
	case g.Open:
		return "符合" + g.Fund.Name + "条件，金额由主管部门另行确定"
	case g.Capped:
		return g.Fund.Name + "：按公式计 " + numfmt.Grouped(g.Computed) + " 元，超过上限，核定 " + numfmt.Grouped(g.Amount) + " 元"
	default:
		return g.Fund.Name + "：核定 " + numfmt.Grouped(g.Amount) + " 元"
	}
}
