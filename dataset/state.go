package dataset

// PlatformStatus is a platform's standing in its programme.
type PlatformStatus string

// Platform statuses (config `statuses` names them for the workbook).
const (
	Active     PlatformStatus = "active"
	Rectifying PlatformStatus = "rectifying" // failed; re-graded when the window ends
	Revoked    PlatformStatus = "revoked"    // no longer in the programme; never graded again
)

// History is the previous year's states, by platform id. A nil History means
// the year is the first of the history: every platform starts afresh.
type History map[string]State

// State is what a platform carries from one year into the next. The history
// keeps one State per platform per year: the status after the year, what the
// year's outcome was, its grades and scores, the funds granted so far and the
// indicator values of the year's report.
type State struct {
	ID        string
	Programme string
	Year      int
	Status    PlatformStatus
	// Since is the year the current status began: the year of the failed grade
	// for Rectifying, the year of revocation for Revoked; 0 for Active.
	Since int
	// Review is the year a Rectifying platform is re-graded; 0 otherwise.
	Review int
	// FailStreak counts the consecutive years up to this one in which the
	// status assessment graded the platform a fail (for consecutive_fails).
	FailStreak int
	// Outcome is what happened in the year: the assessment's outcome status
	// ("assessed", "not_due", "no_report" ...).
	Outcome string
	// Grades and Scores hold the year's grade codes and scores by assessment
	// key, for the assessments graded in the year.
	Grades map[string]string
	Scores map[string]float64
	// Grants counts, by fund key, the times a fund was granted up to and
	// including the year (for max_times).
	Grants map[string]int
	// Values holds the indicator values of the year's accepted report, by
	// indicator key, for the next year's prev_<key> variables.
	Values map[string]float64
	// Source says where the state came from: SourceRun or SourceImport.
	Source string
}

// Where a State came from.
const (
	SourceRun    = "run"    // computed by an assessment run
	SourceImport = "import" // seeded from published results
)
