package assess

import (
	"time"

	"assessor/config"
	"assessor/dataset"
)

// Result is one year's assessment of every registered platform.
type Result struct {
	Year       int
	Programmes []*Programme // in configured order
	// Problems found while assessing: reports of unknown platforms, a platform
	// reported twice, a register entry repeated. Input problems found while
	// reading stay in the dataset.
	Problems []dataset.Problem
	// Unused counts accepted report rows of other years, by table: read and
	// kept, but not part of this year's assessment.
	Unused map[string]int
}

// Programme is the assessment of one programme's platforms.
type Programme struct {
	Config *config.Programme
	// Outcomes lists ranked platforms first, by rank and then id, and then the
	// platforms without a rank, by status and id.
	Outcomes []Outcome
}

// Status says what happened to a registered platform this year.
type Status string

// Statuses, in the order unranked platforms are listed.
const (
	StatusAssessed  Status = "assessed"   // scored, graded and ranked
	StatusNoReport  Status = "no_report"  // due, but filed no report: graded by the programme's no_report rule
	StatusDataError Status = "data_error" // its report was refused: see the problems
	StatusConflict  Status = "conflict"   // reported or registered twice: neither is used
	StatusNotDue    Status = "not_due"    // approved after the assessment year
)

// statusOrder orders unranked platforms.
var statusOrder = map[Status]int{StatusAssessed: 0, StatusNoReport: 1, StatusDataError: 2, StatusConflict: 3, StatusNotDue: 4}

// Outcome is one platform's result for the year.
type Outcome struct {
	ID       string
	Name     string
	Subtype  string // sub-type code, "" for programmes without
	League   string // league code
	LeadUnit string
	Approved time.Time

	Status Status
	Score  float64 // rounded to the configured precision; meaningful when Scored
	Grade  string  // grade code; "" when not graded
	Rank   int     // 1-based; 0 when not ranked
	Tied   bool    // shares its rank with another platform

	Indicators []IndicatorScore
	Gates      []GateResult
	Reasons    []Reason
	// Report is where the platform's report row is (the row of its id cell);
	// empty when there is none.
	Report dataset.Location
}

// Scored reports whether the outcome has a score: only assessed platforms do.
func (o *Outcome) Scored() bool { return o.Status == StatusAssessed }

// Graded reports whether the outcome carries a grade.
func (o *Outcome) Graded() bool { return o.Grade != "" }

// IndicatorScore is one indicator's value and the points it earned.
type IndicatorScore struct {
	Key     string
	Value   float64
	Present bool
	Target  float64 // the target that applied (by sub-type)
	Weight  float64
	Points  float64
}

// GateResult is the check of one gate.
type GateResult struct {
	Key     string
	Applies bool     // the gate's `when` holds for this platform
	Checked bool     // every value the rule reads was present
	Passed  bool     // meaningful when Checked
	Missing []string // indicators the rule needed but the report lacked
}

// Reason explains part of an outcome and cites the clause it rests on.
type Reason struct {
	Text   string
	Clause string // "doc_key section", as in the configuration
}
