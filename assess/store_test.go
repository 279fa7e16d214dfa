package assess

import (
	"reflect"
	"testing"
	"time"

	"assessor/dataset"
)

// TestStoreRoundTrip encodes outcomes unlike each other — empty and nil
// slices, panels, grants with and without inputs, a transition, no state
// — and decodes each, twice over one scratch in turn: each comes back as
// it went in, with nothing left over from the one decoded before.
func TestStoreRoundTrip(t *testing.T) {
	cfg := defaultConfig(t)
	p := cfg.Programmes["enclave"]
	results := func(set func(k int, ar *AssessmentResult)) []*AssessmentResult {
		var out []*AssessmentResult
		for k, a := range p.AssessmentList() {
			ar := &AssessmentResult{Config: a}
			if set != nil {
				set(k, ar)
			}
			out = append(out, ar)
		}
		return out
	}
	change := &Change{Programme: "enclave", ID: "B", Kind: ChangeRectification, Until: 2026, Text: "进入整改期", Clause: "enclave_guide 七(二)"}
	outcomes := []*Outcome{
		{ID: "A", Name: "飞地A", Subtype: "gov_led", League: "baotou", LeadUnit: "单位", Approved: time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC),
			Status: StatusAssessed, Before: dataset.Active, After: dataset.Active,
			Assessments: results(func(k int, ar *AssessmentResult) {
				ar.Due, ar.Graded, ar.Scored, ar.Score, ar.Quantitative, ar.Grade = true, true, true, 88.5, 87.25, "pass"
				if k == 1 {
					ar.Expert = &ExpertPanel{Scores: []float64{70, 80.5, 90}, Kept: []float64{80.5}, Mean: 80.5, Applied: true}
				}
			}),
			Grants: []Grant{
				{Fund: p.Funds[0], Inputs: Values{{Name: "contract_turnover", Value: 2000}}, Computed: 4e6, Amount: 1e6, Capped: true, Times: 1},
				{Fund: p.Funds[1], Inputs: Values{}, Open: true, Times: 2, Reason: "未计算"},
				{Fund: p.Funds[2], Refused: true, Times: 3},
			},
			Reasons:   []Reason{{Text: "得分 88.5", Clause: "enclave_guide 七"}, {Text: "得分 88.5", Clause: ""}},
			Report:    dataset.RowRef{Source: 2, Row: 17},
			statePart: &statePart{since: 2021, failStreak: 0, grants: dataset.Entries[int]{{Key: "award", Value: 1}}},
		},
		{ID: "B", Name: "", Subtype: "", League: "", Status: StatusNoReport, Before: dataset.Active, After: dataset.Rectifying,
			Transition: change, NextDue: 2027, Assessments: results(func(k int, ar *AssessmentResult) {
				if k == 0 {
					ar.Expert = &ExpertPanel{Scores: []float64{}, Kept: nil}
				}
			}),
			Grants: []Grant{}, Reasons: []Reason{}, statePart: &statePart{since: 2025, review: 2026, failStreak: 1, grants: dataset.Entries[int]{}},
		},
		{ID: "C", Name: "未批复", Status: StatusNotDue, Before: dataset.Active, After: dataset.Active, NextDue: 2030,
			Approved: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), Assessments: results(nil)},
	}
	s := newOutcomeStore(p, len(outcomes))
	s.changes = []*Change{change}
	var buf []byte
	for _, o := range outcomes {
		transition := -1
		if o.Transition != nil {
			transition = 0
		}
		buf = s.add(o, transition, buf)
	}
	var sc *scratch
	for round := range 2 {
		for i, want := range outcomes {
			got, err := s.outcome(i, sc)
			if err != nil {
				t.Fatalf("round %d, outcome %d: %v", round, i, err)
			}
			sc = got.scratch
			plain := *got
			plain.scratch = nil
			if !reflect.DeepEqual(&plain, want) {
				t.Errorf("round %d, outcome %s:\n got %+v\nwant %+v", round, want.ID, plain, *want)
			}
			if got.Transition != nil && got.Transition != change {
				t.Errorf("outcome %s: its transition is a copy, not the worker's change", want.ID)
			}
		}
	}
	// A record cut short is an error, not a fault.
	s.chunks[0] = s.chunks[0][:len(s.chunks[0])-3]
	if _, err := s.outcome(2, nil); err == nil {
		t.Error("a record cut short decoded without an error")
	}
}
