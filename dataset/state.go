package dataset

import (
	"slices"
	"strings"
)

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

// States are a year's states, one per platform, given one at a time: a run
// makes each from the platform's outcome when the history is written, rather
// than keeping a second copy of every outcome's grades and values.
type States interface {
	Len() int
	// Key returns the programme and id of state i, without making the state.
	Key(i int) (programme, id string)
	// At makes state i.
	At(i int) State
}

// StateList is a list of states, given as States.
type StateList []State

// Len returns the number of states.
func (l StateList) Len() int { return len(l) }

// Key returns the programme and id of state i.
func (l StateList) Key(i int) (programme, id string) { return l[i].Programme, l[i].ID }

// At returns state i.
func (l StateList) At(i int) State { return l[i] }

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
	Grades Entries[string]
	Scores Entries[float64]
	// Grants counts, by fund key, the times a fund was granted up to and
	// including the year (for max_times).
	Grants Entries[int]
	// Values holds the indicator values of the year's accepted report, by
	// indicator key, for the next year's prev_<key> variables.
	Values Entries[float64]
	// Source says where the state came from: SourceRun or SourceImport.
	Source string
}

// Where a State came from.
const (
	SourceRun    = "run"    // computed by an assessment run
	SourceImport = "import" // seeded from published results
)

// Entries maps keys to values for the few entries a State has of each kind —
// grades and scores by assessment, grant counts by fund, values by indicator
// — as a slice sorted by key: a Go map of two entries takes several times
// the room, and a run holds a State per platform. A nil Entries has no
// entries and is not the same as an empty one: the history keeps the
// difference.
type Entries[V any] []Entry[V]

// Entry is one key and its value.
type Entry[V any] struct {
	Key   string
	Value V
}

// Get returns the value of key; ok is false when there is none.
func (e Entries[V]) Get(key string) (v V, ok bool) {
	if i, found := e.find(key); found {
		return e[i].Value, true
	}
	return v, false
}

// Set sets the value of key, adding it in order if it is new.
func (e *Entries[V]) Set(key string, v V) {
	i, found := e.find(key)
	if found {
		(*e)[i].Value = v
		return
	}
	*e = slices.Insert(*e, i, Entry[V]{Key: key, Value: v})
}

// find is where key is, or would go.
func (e Entries[V]) find(key string) (int, bool) {
	return slices.BinarySearchFunc(e, key, func(en Entry[V], k string) int { return strings.Compare(en.Key, k) })
}

// Clone returns a copy that shares nothing with e; nil for nil.
func (e Entries[V]) Clone() Entries[V] { return slices.Clone(e) }
