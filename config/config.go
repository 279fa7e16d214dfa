package config

import (
	"strings"
	"time"
	"unicode"
)

// Config is the effective configuration of a run: the embedded defaults, then a
// user file, then environment variables and flags, validated as a whole.
type Config struct {
	Documents        map[string]Document   `mapstructure:"documents" yaml:"documents"`
	Run              Run                   `mapstructure:"run" yaml:"run"`
	Log              Log                   `mapstructure:"log" yaml:"log"`
	Ingest           Ingest                `mapstructure:"ingest" yaml:"ingest"`
	Leagues          []EnumValue           `mapstructure:"leagues" yaml:"leagues"`
	Register         TableDef              `mapstructure:"register" yaml:"register"`
	ReportColumns    []Column              `mapstructure:"report_columns" yaml:"report_columns"`
	EventTypes       []EnumValue           `mapstructure:"event_types" yaml:"event_types"`
	Events           TableDef              `mapstructure:"events" yaml:"events"`
	ExpertScores     TableDef              `mapstructure:"expert_scores" yaml:"expert_scores"`
	PublishedResults TableDef              `mapstructure:"published_results" yaml:"published_results"`
	Statuses         []EnumValue           `mapstructure:"statuses" yaml:"statuses"`
	Ranking          Ranking               `mapstructure:"ranking" yaml:"ranking"`
	Output           Output                `mapstructure:"output" yaml:"output"`
	Targets          Targets               `mapstructure:"targets" yaml:"targets"`
	Programmes       map[string]*Programme `mapstructure:"programmes" yaml:"programmes"`

	location    *time.Location // Run.Timezone, loaded by Validate
	fileTimeout time.Duration  // Ingest.FileTimeout, parsed by Validate
	order       []string       // programme keys by Programme.Order, set by Validate
}

// Document is a policy document that rules cite.
type Document struct {
	Short string `mapstructure:"short" yaml:"short"`
	Title string `mapstructure:"title" yaml:"title"`
}

// Run holds what a yearly run reads and writes.
type Run struct {
	Year      int    `mapstructure:"year" yaml:"year"`
	FirstYear int    `mapstructure:"first_year" yaml:"first_year"`
	Timezone  string `mapstructure:"timezone" yaml:"timezone"`
	In        string `mapstructure:"in" yaml:"in"`
	Out       string `mapstructure:"out" yaml:"out"`
	State     string `mapstructure:"state" yaml:"state"`
	// SplitBy also writes the results split into one workbook per value:
	// SplitNone or SplitLeague.
	SplitBy string `mapstructure:"split_by" yaml:"split_by"`
	// MemoryLimitMiB is the soft limit on the run's memory, in MiB, that
	// the collector works to stay under: 0 for none.
	MemoryLimitMiB int `mapstructure:"memory_limit_mib" yaml:"memory_limit_mib"`
}

// Ways to split the results into further workbooks.
const (
	SplitNone   = ""       // the region-wide workbook only
	SplitLeague = "league" // also one workbook per 盟市
)

// Log selects the log level and format.
type Log struct {
	Level  string `mapstructure:"level" yaml:"level"`
	Format string `mapstructure:"format" yaml:"format"`
}

// Log formats.
const (
	LogFormatAuto    = "auto"
	LogFormatJSON    = "json"
	LogFormatConsole = "console"
)

// Ingest tunes how workbooks are read.
type Ingest struct {
	HeaderScanRows int      `mapstructure:"header_scan_rows" yaml:"header_scan_rows"`
	FormScanRows   int      `mapstructure:"form_scan_rows" yaml:"form_scan_rows"`
	BatchRows      int      `mapstructure:"batch_rows" yaml:"batch_rows"`
	Workers        int      `mapstructure:"workers" yaml:"workers"`
	MaxUnzipBytes  int64    `mapstructure:"max_unzip_bytes" yaml:"max_unzip_bytes"`
	MaxCells       int64    `mapstructure:"max_cells" yaml:"max_cells"`
	FileTimeout    string   `mapstructure:"file_timeout" yaml:"file_timeout"`
	MissingMarkers []string `mapstructure:"missing_markers" yaml:"missing_markers"`
	NotePrefixes   []string `mapstructure:"note_prefixes" yaml:"note_prefixes"`
	TotalLabels    []string `mapstructure:"total_labels" yaml:"total_labels"`
}

// EnumValue is one value of an enumerated column: its code, its display name and
// the other spellings accepted for it.
type EnumValue struct {
	Code    string   `mapstructure:"code" yaml:"code"`
	Name    string   `mapstructure:"name" yaml:"name"`
	Aliases []string `mapstructure:"aliases" yaml:"aliases,omitempty"`
	Clause  string   `mapstructure:"clause" yaml:"clause,omitempty"`
}

// TableDef describes an input table with fixed columns: the register (名录),
// the events and expert-score sheets, the published results.
type TableDef struct {
	Name    string   `mapstructure:"name" yaml:"name"`
	Columns []Column `mapstructure:"columns" yaml:"columns"`
}

// Column kinds: how a cell's text becomes a typed value.
const (
	KindID        = "id"        // text kept exactly (trimmed), never a number
	KindText      = "text"      // free text
	KindYear      = "year"      // a year: 2025, "2025年", "2025年度"
	KindDate      = "date"      // Excel serial or a written date
	KindNumber    = "number"    // a real number, converted to the column's unit
	KindCount     = "count"     // a non-negative whole number
	KindPercent   = "percent"   // percentage points: "30%" and 30 both mean 30
	KindProgramme = "programme" // one of the programmes, by name or alias
	KindSubtype   = "subtype"   // one of the programmes' sub-types
	KindLeague    = "league"    // one of the configured 盟市
	KindEvent     = "event"     // one of the event types
	KindGrade     = "grade"     // a grade, by its name in any programme
	KindStatus    = "status"    // a platform status: 正常, 整改, 撤销
)

// Column describes one input column: the header text that finds it, the kind of
// value it holds and the checks a value must pass.
type Column struct {
	Key      string   `mapstructure:"key" yaml:"key"`
	Name     string   `mapstructure:"name" yaml:"name"`
	Aliases  []string `mapstructure:"aliases" yaml:"aliases,omitempty"`
	Kind     string   `mapstructure:"kind" yaml:"kind"`
	Unit     string   `mapstructure:"unit" yaml:"unit,omitempty"`
	Required bool     `mapstructure:"required" yaml:"required,omitempty"`
	Min      *float64 `mapstructure:"min" yaml:"min,omitempty"`
	Max      *float64 `mapstructure:"max" yaml:"max,omitempty"`
}

// Ranking sets how scores are compared.
type Ranking struct {
	Precision int `mapstructure:"precision" yaml:"precision"`
}

// Output names and stamps the result workbooks. The names are templates:
// {year}, {programme} and {league} are replaced by the year, a programme's
// name and a 盟市's name.
type Output struct {
	// Workbook is the region-wide result workbook, a file name.
	Workbook string `mapstructure:"workbook" yaml:"workbook"`
	// Notice is each programme's public notice (name, 盟市, grade), a path
	// under the year's folder holding {programme}; "" writes none.
	Notice string `mapstructure:"notice" yaml:"notice"`
	// LeagueWorkbook is each 盟市's workbook when the results are split by
	// league, a path under the year's folder holding {league}.
	LeagueWorkbook string `mapstructure:"league_workbook" yaml:"league_workbook"`
	Author         string `mapstructure:"author" yaml:"author"`
	Created        string `mapstructure:"created" yaml:"created"`
}

// Placeholders of the output file name templates.
const (
	PlaceholderYear      = "{year}"
	PlaceholderProgramme = "{programme}"
	PlaceholderLeague    = "{league}"
)

// Targets are region-wide targets, such as those of the 蒙科聚 platform plan,
// that the summary sets the year's aggregate results against.
type Targets struct {
	Name   string   `mapstructure:"name" yaml:"name"`
	Clause string   `mapstructure:"clause" yaml:"clause,omitempty"`
	Items  []Target `mapstructure:"items" yaml:"items,omitempty"`
}

// Target is one region-wide target and how the engine measures it: the sum of
// indicators over the year's reports, the number of platforms approved since
// a year, or neither when the engine holds no data for it.
type Target struct {
	Key   string  `mapstructure:"key" yaml:"key"`
	Name  string  `mapstructure:"name" yaml:"name"`
	Unit  string  `mapstructure:"unit" yaml:"unit"`
	Value float64 `mapstructure:"value" yaml:"value"`
	// Sum lists the indicators added up over every platform's report of the
	// year, as "programme.indicator"; they share the target's unit.
	Sum []string `mapstructure:"sum" yaml:"sum,omitempty"`
	// ApprovedSince counts the registered platforms approved (filed) from
	// this year to the assessment year.
	ApprovedSince int `mapstructure:"approved_since" yaml:"approved_since,omitempty"`
	// Note says what the figure covers, or why there is none.
	Note string `mapstructure:"note" yaml:"note,omitempty"`
}

// Measured reports whether the engine computes a figure for the target.
func (t *Target) Measured() bool { return len(t.Sum) > 0 || t.ApprovedSince > 0 }

// Programme is one kind of platform with its own indicators, assessments,
// status rules, triggers and funds.
type Programme struct {
	Order       int                    `mapstructure:"order" yaml:"order"`
	Name        string                 `mapstructure:"name" yaml:"name"`
	Aliases     []string               `mapstructure:"aliases" yaml:"aliases,omitempty"`
	Clause      string                 `mapstructure:"clause" yaml:"clause"`
	Subtypes    []EnumValue            `mapstructure:"subtypes" yaml:"subtypes,omitempty"`
	Report      ReportRule             `mapstructure:"report" yaml:"report"`
	Assessments map[string]*Assessment `mapstructure:"assessments" yaml:"assessments"`
	Status      StatusRules            `mapstructure:"status" yaml:"status"`
	Triggers    []Trigger              `mapstructure:"triggers" yaml:"triggers,omitempty"`
	Funds       []*Fund                `mapstructure:"funds" yaml:"funds,omitempty"`
	Params      map[string]float64     `mapstructure:"params" yaml:"params,omitempty"`
	Indicators  []Indicator            `mapstructure:"indicators" yaml:"indicators"`
	Gates       []Gate                 `mapstructure:"gates" yaml:"gates,omitempty"`
	TieBreak    []string               `mapstructure:"tie_break" yaml:"tie_break,omitempty"`

	key         string   // the programme's key in Config.Programmes, set by Validate
	assessOrder []string // assessment keys, the status assessment first, set by Validate
}

// ReportRule says when a platform's annual report is first due.
type ReportRule struct {
	// DueCutoff is a day of the year, "MM-DD": a platform approved after it
	// first reports for the next year.
	DueCutoff string `mapstructure:"due_cutoff" yaml:"due_cutoff"`
	Clause    string `mapstructure:"clause" yaml:"clause"`

	month, day int // parsed DueCutoff, set by Validate
}

// Assessment is one graded assessment of a programme and its schedule.
type Assessment struct {
	Key             string   `mapstructure:"key" yaml:"key"`
	Name            string   `mapstructure:"name" yaml:"name"`
	Clause          string   `mapstructure:"clause" yaml:"clause"`
	FirstAfterYears int      `mapstructure:"first_after_years" yaml:"first_after_years"`
	EveryYears      int      `mapstructure:"every_years" yaml:"every_years"`
	AffectsStatus   bool     `mapstructure:"affects_status" yaml:"affects_status,omitempty"`
	Expert          *Expert  `mapstructure:"expert" yaml:"expert,omitempty"`
	Grades          []Grade  `mapstructure:"grades" yaml:"grades"`
	NoReport        NoReport `mapstructure:"no_report" yaml:"no_report"`
}

// Expert says how an expert panel's scores enter an assessment: the panel's
// trimmed mean (Trim highest and Trim lowest dropped) weighs Weight points out
// of 100 against the indicator score.
type Expert struct {
	Weight    float64 `mapstructure:"weight" yaml:"weight"`
	Trim      int     `mapstructure:"trim" yaml:"trim"`
	MinScores int     `mapstructure:"min_scores" yaml:"min_scores"`
	// Missing decides what happens without enough expert scores.
	Missing string `mapstructure:"missing" yaml:"missing"`
	Clause  string `mapstructure:"clause" yaml:"clause"`
}

// What an assessment does without enough expert scores.
const (
	ExpertMissingQuantitative = "quantitative_only" // grade on the indicator score, and say so
	ExpertMissingNotAssessed  = "not_assessed"      // do not grade: the evaluation is incomplete
)

// StatusRules are a programme's rules for status across years.
type StatusRules struct {
	// RectificationYears is the window after a failed grade; the platform is
	// re-graded when it ends. 0 means a failed grade revokes at once.
	RectificationYears  int    `mapstructure:"rectification_years" yaml:"rectification_years"`
	RectificationClause string `mapstructure:"rectification_clause" yaml:"rectification_clause"`
	// RevokeClause is cited when a platform fails its re-grading.
	RevokeClause string `mapstructure:"revoke_clause" yaml:"revoke_clause"`
	// ConsecutiveFails revokes after that many failed grades in consecutive
	// years (0: not a rule of the programme).
	ConsecutiveFails  int    `mapstructure:"consecutive_fails" yaml:"consecutive_fails"`
	ConsecutiveClause string `mapstructure:"consecutive_clause" yaml:"consecutive_clause,omitempty"`
}

// Trigger is what an event does to a platform of the programme.
type Trigger struct {
	Event  string `mapstructure:"event" yaml:"event"`
	Effect string `mapstructure:"effect" yaml:"effect"`
	Clause string `mapstructure:"clause" yaml:"clause"`
}

// Trigger effects, and the built-in event of a due report not filed.
const (
	TriggerRevoke = "revoke"
	TriggerNote   = "note"
	EventNoReport = "no_report"
)

// Fund is a support fund or award of a programme.
type Fund struct {
	Key      string   `mapstructure:"key" yaml:"key"`
	Name     string   `mapstructure:"name" yaml:"name"`
	When     string   `mapstructure:"when" yaml:"when"`
	Formula  string   `mapstructure:"formula" yaml:"formula,omitempty"`
	Amount   *float64 `mapstructure:"amount" yaml:"amount,omitempty"`
	Cap      float64  `mapstructure:"cap" yaml:"cap,omitempty"` // 0: no cap
	MaxTimes int      `mapstructure:"max_times" yaml:"max_times,omitempty"`
	Clause   string   `mapstructure:"clause" yaml:"clause"`

	when, formula *Expr // compiled, set by Validate
}

// WhenExpr is the compiled eligibility condition.
func (f *Fund) WhenExpr() *Expr { return f.when }

// FormulaExpr is the compiled amount formula, nil without one.
func (f *Fund) FormulaExpr() *Expr { return f.formula }

// Grade is one step of an assessment's grade scale: a score of at least Min earns it.
type Grade struct {
	Code   string  `mapstructure:"code" yaml:"code"`
	Name   string  `mapstructure:"name" yaml:"name"`
	Min    float64 `mapstructure:"min" yaml:"min"`
	Colour string  `mapstructure:"colour" yaml:"colour"`
	Clause string  `mapstructure:"clause" yaml:"clause"`
}

// NoReport says what a platform that filed no annual report is graded.
type NoReport struct {
	Grade  string `mapstructure:"grade" yaml:"grade"`
	Clause string `mapstructure:"clause" yaml:"clause"`
}

// Indicator is a value a platform reports (or one derived by Formula from
// others), with its weight and target in the score.
type Indicator struct {
	Key            string             `mapstructure:"key" yaml:"key"`
	Name           string             `mapstructure:"name" yaml:"name"`
	Aliases        []string           `mapstructure:"aliases" yaml:"aliases,omitempty"`
	Unit           string             `mapstructure:"unit" yaml:"unit,omitempty"`
	Kind           string             `mapstructure:"kind" yaml:"kind,omitempty"`
	Required       bool               `mapstructure:"required" yaml:"required,omitempty"`
	Min            *float64           `mapstructure:"min" yaml:"min,omitempty"`
	Max            *float64           `mapstructure:"max" yaml:"max,omitempty"`
	Formula        string             `mapstructure:"formula" yaml:"formula,omitempty"`
	Weight         float64            `mapstructure:"weight" yaml:"weight"`
	Target         float64            `mapstructure:"target" yaml:"target,omitempty"`
	SubtypeTargets map[string]float64 `mapstructure:"subtype_targets" yaml:"subtype_targets,omitempty"`
	Clause         string             `mapstructure:"clause" yaml:"clause"`

	formula *Expr // compiled Formula, set by Validate
}

// Gate is a condition a platform is expected to meet, such as a filing condition.
type Gate struct {
	Key    string `mapstructure:"key" yaml:"key"`
	Name   string `mapstructure:"name" yaml:"name"`
	When   string `mapstructure:"when" yaml:"when,omitempty"`
	Rule   string `mapstructure:"rule" yaml:"rule"`
	Effect string `mapstructure:"effect" yaml:"effect"`
	Clause string `mapstructure:"clause" yaml:"clause"`

	when, rule *Expr // compiled, set by Validate
}

// Gate effects.
const (
	EffectWarn = "warn" // a failed gate is listed among the reasons
	EffectFail = "fail" // a failed gate also fails the platform
)

// Location is the time zone that decides the default assessment year.
func (c *Config) Location() *time.Location { return c.location }

// FileTimeout is how long one workbook may take to read.
func (c *Config) FileTimeout() time.Duration { return c.fileTimeout }

// ProgrammeKeys returns the programme keys in display order.
func (c *Config) ProgrammeKeys() []string { return c.order }

// Key returns the programme's key in the configuration ("enclave", "tic" ...).
func (p *Programme) Key() string { return p.key }

// Grade returns the grade with the given code.
func (a *Assessment) Grade(code string) (Grade, bool) {
	for _, g := range a.Grades {
		if g.Code == code {
			return g, true
		}
	}
	return Grade{}, false
}

// GradeFor returns the grade a score earns: the first grade whose minimum the
// score reaches. Grades are ordered from the highest minimum down to 0.
func (a *Assessment) GradeFor(score float64) Grade {
	for _, g := range a.Grades {
		if score >= g.Min {
			return g
		}
	}
	return a.Grades[len(a.Grades)-1]
}

// FailGrade is the lowest grade of the scale.
func (a *Assessment) FailGrade() Grade { return a.Grades[len(a.Grades)-1] }

// Failed reports whether a grade code is the scale's fail grade.
func (a *Assessment) Failed(code string) bool { return code == a.FailGrade().Code }

// FirstYear is the first year the assessment falls due for a platform whose
// annual report is first due in firstReport and that was approved in approved.
func (a *Assessment) FirstYear(approved, firstReport int) int {
	first := approved + a.FirstAfterYears
	for first < firstReport {
		first += a.EveryYears
	}
	return first
}

// Scheduled reports whether the assessment falls due in year by its schedule.
func (a *Assessment) Scheduled(approved, firstReport, year int) bool {
	first := a.FirstYear(approved, firstReport)
	return year >= first && (year-first)%a.EveryYears == 0
}

// NextScheduled is the first year from year on in which the assessment falls due.
func (a *Assessment) NextScheduled(approved, firstReport, year int) int {
	first := a.FirstYear(approved, firstReport)
	if year <= first {
		return first
	}
	return first + (year-first+a.EveryYears-1)/a.EveryYears*a.EveryYears
}

// StatusAssessment is the assessment that drives the platform's status.
func (p *Programme) StatusAssessment() *Assessment { return p.Assessments[p.assessOrder[0]] }

// AssessmentList returns the assessments, the status assessment first and then
// by key.
func (p *Programme) AssessmentList() []*Assessment {
	out := make([]*Assessment, len(p.assessOrder))
	for i, k := range p.assessOrder {
		out[i] = p.Assessments[k]
	}
	return out
}

// FirstReportYear is the first year a platform approved on the given day files
// an annual report on: its approval year, or the next when approved after the
// programme's cut-off day.
func (p *Programme) FirstReportYear(approved time.Time) int {
	cut := time.Date(approved.Year(), time.Month(p.Report.month), p.Report.day, 0, 0, 0, 0, time.UTC)
	if approved.After(cut) {
		return approved.Year() + 1
	}
	return approved.Year()
}

// Trigger returns what an event does to a platform of the programme.
func (p *Programme) Trigger(event string) (Trigger, bool) {
	for _, t := range p.Triggers {
		if t.Event == event {
			return t, true
		}
	}
	return Trigger{}, false
}

// Subtype returns the sub-type with the given code.
func (p *Programme) Subtype(code string) (EnumValue, bool) {
	for _, s := range p.Subtypes {
		if s.Code == code {
			return s, true
		}
	}
	return EnumValue{}, false
}

// Inputs returns the indicators read from input columns (those without a formula).
func (p *Programme) Inputs() []Indicator {
	var in []Indicator
	for _, ind := range p.Indicators {
		if ind.Formula == "" {
			in = append(in, ind)
		}
	}
	return in
}

// SubtypeRules reports whether the programme's sub-types are scored against
// different targets, so that a platform is best compared within its sub-type.
func (p *Programme) SubtypeRules() bool {
	for _, ind := range p.Indicators {
		if ind.Weight > 0 && len(ind.SubtypeTargets) > 0 {
			return true
		}
	}
	return false
}

// Indicator returns the indicator with the given key, nil when the
// programme has none.
func (p *Programme) Indicator(key string) *Indicator {
	for i := range p.Indicators {
		if p.Indicators[i].Key == key {
			return &p.Indicators[i]
		}
	}
	return nil
}

// TargetFor returns the indicator's target for a platform of the given sub-type.
func (ind *Indicator) TargetFor(subtype string) float64 {
	if t, ok := ind.SubtypeTargets[subtype]; ok {
		return t
	}
	return ind.Target
}

// Derived reports whether the indicator is computed by a formula.
func (ind *Indicator) Derived() bool { return ind.Formula != "" }

// FormulaExpr is the compiled formula of a derived indicator.
func (ind *Indicator) FormulaExpr() *Expr { return ind.formula }

// WhenExpr is the compiled applicability condition, nil when the gate always applies.
func (g *Gate) WhenExpr() *Expr { return g.when }

// RuleExpr is the compiled condition the gate checks.
func (g *Gate) RuleExpr() *Expr { return g.rule }

// Cite turns a clause reference ("tic_plan 三(六)2") into the text a reader sees
// ("技创中心方案 三(六)2"). An unknown document key is left as written.
func (c *Config) Cite(clause string) string {
	var b strings.Builder
	c.WriteCite(&b, clause)
	return b.String()
}

// WriteCite writes the text Cite returns to b, without making it first: a
// workbook cites a clause for every reason of every platform.
func (c *Config) WriteCite(b *strings.Builder, clause string) {
	doc, section, _ := strings.Cut(clause, " ")
	d, ok := c.Documents[doc]
	if !ok {
		b.WriteString(clause)
		return
	}
	// The short title and the section, joined by a space, without spaces
	// at either end.
	short := strings.TrimLeftFunc(d.Short, unicode.IsSpace)
	switch section = strings.TrimRightFunc(section, unicode.IsSpace); {
	case strings.TrimSpace(short) == "":
		b.WriteString(strings.TrimLeftFunc(section, unicode.IsSpace))
	case strings.TrimSpace(section) == "":
		b.WriteString(strings.TrimRightFunc(short, unicode.IsSpace))
	default:
		b.WriteString(short)
		b.WriteByte(' ')
		b.WriteString(section)
	}
}
