package assess

import (
	"errors"
	"math"
	"os"
	"reflect"
	"testing"
	"time"

	"assessor/dataset"
)

// TestStoreRoundTrip encodes outcomes unlike each other — empty and nil
// slices, panels, grants with and without inputs, a transition, no state,
// indicator values with and without cell texts, gate checks, texts past
// the ones the store numbers — and decodes each, twice over one scratch in
// turn: each comes back as it went in, with nothing left over from the one
// decoded before.
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
	values := make([]IndicatorValue, len(p.Indicators))
	values[0] = IndicatorValue{Value: 5600, Present: true, Raw: "5,600"}
	values[2] = IndicatorValue{Value: 12.5, Present: true}
	outcomes[0].SetIndicators(p, values)
	outcomes[2].SetIndicators(p, nil)
	gates := newGateColumns(p, 1)
	checks := make([]GateResult, len(p.Gates))
	checks[0] = GateResult{Applies: true, Checked: true, Passed: false}
	checks[1] = GateResult{Applies: false}
	checks[2] = GateResult{Applies: true}
	env := map[string]any{"subtype": "gov_led", "office_area": 150.0, "research_projects": 4.0}
	outcomes[0].gates, outcomes[0].gateRow = gates, gates.add(checks, env)

	dir := t.TempDir()
	s, err := newOutcomeStore(p, len(outcomes), dir)
	if err != nil {
		t.Fatal(err)
	}
	s.textLimit = 4 // "" and three more: the later texts are written out
	s.changes = []*Change{change}
	var buf []byte
	for i, o := range outcomes {
		transition := -1
		if o.Transition != nil {
			transition = 0
		}
		if buf, err = s.add(o, transition, buf); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			if err := s.finish(); err != nil { // the first two read from the file, the last from memory
				t.Fatal(err)
			}
			s.spill.buf = make([]byte, 0, 4096)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("the store's file is in the folder: %s", left[0].Name())
	}
	if len(s.texts.names) != s.textLimit {
		t.Errorf("the store numbered %d texts, want %d", len(s.texts.names), s.textLimit)
	}
	flat := func(o *Outcome) (Outcome, []IndicatorScore, []GateResult) {
		var inds []IndicatorScore
		var gs []GateResult
		for _, v := range o.Indicators() {
			inds = append(inds, v)
		}
		for _, g := range o.Gates() {
			gs = append(gs, g)
		}
		plain := *o
		plain.scratch, plain.indicators, plain.indicatorRow, plain.gates, plain.gateRow = nil, nil, 0, nil, 0
		return plain, inds, gs
	}
	var sc *scratch
	for round := range 3 {
		if round == 2 { // and once loaded back into memory
			if err := s.load(); err != nil {
				t.Fatal(err)
			}
		}
		for i, want := range outcomes {
			got, err := s.outcome(i, sc)
			if err != nil {
				t.Fatalf("round %d, outcome %d: %v", round, i, err)
			}
			sc = got.scratch
			g, gInds, gGates := flat(got)
			w, wInds, wGates := flat(want)
			if !reflect.DeepEqual(g, w) {
				t.Errorf("round %d, outcome %s:\n got %+v\nwant %+v", round, want.ID, g, w)
			}
			if got.HasIndicators() != want.HasIndicators() || !reflect.DeepEqual(gInds, wInds) {
				t.Errorf("round %d, outcome %s: indicators\n got %+v\nwant %+v", round, want.ID, gInds, wInds)
			}
			if got.HasGates() != want.HasGates() || !reflect.DeepEqual(gGates, wGates) {
				t.Errorf("round %d, outcome %s: gates\n got %+v\nwant %+v", round, want.ID, gGates, wGates)
			}
			if got.Transition != nil && got.Transition != change {
				t.Errorf("outcome %s: its transition is a copy, not the worker's change", want.ID)
			}
		}
	}
	if s.spill.f != nil {
		t.Error("the store's file is open once loaded")
	}
	// A record cut short is an error, not a fault.
	last := len(s.spill.blocks) - 1
	s.spill.blocks[last] = s.spill.blocks[last][:len(s.spill.blocks[last])-3]
	if _, err := s.outcome(2, nil); err == nil {
		t.Error("a record cut short decoded without an error")
	}
	// So is a file that cannot be read.
	closed, err := newOutcomeStore(p, 1, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := closed.add(outcomes[0], -1, nil); err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(closed.finish(), closed.close()); err != nil {
		t.Fatal(err)
	}
	if _, err := closed.outcome(0, nil); err == nil {
		t.Error("an outcome read from a closed store without an error")
	}
}

// TestFloatEncoding checks that every float comes back bit for bit, and
// that the figures an assessment is made of take a few bytes, not eight.
func TestFloatEncoding(t *testing.T) {
	for _, tc := range []struct {
		v       float64
		maxSize int
	}{
		{0, 1}, {1, 1}, {-1, 1}, {5, 1}, {72.35, 3}, {2037.83, 3}, {23794200, 4}, {-943.81, 3},
		{math.Copysign(0, -1), 9}, {0.1, 2}, {0.125, 9}, {1.0 / 3, 9}, {1e300, 9}, {math.MaxFloat64, 9},
		{math.SmallestNonzeroFloat64, 9}, {math.Inf(1), 9}, {math.Inf(-1), 9}, {math.NaN(), 9},
		{1 << 52, 9}, {1<<52 - 1, 8}, {-(1<<52 - 1), 8}, {123456.789, 9},
	} {
		b := appendFloat(nil, tc.v)
		d := decoder{b: string(b)}
		got := d.float()
		if d.err || len(d.b) > 0 || math.Float64bits(got) != math.Float64bits(tc.v) {
			t.Errorf("%v: decoded %v (err %v, %d bytes left)", tc.v, got, d.err, len(d.b))
		}
		if len(b) > tc.maxSize {
			t.Errorf("%v: %d bytes, want at most %d", tc.v, len(b), tc.maxSize)
		}
	}
}

// FuzzFloatEncoding checks any float's round trip.
func FuzzFloatEncoding(f *testing.F) {
	for _, v := range []float64{0, 72.35, -1e-9, 1e21, 0.07} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		d := decoder{b: string(appendFloat(nil, v))}
		if got := d.float(); d.err || math.Float64bits(got) != math.Float64bits(v) {
			t.Errorf("%v (%x): decoded %v (%x)", v, math.Float64bits(v), got, math.Float64bits(got))
		}
	})
}

// FuzzOutcomeRecord decodes any bytes as a stored outcome: a damaged record
// is an error or an outcome, never a panic.
func FuzzOutcomeRecord(f *testing.F) {
	cfg := defaultConfig(f)
	p := cfg.Programmes["enclave"]
	s, err := newOutcomeStore(p, 1, f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	o := &Outcome{ID: "A", Name: "飞地", Status: StatusAssessed, Reasons: []Reason{{Text: "得分 88.5"}}}
	for _, a := range p.AssessmentList() {
		o.Assessments = append(o.Assessments, &AssessmentResult{Config: a, Score: 72.35, Graded: true})
	}
	o.SetIndicators(p, []IndicatorValue{{Value: 5600, Present: true, Raw: "5,600"}})
	rec, err := s.add(o, -1, nil)
	if err != nil {
		f.Fatal(err)
	}
	if err := s.load(); err != nil {
		f.Fatal(err)
	}
	f.Add(rec)
	f.Add(rec[:len(rec)/2])
	f.Fuzz(func(t *testing.T, rec []byte) {
		s.spill.blocks, s.spill.from, s.spill.written = []string{string(rec)}, []int64{0}, int64(len(rec))
		_, _ = s.outcome(0, nil)
	})
}
