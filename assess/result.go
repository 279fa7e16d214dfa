package assess

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"sync"
	"time"

	"assessor/config"
	"assessor/dataset"
)

// Result is one year's assessment of every registered platform.
type Result struct {
	Year       int
	Programmes []*Programme // in configured order
	// Problems found while assessing: reports of unknown platforms, a platform
	// reported twice, a register entry repeated, events and expert scores that
	// cannot be placed. Input problems found while reading stay in the dataset.
	Problems []dataset.Problem
	// Unused counts accepted report rows of other years, by table: read and
	// kept, but not part of this year's assessment.
	Unused map[string]int
	// States is the new history: one state per platform, by programme and id,
	// each made from the platform's outcome as it is read.
	States dataset.States
	// Changes lists the year's status changes and the platforms not due, by
	// programme, kind and id: the outcomes' transitions.
	Changes []*Change
}

// Err returns the errors met reading outcomes held compactly
// (RunOptions.Compact) from their files, if any: an outcome that could not
// be read comes back with what could be, and a reason saying so, and what
// was made from it is not to be trusted.
func (r *Result) Err() error {
	var errs []error
	for _, p := range r.Programmes {
		errs = append(errs, p.Err())
	}
	return errors.Join(errs...)
}

// Close closes and removes the files of the outcomes held compactly; the
// outcomes are not to be read after. It does nothing for a result held as
// structs.
func (r *Result) Close() error {
	var errs []error
	for _, p := range r.Programmes {
		for _, s := range p.stores {
			errs = append(errs, s.close())
		}
	}
	return errors.Join(errs...)
}

// Programme is the assessment of one programme's platforms: their outcomes
// in a list, the platforms ranked by the status assessment first, by rank
// and then id, and then the others, by outcome and id. The list is read by
// position, and what a reader keeps of an outcome beyond reading it is
// kept by position too (not by pointer): a national roster's outcomes are
// many, and how they are held is the programme's business.
type Programme struct {
	Config *config.Programme
	// outcomes holds the outcomes as structs, in list order, unless they
	// are held compactly.
	outcomes []*Outcome
	// Held compactly (RunOptions.Compact): the stores of the workers that
	// stepped them, in the order stepped (starts[i] is the number stepped
	// before store i); the list as places in that order; and the ranks,
	// which the records leave out. Each read decodes a fresh outcome.
	stores []*outcomeStore
	starts []int
	order  []int32
	ranks  *ranks
	free   *sync.Pool // of *scratch, which Done gives back
	fault  *fault     // the first error met reading one
}

// fault keeps the first error met reading outcomes held compactly, for a
// programme and those selected from it.
type fault struct {
	mu  sync.Mutex
	err error
}

// Err returns the first error met reading the programme's outcomes from
// their files (Result.Err), nil if none.
func (p *Programme) Err() error {
	if p.fault == nil {
		return nil
	}
	p.fault.mu.Lock()
	defer p.fault.mu.Unlock()
	return p.fault.err
}

// NewProgramme returns the programme's assessment with the given outcomes,
// in list order.
func NewProgramme(cfg *config.Programme, outcomes []*Outcome) *Programme {
	return &Programme{Config: cfg, outcomes: outcomes}
}

// Len returns the number of outcomes.
func (p *Programme) Len() int {
	if p.stores != nil {
		return len(p.order)
	}
	return len(p.outcomes)
}

// Outcome returns the outcome at position i of the list. An outcome held
// compactly is decoded afresh at each call, into memory of its own until
// it is given to Done: read each once where it can be, and give it back.
func (p *Programme) Outcome(i int) *Outcome {
	if p.stores == nil {
		return p.outcomes[i]
	}
	g := int(p.order[i])
	s, at := p.stored(g)
	sc, _ := p.free.Get().(*scratch)
	o, err := s.outcome(at, sc)
	if err != nil { // shown where it is, and kept for Err
		o.Reasons = append(o.Reasons[:len(o.Reasons):len(o.Reasons)], Reason{Text: "内部错误：" + err.Error()})
		p.fault.mu.Lock()
		if p.fault.err == nil {
			p.fault.err = fmt.Errorf("%s: %w", p.Config.Key(), err)
		}
		p.fault.mu.Unlock()
	}
	for a, ar := range o.Assessments {
		p.ranks.set(ar, g, a)
	}
	return o
}

// stored returns the store of the outcome stepped g-th, and its place there.
func (p *Programme) stored(g int) (*outcomeStore, int) {
	k, _ := slices.BinarySearch(p.starts, g+1) // the first store starting past g, less one
	return p.stores[k-1], g - p.starts[k-1]
}

// id returns the id of the outcome at position i, without decoding it.
func (p *Programme) id(i int) string {
	if p.stores == nil {
		return p.outcomes[i].ID
	}
	s, at := p.stored(int(p.order[i]))
	return s.ids[at]
}

// Done tells the programme that the caller is done with o, an outcome
// Outcome returned, and with everything o holds: an outcome held compactly
// gives its memory back for the next to be decoded into. What the caller
// took from o stays valid: texts, numbers, copies. Nothing is to be read
// through o once it is given back.
func (p *Programme) Done(o *Outcome) {
	if o.scratch != nil && p.free != nil {
		p.free.Put(o.scratch)
	}
}

// Outcomes yields the outcomes with their positions, in list order; each is
// given to Done once the loop's body has run with it, and so is not to be
// kept past that.
func (p *Programme) Outcomes() iter.Seq2[int, *Outcome] {
	return func(yield func(int, *Outcome) bool) {
		for i := range p.Len() {
			o := p.Outcome(i)
			more := yield(i, o)
			p.Done(o)
			if !more {
				return
			}
		}
	}
}

// Select returns the programme with the outcomes keep accepts, in list
// order: a league's share of the region's results, say.
func (p *Programme) Select(keep func(*Outcome) bool) *Programme {
	out := &Programme{Config: p.Config, stores: p.stores, starts: p.starts, ranks: p.ranks, free: p.free, fault: p.fault}
	for i, o := range p.Outcomes() {
		switch {
		case !keep(o):
		case p.stores != nil:
			out.order = append(out.order, p.order[i])
		default:
			out.outcomes = append(out.outcomes, o)
		}
	}
	return out
}

// rank ranks the outcomes and puts them in list order, from their rank
// keys, in the order stepped: stepped are the outcomes as structs, nil
// when they are held compactly (in the programme's stores).
func (p *Programme) rank(stepped []*Outcome, keys *rankKeys) {
	r, list := rankAll(p.Config, keys)
	if p.stores != nil {
		p.starts = make([]int, len(p.stores))
		n := 0
		for i, s := range p.stores {
			p.starts[i] = n
			n += s.len()
		}
		p.ranks, p.order, p.free, p.fault = r, list, &sync.Pool{}, &fault{}
		return
	}
	for g, o := range stepped {
		for k, ar := range o.Assessments {
			r.set(ar, g, k)
		}
	}
	p.outcomes = make([]*Outcome, len(list))
	for i, g := range list {
		p.outcomes[i] = stepped[g]
	}
}

// Status says what happened to a registered platform this year.
type Status string

// Outcome statuses, in the order unranked platforms are listed.
const (
	StatusAssessed       Status = "assessed"        // graded on its report
	StatusNoReport       Status = "no_report"       // its report was due and not filed
	StatusRectifying     Status = "rectifying"      // inside its rectification window: reports, is not graded
	StatusDataError      Status = "data_error"      // its report was refused: see the problems
	StatusConflict       Status = "conflict"        // reported or registered twice: neither is used
	StatusIncomplete     Status = "incomplete"      // due, but the expert panel is missing and the rules do not grade without it
	StatusRevoked        Status = "revoked"         // revoked this year by an event
	StatusNotDue         Status = "not_due"         // nothing due this year
	StatusRevokedEarlier Status = "revoked_earlier" // revoked in an earlier year: not graded again
)

// statusOrder orders unranked platforms.
var statusOrder = map[Status]int{
	StatusAssessed: 0, StatusNoReport: 1, StatusRectifying: 2, StatusDataError: 3, StatusConflict: 4,
	StatusIncomplete: 5, StatusRevoked: 6, StatusNotDue: 7, StatusRevokedEarlier: 8,
}

// Outcome is one platform's result for the year.
type Outcome struct {
	ID       string
	Name     string
	Subtype  string // sub-type code, "" for programmes without
	League   string // league code
	LeadUnit string
	Approved time.Time

	Status Status
	// Before and After are the platform's status before and after the year.
	Before, After dataset.PlatformStatus
	// Transition is the year's change of status, if any.
	Transition *Change
	// NextDue is, for a platform not due, the year its status assessment is
	// next due.
	NextDue int

	// Assessments holds one result per assessment of the programme, the status
	// assessment first.
	Assessments []*AssessmentResult
	Grants      []Grant
	Reasons     []Reason
	// Report is the platform's report row: the one assessed, or the one
	// refused for a data error; of row 0 when there is none. (A row rather
	// than its location: a national roster's outcomes are many.)
	Report dataset.RowRef

	// indicators holds the indicator values of the outcome's report, at row
	// indicatorRow (Indicators, Indicator); nil when its report was not read.
	indicators   *indicatorColumns
	indicatorRow int32
	// gates holds the checks of the programme's gates, at row gateRow
	// (Gates); nil when its report was not read.
	gates   *gateColumns
	gateRow int32
	// statePart is what the platform's state after the year holds beyond
	// the outcome; nil for a platform not yet approved, which has no state.
	statePart *statePart
	// scratch is the memory of an outcome decoded from a store, which
	// Programme.Done reuses; nil for one held as a struct.
	scratch *scratch
}

// Main returns the result of the status assessment.
func (o *Outcome) Main() *AssessmentResult { return o.Assessments[0] }

// Assessment returns the result of the assessment with the given key.
func (o *Outcome) Assessment(key string) *AssessmentResult {
	for _, a := range o.Assessments {
		if a.Config.Key == key {
			return a
		}
	}
	return nil
}

// AssessmentResult is a platform's result in one assessment. Its flags are
// kept together, in one word: a run keeps one for every platform and
// assessment.
type AssessmentResult struct {
	Config *config.Assessment
	Due    bool // due this year: by schedule, or because a rectification window ends
	Review bool // due because a rectification window ends
	// Graded is set when Grade holds a grade: from a score, or by the
	// assessment's no_report rule.
	Graded bool
	Scored bool    // graded from a score; only scored results are ranked
	Tied   bool    // shares its rank with another platform
	Score  float64 // the final score, rounded; meaningful when Scored
	// Quantitative is the indicator score, rounded.
	Quantitative float64
	Expert       *ExpertPanel // nil when the assessment has no panel
	Grade        string       // grade code
	Rank         int          // 1-based among the scored; 0 when not ranked
	// SubtypeRank is, on the status assessment of a programme whose
	// sub-types are scored against different targets, the rank among the
	// ranked platforms of the sub-type: 1 + those of them ranked strictly
	// higher, so that ties stay ties (SubtypeTied). 0 otherwise.
	SubtypeRank int
	SubtypeTied bool
}

// ExpertPanel is an expert panel's contribution to a score.
type ExpertPanel struct {
	Scores  []float64 // all scores, ascending
	Kept    []float64 // the scores left after trimming
	Mean    float64   // trimmed mean, rounded
	Applied bool      // false: too few scores, the panel did not count
}

// GateResult is the check of one gate.
type GateResult struct {
	Key     string
	Applies bool     // the gate's `when` holds for this platform
	Checked bool     // every value the rule reads was present
	Passed  bool     // meaningful when Checked
	Missing []string // variables the rule needed but the platform lacked
	Values  Values   // the variables the rule read that were present
}

// Value is a rule variable's value as a rule read it.
type Value struct {
	Name  string
	Value float64
}

// Values are the variables a rule read, sorted by name: a few a rule, kept
// for every platform, so a slice rather than a map.
type Values []Value

// union returns the variables of vs and more, sorted by name; a variable in
// both keeps its value in more.
func (vs Values) union(more Values) Values {
	out := make(Values, 0, len(vs)+len(more))
	i, j := 0, 0
	for i < len(vs) || j < len(more) {
		switch {
		case j == len(more) || i < len(vs) && vs[i].Name < more[j].Name:
			out = append(out, vs[i])
			i++
		case i == len(vs) || more[j].Name < vs[i].Name:
			out = append(out, more[j])
			j++
		default:
			out = append(out, more[j])
			i, j = i+1, j+1
		}
	}
	return out
}

// Reason explains part of an outcome and cites the clause it rests on.
type Reason struct {
	Text   string
	Clause string // "doc_key section", as in the configuration
}

// ChangeKind is a kind of entry in the changes list.
type ChangeKind string

// Kinds of change.
const (
	ChangeRectification ChangeKind = "entered_rectification"
	ChangeRestored      ChangeKind = "restored"
	ChangeRevoked       ChangeKind = "revoked"
	ChangeNotDue        ChangeKind = "not_due"
)

// changeOrder orders the changes list.
var changeOrder = map[ChangeKind]int{ChangeRevoked: 0, ChangeRectification: 1, ChangeRestored: 2, ChangeNotDue: 3}

// Change is an entry of the year's changes list: a status change with the
// clause it rests on, or a platform not due with the year it becomes due.
type Change struct {
	Programme string
	ID, Name  string
	League    string    // league code, as the outcome's
	Approved  time.Time // approval date, as the outcome's
	Kind      ChangeKind
	// Until is the year of re-grading for a rectification, the year due for a
	// platform not due; 0 otherwise.
	Until  int
	Text   string
	Clause string
}

// Grant is a fund a platform is eligible for this year.
type Grant struct {
	Fund *config.Fund
	// Inputs are the values the fund's condition and formula read.
	Inputs Values
	// Computed is the amount before the cap; Amount after it. Both are 0 when
	// the amount is open (no formula, no amount in the rules).
	Computed, Amount float64
	Capped           bool
	Open             bool // the rules set no amount: eligible, amount to be set
	// Refused is set when max_times was already reached; Times is how many
	// times the fund has been granted to the platform, this year included.
	// (The flags are kept together, in one word.)
	Refused bool
	Times   int
	Reason  string // why not computed or refused, "" when granted
}
