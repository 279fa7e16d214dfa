package assess

import (
	"slices"

	"assessor/dataset"
)

// statePart is the part of a platform's state after the year that its
// outcome does not hold: the rest is made from the outcome (Result.States).
// The step works on it as it decides the year.
type statePart struct {
	since, review, failStreak int
	grants                    dataset.Entries[int]
}

// state makes the platform's state after the year from the outcome, which
// must have one (statePart set). The state shares no memory with the
// outcome, which may be given back (Programme.Done) once it is made.
func (o *Outcome) state(p *Programme, year int) dataset.State {
	c := o.statePart
	s := dataset.State{ID: o.ID, Programme: p.Config.Key(), Year: year, Status: o.After, Since: c.since, Review: c.review,
		FailStreak: c.failStreak, Outcome: string(o.Status), Grants: slices.Clone(c.grants), Source: dataset.SourceRun}
	for _, ar := range o.Assessments {
		if !ar.Graded {
			continue
		}
		s.Grades.Set(ar.Config.Key, ar.Grade)
		if ar.Scored {
			s.Scores.Set(ar.Config.Key, ar.Score)
		}
	}
	if o.HasIndicators() {
		s.Values = make(dataset.Entries[float64], 0, len(p.Config.Indicators))
		for i, ind := range p.Config.Indicators {
			if v, _ := o.Indicator(i); v.Present {
				s.Values.Set(ind.Key, v.Value)
			}
		}
	}
	return s
}

// yearStates are a result's states: made from its outcomes as they are
// read, and the states carried unchanged for platforms that left the
// register; in the order of the programmes, then by id.
type yearStates struct {
	year         int
	programmes   []*Programme
	refs         []stateRef
	unregistered []dataset.State
}

// stateRef is where a state comes from: the outcome at position at of
// programme p, or, when p is -1, the state at index at of those carried for
// platforms that left the register.
type stateRef struct {
	p, at int32
}

// Len returns the number of states.
func (s *yearStates) Len() int { return len(s.refs) }

// Key returns the programme and id of state i.
func (s *yearStates) Key(i int) (programme, id string) {
	if r := s.refs[i]; r.p >= 0 {
		p := s.programmes[r.p]
		return p.Config.Key(), p.id(int(r.at))
	}
	u := &s.unregistered[s.refs[i].at]
	return u.Programme, u.ID
}

// At makes state i.
func (s *yearStates) At(i int) dataset.State {
	if r := s.refs[i]; r.p >= 0 {
		p := s.programmes[r.p]
		o := p.Outcome(int(r.at))
		defer p.Done(o)
		return o.state(p, s.year)
	}
	return s.unregistered[s.refs[i].at]
}
