package config

import (
	"sort"
	"strings"
	"time"
)

// Config is the effective configuration of a run: the embedded defaults, then a
// user file, then environment variables and flags, validated as a whole.
type Config struct {
	Documents     map[string]Document   `mapstructure:"documents" yaml:"documents"`
	Run           Run                   `mapstructure:"run" yaml:"run"`
	Log           Log                   `mapstructure:"log" yaml:"log"`
	Ingest        Ingest                `mapstructure:"ingest" yaml:"ingest"`
	Leagues       []EnumValue           `mapstructure:"leagues" yaml:"leagues"`
	Register      Register              `mapstructure:"register" yaml:"register"`
	ReportColumns []Column              `mapstructure:"report_columns" yaml:"report_columns"`
	Ranking       Ranking               `mapstructure:"ranking" yaml:"ranking"`
	Output        Output                `mapstructure:"output" yaml:"output"`
	Programmes    map[string]*Programme `mapstructure:"programmes" yaml:"programmes"`

	location *time.Location // Run.Timezone, loaded by Validate
	order    []string       // programme keys by Programme.Order, set by Validate
}

// Document is a policy document that rules cite.
type Document struct {
	Short string `mapstructure:"short" yaml:"short"`
	Title string `mapstructure:"title" yaml:"title"`
}

// Run holds what a yearly run reads and writes.
type Run struct {
	Year     int    `mapstructure:"year" yaml:"year"`
	Timezone string `mapstructure:"timezone" yaml:"timezone"`
	In       string `mapstructure:"in" yaml:"in"`
	Out      string `mapstructure:"out" yaml:"out"`
}

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
	BatchRows      int      `mapstructure:"batch_rows" yaml:"batch_rows"`
	Workers        int      `mapstructure:"workers" yaml:"workers"`
	MaxUnzipBytes  int64    `mapstructure:"max_unzip_bytes" yaml:"max_unzip_bytes"`
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

// Register describes the platform register (名录) table.
type Register struct {
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

// Output names and stamps the result workbook.
type Output struct {
	Workbook string `mapstructure:"workbook" yaml:"workbook"`
	Author   string `mapstructure:"author" yaml:"author"`
	Created  string `mapstructure:"created" yaml:"created"`
}

// Programme is one kind of platform with its own indicators, grades and gates.
type Programme struct {
	Order            int                `mapstructure:"order" yaml:"order"`
	Name             string             `mapstructure:"name" yaml:"name"`
	Aliases          []string           `mapstructure:"aliases" yaml:"aliases,omitempty"`
	Clause           string             `mapstructure:"clause" yaml:"clause"`
	Assessment       string             `mapstructure:"assessment" yaml:"assessment"`
	AssessmentClause string             `mapstructure:"assessment_clause" yaml:"assessment_clause"`
	Subtypes         []EnumValue        `mapstructure:"subtypes" yaml:"subtypes,omitempty"`
	Grades           []Grade            `mapstructure:"grades" yaml:"grades"`
	NoReport         NoReport           `mapstructure:"no_report" yaml:"no_report"`
	Params           map[string]float64 `mapstructure:"params" yaml:"params,omitempty"`
	Indicators       []Indicator        `mapstructure:"indicators" yaml:"indicators"`
	Gates            []Gate             `mapstructure:"gates" yaml:"gates,omitempty"`
	TieBreak         []string           `mapstructure:"tie_break" yaml:"tie_break,omitempty"`

	key string // the programme's key in Config.Programmes, set by Validate
}

// Grade is one step of a programme's grade scale: a score of at least Min earns it.
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

// ProgrammeKeys returns the programme keys in display order.
func (c *Config) ProgrammeKeys() []string { return c.order }

// Key returns the programme's key in the configuration ("enclave", "tic" ...).
func (p *Programme) Key() string { return p.key }

// Grade returns the grade with the given code.
func (p *Programme) Grade(code string) (Grade, bool) {
	for _, g := range p.Grades {
		if g.Code == code {
			return g, true
		}
	}
	return Grade{}, false
}

// GradeFor returns the grade a score earns: the first grade whose minimum the
// score reaches. Grades are ordered from the highest minimum down to 0.
func (p *Programme) GradeFor(score float64) Grade {
	for _, g := range p.Grades {
		if score >= g.Min {
			return g
		}
	}
	return p.Grades[len(p.Grades)-1]
}

// FailGrade is the lowest grade of the scale.
func (p *Programme) FailGrade() Grade { return p.Grades[len(p.Grades)-1] }

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
	doc, section, _ := strings.Cut(clause, " ")
	if d, ok := c.Documents[doc]; ok {
		return strings.TrimSpace(d.Short + " " + section)
	}
	return clause
}

// sortedKeys returns a map's keys in order, for deterministic iteration.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
