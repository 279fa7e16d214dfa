package assess

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"assessor/config"
	"assessor/dataset"
)

// stepper assesses one programme's platforms for one year.
type stepper struct {
	cfg         *config.Config
	p           *config.Programme
	year        int
	prev        dataset.History
	reg         *register
	set         *dataset.Set
	side        *sideRows
	reps        *reports
	rejected    map[string][]cellRef
	usedExperts map[string]bool

	problems []dataset.Problem
	changes  []*Change
	outcomes []*Outcome    // of a worker's share, unless compact
	store    *outcomeStore // of a worker's share, when compact
	keys     rankKeys      // of a worker's share
	unused   int
	// share is the fewest platforms worth a core of their own.
	share int
	// compact keeps the outcomes in stores (RunOptions.Compact).
	compact  bool
	dir      string  // where, when compact, the outcomes' files are made (RunOptions.Dir)
	spare    scratch // when compact, the memory of the outcome being stepped (newOutcome)
	tieBreak []int   // the programme's tie-break indicators (tieBreakIndices)

	assessments []*config.Assessment // the programme's, in AssessmentList order
	env         map[string]any       // the rules' environment, reused platform by platform
	texts       map[string]string    // the texts of the worker's reasons and changes (intern)
	// indicatorColumns keeps the indicator values of the platforms a worker
	// steps; indicatorRow is a row of them, reused platform by platform.
	indicatorColumns *indicatorColumns
	indicatorRow     []IndicatorValue
	// recordColumns are the indicator columns of the report record last
	// read (reportColumns).
	recordColumns *recordColumns
	// gateColumns keeps the gate checks of the platforms a worker steps;
	// gateChecks holds a platform's, reused platform by platform.
	gateColumns *gateColumns
	gateChecks  []GateResult
	machine     config.Machine // runs the rules, its stack reused platform by platform
	names       varNames
}

// varNames are the column and variable names the step uses for every platform,
// made once per programme.
type varNames struct {
	raw   []string          // by indicator: its raw-text column (dataset.RawField)
	prev  map[string]string // indicator key → its previous year's variable (config.PrevPrefix)
	grade []string          // by assessment, in AssessmentList order: its grade's variable (config.GradePrefix)
}

// newVarNames makes the names of programme p.
func newVarNames(p *config.Programme) varNames {
	n := varNames{prev: make(map[string]string, len(p.Indicators))}
	for _, ind := range p.Indicators {
		n.raw = append(n.raw, dataset.RawField(ind.Key))
		n.prev[ind.Key] = config.PrevPrefix + ind.Key
	}
	for _, a := range p.AssessmentList() {
		n.grade = append(n.grade, config.GradePrefix+a.Key)
	}
	return n
}

// prevVar is the variable of an indicator's previous-year value.
func (n varNames) prevVar(key string) string {
	if v, ok := n.prev[key]; ok {
		return v
	}
	return config.PrevPrefix + key // a value the history holds for an indicator no longer configured
}

// run assesses the programme's platforms.
func (st *stepper) run(set *dataset.Set, reps *reports) (*Programme, error) {
	p := st.p
	st.set = set
	st.reps, st.unused = reps, reps.unused
	st.rejected = rejectedRows(set, p.Key(), st.year)
	st.misplacedReports()

	var ids []string
	for _, id := range st.reg.byID.keys {
		if st.reg.hasProgramme(st.reg.byID.get(id), p.Key()) {
			ids = append(ids, id)
		}
	}
	prog := &Programme{Config: p}
	var stepped []*Outcome // in the order stepped, unless compact
	var keys rankKeys
	st.tieBreak = tieBreakIndices(p)
	// The platforms are stepped in shares, one per core, each share by a
	// stepper of its own; what they found is joined in the register's
	// order, as one stepper would have found it.
	shares := min(runtime.GOMAXPROCS(0), max(len(ids)/st.share, 1))
	workers := make([]*stepper, shares)
	errs := make([]error, shares)
	var wg sync.WaitGroup
	for k := range shares {
		w := st.worker()
		workers[k] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[k] = w.stepAll(ids[k*len(ids)/shares : (k+1)*len(ids)/shares])
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, w := range workers {
			if w.store != nil {
				err = errors.Join(err, w.store.close())
			}
		}
		return nil, err
	}
	for _, w := range workers {
		if st.compact {
			prog.stores = append(prog.stores, w.store)
		} else {
			stepped = append(stepped, w.outcomes...)
		}
		keys.join(&w.keys)
		st.changes = append(st.changes, w.changes...)
		st.problems = append(st.problems, w.problems...)
		for id := range w.usedExperts {
			st.usedExperts[id] = true
		}
	}
	prog.rank(stepped, &keys)
	if len(reps.byID.keys) == 0 && len(st.rejected) == 0 && prog.Len() > 0 {
		st.problems = append(st.problems, dataset.Problem{Severity: dataset.Warning, Code: "no_reports",
			Reason: fmt.Sprintf("输入中没有%s %d 年度的报告数据，到期平台均按未报送处理", p.Name, st.year)})
	}
	return prog, nil
}

// worker is a stepper for a share of the platforms: the same rules and
// input, and its own environment, expression machine and findings (only
// workers step platforms).
func (st *stepper) worker() *stepper {
	w := *st
	w.env = map[string]any{}
	w.machine = config.Machine{}
	w.recordColumns = nil
	w.usedExperts = map[string]bool{}
	w.problems, w.changes, w.outcomes, w.store, w.keys = nil, nil, nil, nil, rankKeys{}
	w.texts = nil
	return &w
}

// newOutcome returns an empty outcome with a result per assessment for the
// step to fill. Held compactly, an outcome is encoded once stepped and
// dropped, so the worker's next one reuses its memory (spare), rather than
// leaving a national roster's worth of garbage behind the step.
func (st *stepper) newOutcome() *Outcome {
	if st.compact {
		return st.spare.reset(st.assessments)
	}
	o := &Outcome{}
	results := make([]AssessmentResult, len(st.assessments)) // one allocation for all of them
	o.Assessments = make([]*AssessmentResult, len(st.assessments))
	for i, a := range st.assessments {
		results[i].Config = a
		o.Assessments[i] = &results[i]
	}
	return o
}

// newState returns a state part for the step to fill: new, or, held
// compactly, the spare's (newOutcome).
func (st *stepper) newState() *statePart {
	if !st.compact {
		return &statePart{}
	}
	return &st.spare.state
}

// stepAll steps the platforms ids, in order, keeping what it finds.
// Held compactly, each outcome is written to the worker's store once
// stepped, its indicator values and gate checks with it, and the columns
// hold one platform's at a time.
func (st *stepper) stepAll(ids []string) error {
	kept := len(ids) // rows of the indicator and gate columns
	if st.compact {
		var err error
		if st.store, err = newOutcomeStore(st.p, len(ids), st.dir); err != nil {
			return fmt.Errorf("%s: %w", st.p.Key(), err)
		}
		kept = 1
	} else {
		st.outcomes = make([]*Outcome, 0, len(ids))
	}
	var record []byte // an outcome's record, reused
	st.indicatorColumns = newIndicatorColumns(st.p, kept)
	st.indicatorRow = make([]IndicatorValue, len(st.p.Indicators))
	st.gateColumns = newGateColumns(st.p, kept)
	st.gateChecks = make([]GateResult, 0, len(st.p.Gates))
	for _, id := range ids {
		if st.compact {
			st.indicatorColumns.clear()
			st.gateColumns.clear()
		}
		rows := st.reps.byID.get(id)
		o, err := st.step(id, st.reg.byID.get(id), rows)
		st.reps.done(rows)
		if err != nil {
			return fmt.Errorf("%s %s: %w", st.p.Key(), id, err)
		}
		transition := -1
		if o.Transition != nil {
			transition = len(st.changes)
			st.changes = append(st.changes, o.Transition)
		}
		st.keys.add(o, st.tieBreak)
		if !st.compact {
			st.outcomes = append(st.outcomes, o)
			continue
		}
		if record, err = st.store.add(o, transition, record); err != nil {
			return fmt.Errorf("%s %s: %w", st.p.Key(), id, err)
		}
	}
	if st.compact {
		st.store.changes = st.changes
		if err := st.store.finish(); err != nil {
			return fmt.Errorf("%s: %w", st.p.Key(), err)
		}
	}
	return nil
}

// misplacedReports reports this year's rows that belong to no platform of the
// programme.
func (st *stepper) misplacedReports() {
	for _, id := range st.reps.byID.keys {
		entries := st.reg.byID.get(id)
		for _, r := range st.reps.byID.get(id) {
			switch {
			case len(entries) == 0 && len(st.reg.rejected[id]) > 0:
				st.problem(r.at.cell(st.set, "id"), dataset.Error, "register_entry_rejected", r.at.header(st.set, "id"), id,
					fmt.Sprintf("该平台在名录中的登记行有误（%s），未能确认平台信息，报告未采用", places(cells(st.set, st.reg.rejected[id], "id"))))
			case len(entries) == 0:
				st.problems = append(st.problems, dataset.Problem{Location: r.at.cell(st.set, "id"), Severity: dataset.Error, Code: "unknown_platform",
					Column: r.at.header(st.set, "id"), Raw: id, Expected: "名录中已登记的平台编号", Reason: "该平台编号不在平台名录中，报告未采用"})
			case st.reg.codes.name(entries[0].programme) != st.p.Key():
				other := st.cfg.Programmes[st.reg.codes.name(entries[0].programme)]
				st.problem(r.at.cell(st.set, "id"), dataset.Error, "programme_mismatch", r.at.header(st.set, "id"), id,
					fmt.Sprintf("该平台在名录中登记为“%s”，却出现在“%s”年度报告表中，报告未采用", other.Name, st.p.Name))
			}
		}
	}
}

func (st *stepper) problem(at dataset.Location, sev dataset.Severity, code, column, raw, reason string) {
	st.problems = append(st.problems, dataset.Problem{Location: at, Severity: sev, Code: code, Column: column, Raw: raw, Reason: reason})
}

// previous returns the platform's state at the end of the year before, if the
// history has it.
func (st *stepper) previous(id string, firstReport int) (dataset.State, bool) {
	if st.prev == nil {
		return dataset.State{}, false
	}
	s, ok := st.prev[id]
	switch {
	case ok && s.Programme == st.p.Key() && s.Year == st.year-1:
		return s, true
	case ok:
		st.problems = append(st.problems, dataset.Problem{Severity: dataset.Warning, Code: "history_mismatch", Raw: id,
			Reason: fmt.Sprintf("历史记录中平台 %s 为 %d 年“%s”，与本次评估不符，按无历史处理", id, s.Year, s.Programme)})
	case firstReport < st.year:
		st.problems = append(st.problems, dataset.Problem{Severity: dataset.Info, Code: "no_history", Raw: id,
			Reason: fmt.Sprintf("历史记录中没有平台 %s 的 %d 年结果，按正常状态、无往年数据处理", id, st.year-1)})
	}
	return dataset.State{}, false
}

// step assesses one platform, its register entries and its report rows of
// the year, and returns its outcome, with the part of its new state that
// the outcome does not hold (none for a platform not yet approved).
func (st *stepper) step(id string, entries []platform, rows []reportRow) (*Outcome, error) {
	p, y := st.p, st.year
	e := entries[0]
	o := st.newOutcome()
	approved := e.approved.ToTime()
	o.ID, o.Name, o.LeadUnit, o.Approved = id, e.name, e.leadUnit, approved
	o.Subtype, o.League = st.reg.codes.name(e.subtype), st.reg.codes.name(e.league)
	firstReport := p.FirstReportYear(approved)
	statusA := p.StatusAssessment()
	bad := st.rejected[id]

	// A platform approved after the year is not in the programme yet.
	if approved.After(yearEnd(y)) {
		o.Status, o.Before, o.After = StatusNotDue, dataset.Active, dataset.Active
		o.NextDue = statusA.FirstYear(approved.Year(), firstReport)
		st.notDue(o, fmt.Sprintf("%s批复（备案），%d 年起%s", approved.Format("2006年1月2日"), o.NextDue, statusA.Name), statusA.Clause)
		for _, r := range rows {
			st.problem(r.at.cell(st.set, "id"), dataset.Warning, "report_before_approval", r.at.header(st.set, "id"), id,
				fmt.Sprintf("%d 年度报告早于平台批复（备案）时间 %s，未采用", y, approved.Format("2006-01-02")))
		}
		return o, nil
	}

	prev, hasPrev := st.previous(id, firstReport)
	o.Before = dataset.Active
	if hasPrev {
		o.Before = prev.Status
	}
	o.After = o.Before
	state := st.newState()
	*state = statePart{since: prev.Since, review: prev.Review, failStreak: prev.FailStreak, grants: prev.Grants.Clone()}
	o.statePart = state

	switch {
	case len(entries) > 1:
		o.Status = StatusConflict
		st.reason(o, "平台编号在名录中重复登记，未予评估，请核实名录", p.Clause)
		st.close(o, state)
		return o, nil
	case o.Before == dataset.Revoked:
		o.Status = StatusRevokedEarlier
		st.reason(o, fmt.Sprintf("已于 %d 年撤销，不再评估", prev.Since), p.Status.RevokeClause)
		for _, r := range rows {
			st.problem(r.at.cell(st.set, "id"), dataset.Warning, "revoked_reported", r.at.header(st.set, "id"), id,
				fmt.Sprintf("该平台已于 %d 年撤销，仍提交了 %d 年度报告，报告未采用", prev.Since, y))
		}
		st.close(o, state)
		return o, nil
	}

	if st.applyEvents(o, state, id) {
		o.Status = StatusRevoked
		st.close(o, state)
		return o, nil
	}

	var row *reportRow
	switch {
	case len(rows)+len(bad) > 1:
		o.Status = StatusConflict
		locs := cells(st.set, bad, "id")
		for _, r := range rows {
			locs = append(locs, r.at.cell(st.set, "id"))
		}
		st.reason(o, fmt.Sprintf("%d 年度有多条报告（%s），均未采用，请核实", y, places(locs)), p.Report.Clause)
		for _, loc := range locs {
			st.problem(loc, dataset.Error, "duplicate_report", "", id, fmt.Sprintf("同一平台 %d 年度有多条报告（%s），均未采用", y, places(locs)))
		}
		st.close(o, state)
		return o, nil
	case len(bad) == 1:
		o.Status, o.Report = StatusDataError, bad[0].ref()
		st.reason(o, fmt.Sprintf("年度报告数据有误，未能评估，见问题清单（%s）；更正后请重新运行本年度", bad[0].cell(st.set, "id")), p.Report.Clause)
		st.close(o, state)
		return o, nil
	case len(rows) == 1:
		row = &rows[0]
		o.Report = row.at.ref()
		st.crossCheck(o, row)
	}

	reportDue := y >= firstReport
	if row == nil && !reportDue {
		o.Status = StatusNotDue
		o.NextDue = statusA.FirstYear(approved.Year(), firstReport)
		st.notDue(o, fmt.Sprintf("%s批复（备案），%d 年起报送年度报告，%d 年起%s",
			approved.Format("2006年1月2日"), firstReport, o.NextDue, statusA.Name), p.Report.Clause)
		st.close(o, state)
		return o, nil
	}
	if row == nil {
		o.Status = StatusNoReport
		if t, ok := p.Trigger(config.EventNoReport); ok {
			if t.Effect == config.TriggerRevoke {
				st.revoke(o, state, fmt.Sprintf("%d 年度报告到期未提交，撤销", y), t.Clause)
				st.close(o, state)
				return o, nil
			}
			st.reason(o, fmt.Sprintf("%d 年度报告到期未提交（已记录）", y), t.Clause)
		}
	}

	var env map[string]any
	var failedGates []config.Gate
	if row != nil {
		var notes, gateReasons []Reason
		var err error
		if env, notes, err = st.indicators(o, row, prev, hasPrev); err != nil {
			return nil, err
		}
		if gateReasons, failedGates, err = st.gates(o, env); err != nil {
			return nil, err
		}
		// The gates' and indicators' remarks follow the grade and status
		// reasons, whichever way the step ends.
		defer func() {
			for _, r := range append(gateReasons, notes...) {
				st.reason(o, r.Text, r.Clause)
			}
		}()
	}

	due := st.dueAssessments(o, prev, approved.Year(), firstReport)
	if due == 0 {
		if o.Status == StatusNoReport {
			st.reason(o, fmt.Sprintf("未提交 %d 年度报告；本年度无到期评估", y), p.Report.Clause)
			st.close(o, state)
			return o, nil
		}
		if o.Before == dataset.Rectifying {
			o.Status = StatusRectifying
			st.reason(o, fmt.Sprintf("整改期内（%d 年不合格），%d 年重新%s", prev.Since, prev.Review, statusA.Name), p.Status.RectificationClause)
			st.close(o, state)
			return o, nil
		}
		o.Status = StatusNotDue
		o.NextDue = statusA.NextScheduled(approved.Year(), firstReport, y)
		st.notDue(o, fmt.Sprintf("本年度不参加%s，%d 年为下次%s年度", statusA.Name, o.NextDue, statusA.Name), statusA.Clause)
		st.close(o, state)
		return o, nil
	}

	if row != nil {
		o.Status = StatusAssessed
	}
	for _, ar := range o.Assessments {
		if !ar.Due {
			continue
		}
		if row == nil {
			g, _ := ar.Config.Grade(ar.Config.NoReport.Grade)
			ar.Graded, ar.Grade = true, g.Code
			st.reason(o, fmt.Sprintf("%s：未提交 %d 年度报告，评为%s", ar.Config.Name, y, g.Name), ar.Config.NoReport.Clause)
			continue
		}
		st.grade(o, ar, id)
	}
	if main := o.Main(); main.Due && !main.Graded && o.Status == StatusAssessed {
		o.Status = StatusIncomplete
	}
	st.failByGates(o, failedGates)
	st.transition(o, state, prev, hasPrev)
	st.closeWithFunds(o, state, env)
	return o, nil
}

// crossCheck compares what a report says of the platform with the register,
// which is what counts: a difference is a warning, for the report to be fixed.
func (st *stepper) crossCheck(o *Outcome, r *reportRow) {
	var cols [4]arrow.Array
	for i, name := range []string{dataset.FieldSource, dataset.FieldRow, "league", "subtype"} {
		col, err := column(st.reps.record(r), name)
		if err != nil {
			return
		}
		cols[i] = col
	}
	i := int(r.i)
	src, row := cols[0].(*array.Int32).Value(i), cols[1].(*array.Int32).Value(i)
	for _, c := range []struct {
		key, got, want, name string
		vals                 []config.EnumValue
	}{
		{"league", str(cols[2], i), o.League, "所在盟市", st.cfg.Leagues},
		{"subtype", str(cols[3], i), o.Subtype, "建设模式", st.p.Subtypes},
	} {
		if c.got == "" || c.got == c.want {
			continue
		}
		st.problems = append(st.problems, dataset.Problem{Location: st.set.Cell(src, row, c.key), Severity: dataset.Warning,
			Code: "differs_from_register", Column: c.name, Raw: enumName(c.vals, c.got),
			Expected: enumName(c.vals, c.want), Reason: "与平台名录不一致，以平台名录为准"})
	}
}

// dueAssessments marks the assessments due this year and returns how many are.
// An assessment is due by its schedule; the status assessment is also due
// when a rectification window ends, and not before: inside the window it waits.
func (st *stepper) dueAssessments(o *Outcome, prev dataset.State, approved, firstReport int) int {
	n := 0
	for _, ar := range o.Assessments {
		a := ar.Config
		switch {
		case a.AffectsStatus && o.Before == dataset.Rectifying:
			ar.Due = st.year >= prev.Review
			ar.Review = ar.Due
		default:
			ar.Due = st.year >= firstReport && a.Scheduled(approved, firstReport, st.year)
		}
		if ar.Due {
			n++
		}
	}
	return n
}

// applyEvents applies the year's events; it reports whether one revoked the
// platform.
func (st *stepper) applyEvents(o *Outcome, state *statePart, id string) bool {
	revoked := false
	for _, ev := range st.side.events.get(id) {
		name := enumName(st.cfg.EventTypes, ev.code)
		detail := name
		if ev.document != "" {
			detail += "（" + ev.document + "）"
		}
		t, ok := st.p.Trigger(ev.code)
		switch {
		case !ok:
			st.reason(o, "重大事项已记录："+detail+"；本类别文件未规定相应处理", st.p.Clause)
		case t.Effect == config.TriggerRevoke && !revoked:
			st.revoke(o, state, "重大事项："+detail+"，撤销", t.Clause)
			revoked = true
		case t.Effect == config.TriggerRevoke:
			st.reason(o, "重大事项："+detail, t.Clause)
		default:
			st.reason(o, "重大事项已记录："+detail+"，依规定处理", t.Clause)
		}
	}
	return revoked
}

// transition moves the status by the status assessment's grade.
func (st *stepper) transition(o *Outcome, state *statePart, prev dataset.State, hasPrev bool) {
	main := o.Main()
	if !main.Graded {
		return
	}
	sr := st.p.Status
	a := main.Config
	failed := a.Failed(main.Grade)
	streak := 0
	if failed {
		streak = 1
		if hasPrev && prev.FailStreak > 0 {
			streak = prev.FailStreak + 1
		}
	}
	state.failStreak = streak
	switch {
	case failed && sr.ConsecutiveFails >= 2 && streak >= sr.ConsecutiveFails:
		st.revoke(o, state, fmt.Sprintf("连续 %d 年%s不合格，撤销", streak, a.Name), sr.ConsecutiveClause)
	case failed && o.Before == dataset.Rectifying:
		st.revoke(o, state, fmt.Sprintf("整改期满（%d 年不合格）重新%s仍不合格，撤销", prev.Since, a.Name), sr.RevokeClause)
	case failed && sr.RectificationYears == 0:
		st.revoke(o, state, a.Name+"不合格，撤销", sr.RevokeClause)
	case failed:
		o.After, state.since, state.review = dataset.Rectifying, st.year, st.year+sr.RectificationYears
		o.Transition = st.change(o, ChangeRectification, state.review,
			fmt.Sprintf("%s不合格，给予 %d 年整改期，%d 年重新%s", a.Name, sr.RectificationYears, state.review, a.Name), sr.RectificationClause)
		st.reason(o, o.Transition.Text, sr.RectificationClause)
	case o.Before == dataset.Rectifying:
		o.After, state.since, state.review = dataset.Active, 0, 0
		o.Transition = st.change(o, ChangeRestored, 0,
			fmt.Sprintf("整改期满重新%s合格，恢复正常", a.Name), sr.RectificationClause)
		st.reason(o, o.Transition.Text, sr.RectificationClause)
	}
}

// revoke revokes the platform this year.
func (st *stepper) revoke(o *Outcome, state *statePart, text, clause string) {
	o.After, state.since, state.review = dataset.Revoked, st.year, 0
	o.Transition = st.change(o, ChangeRevoked, 0, text, clause)
	st.reason(o, text, clause)
}

// notDue records a platform with nothing due this year.
func (st *stepper) notDue(o *Outcome, text, clause string) {
	o.Transition = st.change(o, ChangeNotDue, o.NextDue, text, clause)
	st.reason(o, text, clause)
}

// change is a change of the platform's, described by text under clause.
func (st *stepper) change(o *Outcome, kind ChangeKind, until int, text, clause string) *Change {
	return &Change{Programme: st.p.Key(), ID: o.ID, Name: o.Name, League: o.League, Approved: o.Approved,
		Kind: kind, Until: until, Text: st.intern(text), Clause: clause}
}

// reason adds a reason to the outcome. Its text is interned unless the
// outcome is held compactly, whose store keeps each text once itself.
func (st *stepper) reason(o *Outcome, text, clause string) {
	if !st.compact {
		text = st.intern(text)
	}
	o.Reasons = append(o.Reasons, Reason{Text: text, Clause: clause})
}

// intern returns the worker's copy of text, keeping text as that copy if it
// has none. Platforms share many texts — a rectification window, a gate
// missed by the same figure, a grant of the same amount; at 100,000
// platforms two in three reasons repeat one before them — and a run keeps
// every outcome's.
func (st *stepper) intern(text string) string {
	if t, ok := st.texts[text]; ok {
		return t
	}
	if st.texts == nil {
		st.texts = map[string]string{}
	}
	st.texts[text] = text
	return text
}

// close finishes the platform's state without funds: the rest of the state
// (status, outcome, grades, scores, values) is the outcome's.
func (st *stepper) close(o *Outcome, state *statePart) {
	if o.After != dataset.Rectifying {
		state.review = 0
	}
}

// enumName returns the display name of a code among enumeration values.
func enumName(vals []config.EnumValue, code string) string {
	for _, v := range vals {
		if v.Code == code {
			return v.Name
		}
	}
	return code
}
