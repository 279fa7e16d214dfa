package config

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/rs/zerolog"
)

// identifier is the form of keys that rules refer to by name.
var identifier = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// colour is a six-digit RGB hex colour.
var colour = regexp.MustCompile(`^[0-9A-Fa-f]{6}$`)

// weightTotal is what a programme's indicator weights must add up to.
const weightTotal = 100

// validator collects field errors.
type validator struct {
	c    *Config
	errs []error
}

func (v *validator) fail(path string, value any, format string, args ...any) {
	v.errs = append(v.errs, &FieldError{Path: path, Value: value, Msg: fmt.Sprintf(format, args...)})
}

// key checks a key or code: an identifier that seen does not hold yet.
func (v *validator) key(path, key string, seen map[string]bool) {
	switch {
	case !identifier.MatchString(key):
		v.fail(path, key, "must be lower-case letters, digits and _")
	case seen[key]:
		v.fail(path, key, "duplicate")
	}
	seen[key] = true
}

// clause checks that a clause reference names a known document and a section.
func (v *validator) clause(path, clause string) {
	doc, section, _ := strings.Cut(clause, " ")
	switch {
	case clause == "":
		v.fail(path, nil, "missing: every rule cites its document and section")
	case v.c.Documents[doc].Short == "":
		v.fail(path, clause, "unknown document %q (known: %s)", doc, strings.Join(slices.Sorted(maps.Keys(v.c.Documents)), ", "))
	case strings.TrimSpace(section) == "":
		v.fail(path, clause, "missing the section after the document key")
	}
}

// Validate checks the whole configuration and prepares it for use: it loads the
// time zone, orders the programmes and compiles every formula and rule. It
// returns all problems at once, each a *FieldError.
func (c *Config) Validate() error {
	v := &validator{c: c}
	for _, key := range slices.Sorted(maps.Keys(c.Documents)) {
		d := c.Documents[key]
		if d.Short == "" || d.Title == "" {
			v.fail("documents."+key, nil, "needs both short and title")
		}
	}
	v.run()
	v.ingest()
	v.enum("leagues", c.Leagues, true)
	v.enum("event_types", c.EventTypes, true)
	for i, e := range c.EventTypes {
		if e.Code == EventNoReport {
			v.fail(fmt.Sprintf("event_types[%d].code", i), e.Code, "is built in: a due report not filed")
		}
	}
	v.statuses()
	v.columns("register.columns", c.Register.Columns, []string{"id", "name", "programme", "league", "approved"})
	v.columns("report_columns", c.ReportColumns, []string{"id", "year"})
	v.columns("events.columns", c.Events.Columns, []string{"id", "year", "event"})
	v.columns("expert_scores.columns", c.ExpertScores.Columns, []string{"id", "year", "expert", "score"})
	v.columns("published_results.columns", c.PublishedResults.Columns, []string{"id", "programme", "year", "grade", "status"})
	if c.Ranking.Precision < 0 || c.Ranking.Precision > 6 {
		v.fail("ranking.precision", c.Ranking.Precision, "must be between 0 and 6")
	}
	v.output()
	v.programmes()
	v.targets()
	return errors.Join(v.errs...)
}

func (v *validator) run() {
	c := v.c
	if c.Run.MemoryLimitMiB < 0 {
		v.fail("run.memory_limit_mib", c.Run.MemoryLimitMiB, "must be 0 (no limit) or more")
	}
	if c.Run.Year != 0 && (c.Run.Year < 2000 || c.Run.Year > 2100) {
		v.fail("run.year", c.Run.Year, "must be 0 (the current year) or between 2000 and 2100")
	}
	loc, err := time.LoadLocation(c.Run.Timezone)
	if err != nil || c.Run.Timezone == "" {
		v.fail("run.timezone", c.Run.Timezone, "not a known time zone")
	} else {
		c.location = loc
	}
	if c.Run.FirstYear != 0 && (c.Run.FirstYear < 2000 || c.Run.FirstYear > 2100) {
		v.fail("run.first_year", c.Run.FirstYear, "must be 0 (none) or between 2000 and 2100")
	}
	for key, val := range map[string]string{"run.in": c.Run.In, "run.out": c.Run.Out, "run.state": c.Run.State} {
		if val == "" {
			v.fail(key, nil, "missing")
		}
	}
	if c.Run.SplitBy != SplitNone && c.Run.SplitBy != SplitLeague {
		v.fail("run.split_by", c.Run.SplitBy, "must be empty (no split) or %s", SplitLeague)
	}
	if _, err := zerolog.ParseLevel(c.Log.Level); err != nil || c.Log.Level == "" {
		v.fail("log.level", c.Log.Level, "must be one of debug, info, warn, error")
	}
	switch c.Log.Format {
	case LogFormatAuto, LogFormatJSON, LogFormatConsole:
	default:
		v.fail("log.format", c.Log.Format, "must be one of auto, json, console")
	}
}

// output checks the output file name templates: each is a relative path
// ending in .xlsx that stays inside the year's folder, and a template for
// several workbooks tells them apart by its placeholder.
func (v *validator) output() {
	o := v.c.Output
	if !strings.HasSuffix(o.Workbook, ".xlsx") || strings.ContainsAny(o.Workbook, `/\`) {
		v.fail("output.workbook", o.Workbook, "must be a file name ending in .xlsx, without folders")
	}
	if o.Notice != "" {
		v.template("output.notice", o.Notice, PlaceholderProgramme)
	}
	v.template("output.league_workbook", o.LeagueWorkbook, PlaceholderLeague)
	if o.Created != "" {
		if _, err := time.Parse(time.RFC3339, o.Created); err != nil {
			v.fail("output.created", o.Created, "must be an RFC 3339 time such as 2025-12-31T00:00:00Z")
		}
	}
}

// template checks a file name template that must hold the given placeholder.
func (v *validator) template(path, tmpl, placeholder string) {
	filled := strings.NewReplacer(PlaceholderYear, "2025", PlaceholderProgramme, "p", PlaceholderLeague, "l").Replace(tmpl)
	switch {
	case !strings.Contains(tmpl, placeholder):
		v.fail(path, tmpl, "must hold %s, which tells the workbooks apart", placeholder)
	case !strings.HasSuffix(tmpl, ".xlsx") || strings.Contains(tmpl, `\`) || !filepath.IsLocal(filled):
		v.fail(path, tmpl, "must be a relative path ending in .xlsx, with / between folders, that stays inside the year's folder")
	}
}

// targets checks the region-wide targets and what each sums.
func (v *validator) targets() {
	t := v.c.Targets
	if len(t.Items) == 0 {
		return
	}
	if t.Name == "" {
		v.fail("targets.name", nil, "missing")
	}
	v.clause("targets.clause", t.Clause)
	keys := map[string]bool{}
	for i, item := range t.Items {
		p := fmt.Sprintf("targets.items[%d]", i)
		v.key(p+".key", item.Key, keys)
		if item.Name == "" {
			v.fail(p+".name", nil, "missing")
		}
		if !(item.Value > 0) {
			v.fail(p+".value", item.Value, "must be positive")
		}
		if len(item.Sum) > 0 && item.ApprovedSince != 0 {
			v.fail(p, item.Key, "sum and approved_since measure a target two ways: give one of them")
		}
		if item.ApprovedSince != 0 && (item.ApprovedSince < 2000 || item.ApprovedSince > 2100) {
			v.fail(p+".approved_since", item.ApprovedSince, "must be a year between 2000 and 2100")
		}
		if !item.Measured() && item.Note == "" {
			v.fail(p+".note", nil, "a target without sum or approved_since needs a note saying why it has no figure")
		}
		for j, ref := range item.Sum {
			rp := fmt.Sprintf("%s.sum[%d]", p, j)
			prog, key, _ := strings.Cut(ref, ".")
			pr, ok := v.c.Programmes[prog]
			if !ok || pr == nil {
				v.fail(rp, ref, "must be programme.indicator, with a known programme")
				continue
			}
			ind := pr.Indicator(key)
			switch {
			case ind == nil:
				v.fail(rp, ref, "not an indicator of programme %s", prog)
			case ind.Unit != item.Unit:
				v.fail(rp, ref, "unit %q differs from the target's unit %q", ind.Unit, item.Unit)
			}
		}
	}
}

// statusCodes are the statuses the engine knows; the configuration names them.
var statusCodes = []string{"active", "rectifying", "revoked"}

func (v *validator) statuses() {
	v.enum("statuses", v.c.Statuses, true)
	var codes []string
	for _, s := range v.c.Statuses {
		codes = append(codes, s.Code)
	}
	sort.Strings(codes)
	want := append([]string(nil), statusCodes...)
	sort.Strings(want)
	if strings.Join(codes, ",") != strings.Join(want, ",") {
		v.fail("statuses", strings.Join(codes, ","), "must name exactly the statuses %s", strings.Join(statusCodes, ", "))
	}
}

func (v *validator) ingest() {
	in := v.c.Ingest
	if in.HeaderScanRows < 1 || in.HeaderScanRows > 1000 {
		v.fail("ingest.header_scan_rows", in.HeaderScanRows, "must be between 1 and 1000")
	}
	if in.FormScanRows < in.HeaderScanRows || in.FormScanRows > 10000 {
		v.fail("ingest.form_scan_rows", in.FormScanRows, "must be between header_scan_rows and 10000")
	}
	if in.BatchRows < 1 || in.BatchRows > 1<<20 {
		v.fail("ingest.batch_rows", in.BatchRows, "must be between 1 and 1048576")
	}
	if in.Workers < 0 || in.Workers > 256 {
		v.fail("ingest.workers", in.Workers, "must be between 0 (one per CPU) and 256")
	}
	if in.MaxUnzipBytes <= 0 {
		v.fail("ingest.max_unzip_bytes", in.MaxUnzipBytes, "must be positive")
	}
	if in.MaxCells <= 0 {
		v.fail("ingest.max_cells", in.MaxCells, "must be positive")
	}
	for i, m := range in.MissingMarkers {
		// A marker with a digit could pass for a value (ingest reads a text
		// with a digit as data without looking the markers up).
		if n := NormalizeLabel(m); n == "" || strings.ContainsFunc(n, unicode.IsDigit) {
			v.fail(fmt.Sprintf("ingest.missing_markers[%d]", i), m, "must be a non-blank text without digits")
		}
	}
	if d, err := time.ParseDuration(in.FileTimeout); err != nil || d <= 0 {
		v.fail("ingest.file_timeout", in.FileTimeout, "must be a positive duration such as 10m or 90s")
	} else {
		v.c.fileTimeout = d
	}
}

// enum checks codes and spellings are present and unique.
func (v *validator) enum(path string, vals []EnumValue, needCode bool) {
	codes := map[string]bool{}
	spellings := map[string]string{}
	for i, e := range vals {
		p := fmt.Sprintf("%s[%d]", path, i)
		if needCode {
			v.key(p+".code", e.Code, codes)
		}
		if e.Name == "" {
			v.fail(p+".name", nil, "missing")
		}
		for _, s := range append([]string{e.Name}, e.Aliases...) {
			n := NormalizeLabel(s)
			if prev, ok := spellings[n]; ok && prev != e.Code {
				v.fail(p, s, "spelling also used by %q", prev)
			}
			spellings[n] = e.Code
		}
		if e.Clause != "" {
			v.clause(p+".clause", e.Clause)
		}
	}
}

var kinds = map[string]bool{
	KindID: true, KindText: true, KindYear: true, KindDate: true, KindNumber: true,
	KindCount: true, KindPercent: true, KindProgramme: true, KindSubtype: true, KindLeague: true,
	KindEvent: true, KindGrade: true, KindStatus: true,
}

// columns checks a table's columns and that the required keys are present.
func (v *validator) columns(path string, cols []Column, need []string) {
	keys := map[string]bool{}
	headers := map[string]string{}
	for i, col := range cols {
		p := fmt.Sprintf("%s[%d]", path, i)
		v.column(p, col, keys, headers)
	}
	for _, k := range need {
		if !keys[k] {
			v.fail(path, nil, "needs a column with key %q", k)
		}
	}
}

// column checks one column; keys and headers collect what the table already uses.
func (v *validator) column(p string, col Column, keys map[string]bool, headers map[string]string) {
	v.key(p+".key", col.Key, keys)
	if col.Name == "" {
		v.fail(p+".name", nil, "missing")
	}
	if !kinds[col.Kind] {
		v.fail(p+".kind", col.Kind, "must be one of %s", strings.Join(slices.Sorted(maps.Keys(kinds)), ", "))
	}
	for _, h := range append([]string{col.Name}, col.Aliases...) {
		n := NormalizeLabel(h)
		if prev, ok := headers[n]; ok {
			v.fail(p, h, "header text also matches column %q", prev)
		}
		headers[n] = col.Key
	}
	if col.Min != nil && col.Max != nil && *col.Min > *col.Max {
		v.fail(p+".max", *col.Max, "below min %v", *col.Min)
	}
	if (col.Min != nil || col.Max != nil) && !Numeric(col.Kind) {
		v.fail(p, col.Kind, "min and max apply only to number, count and percent columns")
	}
}

func (v *validator) programmes() {
	c := v.c
	if len(c.Programmes) == 0 {
		v.fail("programmes", nil, "at least one programme is needed")
		return
	}
	orders := map[int]string{}
	subtypes := map[string]string{}
	var all []EnumValue
	c.order = c.order[:0]
	for _, key := range slices.Sorted(maps.Keys(c.Programmes)) {
		p := c.Programmes[key]
		path := "programmes." + key
		if p == nil {
			v.fail(path, nil, "empty programme")
			continue
		}
		p.key = key
		c.order = append(c.order, key)
		if !identifier.MatchString(key) || slices.Contains(fixedTables, key) {
			v.fail(path, key, "a programme key must be lower-case letters, digits and _, and not one of %s", strings.Join(fixedTables, ", "))
		}
		if prev, ok := orders[p.Order]; ok {
			v.fail(path+".order", p.Order, "same order as %q", prev)
		}
		orders[p.Order] = key
		if p.Name == "" {
			v.fail(path+".name", nil, "missing")
		}
		v.clause(path+".clause", p.Clause)
		all = append(all, EnumValue{Code: key, Name: p.Name, Aliases: p.Aliases})
		for i, s := range p.Subtypes {
			if prev, ok := subtypes[s.Code]; ok && prev != key {
				v.fail(fmt.Sprintf("%s.subtypes[%d].code", path, i), s.Code, "sub-type code also used by programme %q", prev)
			}
			subtypes[s.Code] = key
		}
		v.enum(path+".subtypes", p.Subtypes, true)
		v.report(path, p)
		v.indicators(path, p)
		v.assessments(path, p)
		v.statusRules(path, p)
		v.triggers(path, p)
		v.gates(path, p)
		v.funds(path, p)
	}
	v.enum("programmes", all, false)
	v.gradeNames()
	sort.SliceStable(c.order, func(i, j int) bool {
		return c.Programmes[c.order[i]].Order < c.Programmes[c.order[j]].Order
	})
}

// report checks the annual report rule.
func (v *validator) report(path string, p *Programme) {
	var m, d int
	if _, err := fmt.Sscanf(p.Report.DueCutoff, "%d-%d", &m, &d); err != nil || len(p.Report.DueCutoff) != 5 ||
		time.Date(2001, time.Month(m), d, 0, 0, 0, 0, time.UTC).Format("01-02") != p.Report.DueCutoff {
		v.fail(path+".report.due_cutoff", p.Report.DueCutoff, "must be a day of the year as MM-DD, such as 06-30")
	}
	p.Report.month, p.Report.day = m, d
	v.clause(path+".report.clause", p.Report.Clause)
}

// assessments checks the assessments: keys, schedules, grade scales, the expert
// panel, and that exactly one drives the status.
func (v *validator) assessments(path string, p *Programme) {
	if len(p.Assessments) == 0 {
		v.fail(path+".assessments", nil, "a programme needs at least one assessment")
		return
	}
	status := 0
	p.assessOrder = p.assessOrder[:0]
	for _, key := range slices.Sorted(maps.Keys(p.Assessments)) {
		a := p.Assessments[key]
		ap := path + ".assessments." + key
		if a == nil {
			v.fail(ap, nil, "empty assessment")
			continue
		}
		a.Key = key
		if !identifier.MatchString(key) {
			v.fail(ap, key, "an assessment key must be lower-case letters, digits and _")
		}
		if a.AffectsStatus {
			p.assessOrder = append([]string{key}, p.assessOrder...)
		} else {
			p.assessOrder = append(p.assessOrder, key)
		}
		if a.Name == "" {
			v.fail(ap+".name", nil, "missing")
		}
		v.clause(ap+".clause", a.Clause)
		if a.FirstAfterYears < 0 || a.FirstAfterYears > 50 {
			v.fail(ap+".first_after_years", a.FirstAfterYears, "must be between 0 and 50")
		}
		if a.EveryYears < 1 || a.EveryYears > 50 {
			v.fail(ap+".every_years", a.EveryYears, "must be between 1 and 50")
		}
		if a.AffectsStatus {
			status++
		}
		v.grades(ap, a)
		if e := a.Expert; e != nil {
			if e.Weight <= 0 || e.Weight >= weightTotal {
				v.fail(ap+".expert.weight", e.Weight, "must be between 0 and %d (points of the final score)", weightTotal)
			}
			if e.Trim < 0 {
				v.fail(ap+".expert.trim", e.Trim, "must not be negative")
			}
			if e.MinScores < 2*e.Trim+1 {
				v.fail(ap+".expert.min_scores", e.MinScores, "must leave at least one score after trimming %d from each end", e.Trim)
			}
			if e.Missing != ExpertMissingQuantitative && e.Missing != ExpertMissingNotAssessed {
				v.fail(ap+".expert.missing", e.Missing, "must be %s or %s", ExpertMissingQuantitative, ExpertMissingNotAssessed)
			}
			v.clause(ap+".expert.clause", e.Clause)
		}
	}
	if status != 1 {
		v.fail(path+".assessments", status, "exactly one assessment must have affects_status")
		p.assessOrder = nil
	}
}

// grades checks a grade scale: codes unique, minimums strictly falling from at
// most 100 down to exactly 0, so every score from 0 to 100 has exactly one grade.
func (v *validator) grades(path string, a *Assessment) {
	if len(a.Grades) < 2 {
		v.fail(path+".grades", len(a.Grades), "a scale needs at least two grades")
		return
	}
	codes := map[string]bool{}
	for i, g := range a.Grades {
		gp := fmt.Sprintf("%s.grades[%d]", path, i)
		v.key(gp+".code", g.Code, codes)
		if g.Name == "" {
			v.fail(gp+".name", nil, "missing")
		}
		if !colour.MatchString(g.Colour) {
			v.fail(gp+".colour", g.Colour, "must be an RGB hex colour such as C6EFCE")
		}
		v.clause(gp+".clause", g.Clause)
		switch {
		case g.Min < 0 || g.Min > weightTotal:
			v.fail(gp+".min", g.Min, "must be between 0 and %d", weightTotal)
		case i > 0 && g.Min >= a.Grades[i-1].Min:
			v.fail(gp+".min", g.Min, "overlaps grades[%d] (min %v): minimums must fall strictly", i-1, a.Grades[i-1].Min)
		}
	}
	if last := a.Grades[len(a.Grades)-1]; last.Min != 0 {
		v.fail(fmt.Sprintf("%s.grades[%d].min", path, len(a.Grades)-1), last.Min, "the lowest grade must start at 0, or scores below it have no grade")
	}
	if _, ok := a.Grade(a.NoReport.Grade); !ok {
		v.fail(path+".no_report.grade", a.NoReport.Grade, "not a grade code of this assessment")
	}
	v.clause(path+".no_report.clause", a.NoReport.Clause)
}

// gradeNames checks that a grade name means one grade code in every programme,
// so that published results can be read by name.
func (v *validator) gradeNames() {
	codes := map[string]string{}
	for _, key := range v.c.order {
		for _, ak := range slices.Sorted(maps.Keys(v.c.Programmes[key].Assessments)) {
			a := v.c.Programmes[key].Assessments[ak]
			if a == nil {
				continue
			}
			for _, g := range a.Grades {
				n := NormalizeLabel(g.Name)
				if prev, ok := codes[n]; ok && prev != g.Code {
					v.fail("programmes."+key, g.Name, "grade name means %q elsewhere and %q here", prev, g.Code)
				}
				codes[n] = g.Code
			}
		}
	}
}

// statusRules checks the rectification and revocation rules.
func (v *validator) statusRules(path string, p *Programme) {
	sr := p.Status
	if sr.RectificationYears < 0 || sr.RectificationYears > 10 {
		v.fail(path+".status.rectification_years", sr.RectificationYears, "must be between 0 and 10")
	}
	if sr.RectificationYears > 0 {
		v.clause(path+".status.rectification_clause", sr.RectificationClause)
	}
	v.clause(path+".status.revoke_clause", sr.RevokeClause)
	switch {
	case sr.ConsecutiveFails == 1 || sr.ConsecutiveFails < 0:
		v.fail(path+".status.consecutive_fails", sr.ConsecutiveFails, "must be 0 (no such rule) or at least 2")
	case sr.ConsecutiveFails >= 2:
		v.clause(path+".status.consecutive_clause", sr.ConsecutiveClause)
	}
}

// triggers checks that every trigger names a known event once.
func (v *validator) triggers(path string, p *Programme) {
	known := map[string]bool{EventNoReport: true}
	for _, e := range v.c.EventTypes {
		known[e.Code] = true
	}
	seen := map[string]bool{}
	for i, t := range p.Triggers {
		tp := fmt.Sprintf("%s.triggers[%d]", path, i)
		if !known[t.Event] {
			v.fail(tp+".event", t.Event, "not an event type (event_types) nor %s", EventNoReport)
		}
		if seen[t.Event] {
			v.fail(tp+".event", t.Event, "duplicate")
		}
		seen[t.Event] = true
		if t.Effect != TriggerRevoke && t.Effect != TriggerNote {
			v.fail(tp+".effect", t.Effect, "must be %s or %s", TriggerRevoke, TriggerNote)
		}
		v.clause(tp+".clause", t.Clause)
	}
}

// funds checks the funds and compiles their conditions and formulas.
func (v *validator) funds(path string, p *Programme) {
	env := fundEnv(p)
	keys := map[string]bool{}
	for i, f := range p.Funds {
		fp := fmt.Sprintf("%s.funds[%d]", path, i)
		if f == nil {
			v.fail(fp, nil, "empty fund")
			continue
		}
		v.key(fp+".key", f.Key, keys)
		if f.Name == "" {
			v.fail(fp+".name", nil, "missing")
		}
		v.clause(fp+".clause", f.Clause)
		var err error
		if f.when, err = compileExpr(f.When, env, exprBool); err != nil {
			v.fail(fp+".when", f.When, "%s", oneLine(err))
		}
		switch {
		case f.Formula != "" && f.Amount != nil:
			v.fail(fp, f.Key, "has both a formula and an amount")
		case f.Formula != "":
			if f.formula, err = compileExpr(f.Formula, env, exprNumber); err != nil {
				v.fail(fp+".formula", f.Formula, "%s", oneLine(err))
			}
		case f.Amount != nil && *f.Amount < 0:
			v.fail(fp+".amount", *f.Amount, "must not be negative")
		}
		if f.Cap < 0 {
			v.fail(fp+".cap", f.Cap, "must not be negative (0: no cap)")
		}
		if f.MaxTimes < 0 {
			v.fail(fp+".max_times", f.MaxTimes, "must not be negative (0: no limit)")
		}
	}
}

// reservedNames are variables every rule sees besides indicators and params.
var reservedNames = map[string]bool{SubtypeVar: true, StatusVar: true}

// reservedPrefix reports whether a name starts like a variable the engine makes.
func reservedPrefix(name string) bool {
	return strings.HasPrefix(name, PrevPrefix) || strings.HasPrefix(name, GradePrefix)
}

// indicators checks indicators, their weights and targets, and compiles formulas.
func (v *validator) indicators(path string, p *Programme) {
	keys := map[string]bool{}
	headers := map[string]string{}
	for _, col := range v.c.ReportColumns {
		keys[col.Key] = true
		for _, h := range append([]string{col.Name}, col.Aliases...) {
			headers[NormalizeLabel(h)] = col.Key
		}
	}
	for name := range p.Params {
		if !identifier.MatchString(name) || reservedNames[name] || reservedPrefix(name) {
			v.fail(path+".params."+name, name, "a parameter name must be lower-case letters, digits and _, not %q or %q, and not start with %s or %s",
				SubtypeVar, StatusVar, PrevPrefix, GradePrefix)
		}
	}
	// A formula sees the parameters, every input and the previous year's
	// values, and the indicators derived before it.
	env := map[string]any{SubtypeVar: ""}
	for name := range p.Params {
		env[name] = 0.0
	}
	for _, ind := range p.Indicators {
		env[PrevPrefix+ind.Key] = 0.0
		if !ind.Derived() {
			env[ind.Key] = 0.0
		}
	}
	var total float64
	for i := range p.Indicators {
		ind := &p.Indicators[i]
		ip := fmt.Sprintf("%s.indicators[%d]", path, i)
		if _, clash := p.Params[ind.Key]; clash || reservedNames[ind.Key] || reservedPrefix(ind.Key) {
			v.fail(ip+".key", ind.Key, "clashes with a parameter, a reserved name or prefix (%s, %s, %s, %s)", SubtypeVar, StatusVar, PrevPrefix, GradePrefix)
		}
		if ind.Derived() {
			if ind.Kind != "" || len(ind.Aliases) > 0 || ind.Required || ind.Min != nil || ind.Max != nil {
				v.fail(ip, ind.Key, "a derived indicator (with formula) has no kind, aliases, required, min or max")
			}
			v.key(ip+".key", ind.Key, keys)
			e, err := compileExpr(ind.Formula, env, exprNumber)
			if err != nil {
				v.fail(ip+".formula", ind.Formula, "%s", oneLine(err))
			}
			ind.formula = e
		} else {
			v.column(ip, ind.column(), keys, headers)
			if !Numeric(ind.Kind) {
				v.fail(ip+".kind", ind.Kind, "an indicator must be number, count or percent")
			}
		}
		env[ind.Key] = 0.0
		v.clause(ip+".clause", ind.Clause)
		switch {
		case ind.Weight < 0 || math.IsNaN(ind.Weight):
			v.fail(ip+".weight", ind.Weight, "must not be negative")
		case ind.Weight > 0 && ind.Target <= 0:
			v.fail(ip+".target", ind.Target, "a scored indicator (weight > 0) needs a positive target")
		}
		total += ind.Weight
		for _, st := range slices.Sorted(maps.Keys(ind.SubtypeTargets)) {
			if _, ok := p.Subtype(st); !ok {
				v.fail(ip+".subtype_targets."+st, st, "not a sub-type of this programme")
			}
			if t := ind.SubtypeTargets[st]; t <= 0 {
				v.fail(ip+".subtype_targets."+st, t, "must be positive")
			}
		}
	}
	if math.Abs(total-weightTotal) > 1e-9 {
		v.fail(path+".indicators", total, "weights must add up to %d", weightTotal)
	}
	for i, k := range p.TieBreak {
		if _, ok := env[k]; !ok || reservedNames[k] {
			v.fail(fmt.Sprintf("%s.tie_break[%d]", path, i), k, "not an indicator of this programme")
		}
	}
}

// gates compiles the gates' conditions against the programme's variables.
func (v *validator) gates(path string, p *Programme) {
	env := ruleEnv(p)
	keys := map[string]bool{}
	for i := range p.Gates {
		g := &p.Gates[i]
		gp := fmt.Sprintf("%s.gates[%d]", path, i)
		v.key(gp+".key", g.Key, keys)
		if g.Name == "" {
			v.fail(gp+".name", nil, "missing")
		}
		if g.Effect != EffectWarn && g.Effect != EffectFail {
			v.fail(gp+".effect", g.Effect, "must be %s or %s", EffectWarn, EffectFail)
		}
		v.clause(gp+".clause", g.Clause)
		var err error
		if g.rule, err = compileExpr(g.Rule, env, exprBool); err != nil {
			v.fail(gp+".rule", g.Rule, "%s", oneLine(err))
		}
		if g.When != "" {
			if g.when, err = compileExpr(g.When, env, exprBool); err != nil {
				v.fail(gp+".when", g.When, "%s", oneLine(err))
			}
		}
	}
}

// oneLine flattens expr's multi-line error (message, source, caret) to its message.
func oneLine(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}
