package assess

import (
	"errors"
	"maps"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"assessor/config"
	"assessor/dataset"
)

// yearData is one year's input in a scenario.
type yearData struct {
	reports  map[string]float64   // id → fraction of every target: 1 earns full points, 0.4 earns 40
	rejected []string             // ids whose report row was refused at ingest
	twice    []string             // ids reported twice
	events   map[string]string    // id → event type code
	experts  map[string][]float64 // id → the expert panel's scores
}

// expect is what a platform's outcome must be in a year.
type expect struct {
	year   int
	id     string
	status Status
	grade  string // the status assessment's grade, "" for none
	after  dataset.PlatformStatus
	change ChangeKind // "" for no entry in the changes list
	clause string     // a substring of the change's clause, when set
}

// scenario is a register and a run of years, each started from the previous
// year's states.
type scenario struct {
	name     string
	register []row
	first    int // the first year of the history
	years    map[int]yearData
	last     int
	want     []expect
}

// programmeOf finds a platform's programme in a register.
func programmeOf(register []row, id string) string {
	for _, r := range register {
		if r["id"] == id {
			return r["programme"].(string)
		}
	}
	return ""
}

// reportFor builds a report row reaching fraction of every scored target.
func reportFor(cfg *config.Config, register []row, id string, year int, fraction float64) row {
	key := programmeOf(register, id)
	p := cfg.Programmes[key]
	subtype := ""
	for _, r := range register {
		if r["id"] == id {
			subtype, _ = r["subtype"].(string)
		}
	}
	r := row{"id": id, "year": year}
	for _, ind := range p.Inputs() {
		if ind.Weight > 0 {
			r[ind.Key] = ind.TargetFor(subtype) * fraction
		}
	}
	switch key {
	case "demo_zone": // the derived shares: targets 50 %, 3 %, 50 %
		r["hitech_firms"], r["park_firms"] = 50*fraction, 100.0
		r["rd_spend"], r["park_gdp"] = 300*fraction, 10000.0
		r["hitech_revenue"], r["park_revenue"] = 50*fraction, 100.0
	case "enclave":
		r["office_area"], r["fulltime_staff"], r["talent_event_spend"], r["local_support"] = 300.0, 8.0, 10.0, 50.0
	case "tic":
		r["committee_size"], r["committee_insiders"], r["director_months"], r["matching_funds"], r["fiscal_support"] = 12.0, 3.0, 11.0, 900.0, 800.0
	}
	return r
}

// run plays a scenario and returns each year's result.
// statesOf makes the states of res, in order.
func statesOf(res *Result) []dataset.State {
	out := make([]dataset.State, res.States.Len())
	for i := range out {
		out[i] = res.States.At(i)
	}
	return out
}

// comparable returns res with each outcome's indicators and gate checks as
// plain values rather than in the columns of the share that stepped it:
// results stepped in different shares are then equal when their outcomes
// are.
func comparable(res *Result) any {
	type outcome struct {
		Outcome
		Indicators []IndicatorScore
		Gates      []GateResult
	}
	var outcomes [][]outcome
	for _, prog := range res.Programmes {
		var outs []outcome
		for i := range prog.Len() {
			o := prog.Outcome(i) // kept, not given back
			flat := outcome{Outcome: *o}
			flat.indicators, flat.indicatorRow, flat.gates, flat.gateRow, flat.scratch = nil, 0, nil, 0, nil
			for _, s := range o.Indicators() {
				flat.Indicators = append(flat.Indicators, s)
			}
			for _, g := range o.Gates() {
				flat.Gates = append(flat.Gates, g)
			}
			outs = append(outs, flat)
		}
		outcomes = append(outcomes, outs)
	}
	rest := *res
	rest.Programmes, rest.States = nil, nil
	return []any{rest, statesOf(res), outcomes}
}

func (sc scenario) run(t *testing.T, cfg *config.Config) map[int]*Result {
	t.Helper()
	results := map[int]*Result{}
	var prev dataset.History
	for y := sc.first; y <= sc.last; y++ {
		yd := sc.years[y]
		b := newBuilder(t, cfg).add("register", sc.register...)
		b.batch = 3 // several records a table, released as their platforms are stepped
		for _, id := range slices.Sorted(maps.Keys(yd.reports)) {
			b.add(programmeOf(sc.register, id), reportFor(cfg, sc.register, id, y, yd.reports[id]))
		}
		for _, id := range yd.twice {
			r := reportFor(cfg, sc.register, id, y, 1)
			b.add(programmeOf(sc.register, id), r, r)
		}
		for _, id := range slices.Sorted(maps.Keys(yd.events)) {
			b.add(config.TableEvents, row{"id": id, "year": y, "event": yd.events[id], "document": "内科发〔" + id + "〕号"})
		}
		for _, id := range slices.Sorted(maps.Keys(yd.experts)) {
			for i, s := range yd.experts[id] {
				b.add(config.TableExpertScores, row{"id": id, "year": y, "expert": string(rune('甲' + i)), "score": s})
			}
		}
		set := b.build()
		for _, id := range yd.rejected {
			set.Rejected = append(set.Rejected, dataset.RejectedRow{Table: programmeOf(sc.register, id), ID: id, Year: y, Row: 99})
		}
		res, err := Run(cfg, set, y, prev)
		if err != nil {
			t.Fatalf("%d: %v", y, err)
		}
		// Stepped in shares of a platform, one per core, the year comes out
		// the same.
		shared, err := run(cfg, set, y, prev, 1, RunOptions{})
		if err != nil {
			t.Fatalf("%d in shares: %v", y, err)
		}
		if !reflect.DeepEqual(comparable(res), comparable(shared)) {
			t.Fatalf("%d: stepped in shares, the result differs", y)
		}
		// With the outcomes held compactly, in shares and not, too.
		// Their files are gone from the folder as soon as made.
		for _, share := range []int{1, stepShare} {
			dir := t.TempDir()
			compact, err := run(cfg, set, y, prev, share, RunOptions{Compact: true, Dir: dir})
			if err != nil {
				t.Fatalf("%d held compactly: %v", y, err)
			}
			if left, _ := os.ReadDir(dir); len(left) > 0 {
				t.Fatalf("%d held compactly: %d files left in the folder, the first %s", y, len(left), left[0].Name())
			}
			if !reflect.DeepEqual(comparable(res), comparable(compact)) {
				t.Fatalf("%d: held compactly in shares of %d, the result differs", y, share)
			}
			if err := errors.Join(compact.Err(), compact.Close()); err != nil {
				t.Fatalf("%d held compactly: %v", y, err)
			}
		}
		// With the input's tables released once read, too; last, as it
		// leaves the set without them.
		released, err := RunReleasing(cfg, set, y, prev)
		if err != nil {
			t.Fatalf("%d with the tables released: %v", y, err)
		}
		if set.Tables != nil {
			t.Fatalf("%d: RunReleasing left the set's tables", y)
		}
		if !reflect.DeepEqual(comparable(res), comparable(released)) {
			t.Fatalf("%d: with the tables released once read, the result differs", y)
		}
		results[y] = res
		prev = dataset.History{}
		for _, s := range statesOf(res) {
			prev[s.ID] = s
		}
	}
	return results
}

// find returns a platform's outcome in a year's result.
func find(res *Result, id string) *Outcome {
	for _, p := range res.Programmes {
		for i := range p.Len() {
			if o := p.Outcome(i); o.ID == id {
				return o // kept, not given back
			}
		}
	}
	return nil
}

func regRow(id, programme, subtype string, approved time.Time) row {
	r := row{"id": id, "name": "平台" + id, "programme": programme, "league": "baotou", "approved": approved, "lead_unit": "牵头单位"}
	if subtype != "" {
		r["subtype"] = subtype
	}
	return r
}

// reportsOf pairs ids with their report fractions.
func reportsOf(ids ...any) map[string]float64 {
	m := map[string]float64{}
	for i := 0; i < len(ids); i += 2 {
		m[ids[i].(string)] = ids[i+1].(float64)
	}
	return m
}

func TestScenarios(t *testing.T) {
	const (
		pass = 1.0 // every target met: 100 points
		fail = 0.4 // 40 points
	)
	tests := []scenario{
		{
			name:     "centre: not due until three years after approval, then yearly",
			register: []row{regRow("C", "tic", "", day(2020, 3, 1))},
			first:    2021, last: 2024,
			years: map[int]yearData{2021: {reports: reportsOf("C", pass)}, 2022: {reports: reportsOf("C", pass)},
				2023: {reports: reportsOf("C", pass)}, 2024: {reports: reportsOf("C", 0.8)}},
			want: []expect{
				{2021, "C", StatusNotDue, "", dataset.Active, ChangeNotDue, "三(六)2"},
				{2022, "C", StatusNotDue, "", dataset.Active, ChangeNotDue, ""},
				{2023, "C", StatusAssessed, "excellent", dataset.Active, "", ""},
				{2024, "C", StatusAssessed, "good", dataset.Active, "", ""},
			},
		},
		{
			name:     "centre approved after June files no report that year, and is revoked when the next is missing",
			register: []row{regRow("C", "tic", "", day(2021, 7, 15))},
			first:    2021, last: 2022,
			years: map[int]yearData{},
			want: []expect{
				{2021, "C", StatusNotDue, "", dataset.Active, ChangeNotDue, "三(六)1"},
				{2022, "C", StatusNoReport, "", dataset.Revoked, ChangeRevoked, "到期不提交年度报告"},
			},
		},
		{
			name:     "centre: fail, then pass inside the window: restored",
			register: []row{regRow("C", "tic", "", day(2019, 1, 1))},
			first:    2022, last: 2023,
			years: map[int]yearData{2022: {reports: reportsOf("C", fail)}, 2023: {reports: reportsOf("C", pass)}},
			want: []expect{
				{2022, "C", StatusAssessed, "fail", dataset.Rectifying, ChangeRectification, "一年整改期"},
				{2023, "C", StatusAssessed, "excellent", dataset.Active, ChangeRestored, ""},
			},
		},
		{
			name:     "centre: fail at the end of the window: revoked, never graded again, reappearing report refused",
			register: []row{regRow("C", "tic", "", day(2019, 1, 1))},
			first:    2022, last: 2024,
			years: map[int]yearData{2022: {reports: reportsOf("C", fail)}, 2023: {reports: reportsOf("C", fail)},
				2024: {reports: reportsOf("C", pass)}},
			want: []expect{
				{2022, "C", StatusAssessed, "fail", dataset.Rectifying, ChangeRectification, ""},
				{2023, "C", StatusAssessed, "fail", dataset.Revoked, ChangeRevoked, "限期整改仍不合格"},
				{2024, "C", StatusRevokedEarlier, "", dataset.Revoked, "", ""},
			},
		},
		{
			name:     "centre: events revoke at once",
			register: []row{regRow("F", "tic", "", day(2019, 1, 1)), regRow("B", "tic", "", day(2019, 1, 1))},
			first:    2022, last: 2023,
			years: map[int]yearData{
				2022: {reports: reportsOf("F", pass, "B", pass), events: map[string]string{"F": "fraud", "B": "lead_unit_stopped"}},
				2023: {reports: reportsOf("F", pass, "B", pass)}},
			want: []expect{
				{2022, "F", StatusRevoked, "", dataset.Revoked, ChangeRevoked, "严重弄虚作假"},
				{2022, "B", StatusRevoked, "", dataset.Revoked, ChangeRevoked, "停产"},
				{2023, "F", StatusRevokedEarlier, "", dataset.Revoked, "", ""},
			},
		},
		{
			name: "centre: every revoking event type",
			register: []row{regRow("R", "tic", "", day(2019, 1, 1)), regRow("L", "tic", "", day(2019, 1, 1)),
				regRow("N", "tic", "", day(2019, 1, 1))},
			first: 2022, last: 2022,
			years: map[int]yearData{2022: {reports: reportsOf("R", pass, "L", pass, "N", pass),
				events: map[string]string{"R": "refused_evaluation", "L": "breach_of_law", "N": "duplicate_application"}}},
			want: []expect{
				{2022, "R", StatusRevoked, "", dataset.Revoked, ChangeRevoked, "无故不参加评估评价"},
				{2022, "L", StatusRevoked, "", dataset.Revoked, ChangeRevoked, "违反国家法律"},
				// An event the programme sets no consequence for is recorded only.
				{2022, "N", StatusAssessed, "excellent", dataset.Active, "", ""},
			},
		},
		{
			name:     "centre: reported twice or refused: not graded, status and window kept",
			register: []row{regRow("T", "tic", "", day(2019, 1, 1)), regRow("R", "tic", "", day(2019, 1, 1))},
			first:    2022, last: 2024,
			years: map[int]yearData{
				2022: {twice: []string{"T"}, reports: reportsOf("R", fail)},
				2023: {reports: reportsOf("T", pass), rejected: []string{"R"}},
				2024: {reports: reportsOf("R", pass)}},
			want: []expect{
				{2022, "T", StatusConflict, "", dataset.Active, "", ""},
				{2022, "R", StatusAssessed, "fail", dataset.Rectifying, ChangeRectification, ""},
				{2023, "T", StatusAssessed, "excellent", dataset.Active, "", ""},
				{2023, "R", StatusDataError, "", dataset.Rectifying, "", ""},
				{2024, "R", StatusAssessed, "excellent", dataset.Active, ChangeRestored, ""},
			},
		},
		{
			name:     "demo zone: every third year from approval, two-year window, restored",
			register: []row{regRow("Z", "demo_zone", "", day(2022, 3, 1)), regRow("Y", "demo_zone", "", day(2023, 3, 1))},
			first:    2023, last: 2027,
			years: map[int]yearData{
				2023: {reports: reportsOf("Z", pass, "Y", pass)}, 2024: {reports: reportsOf("Z", pass, "Y", pass)},
				2025: {reports: reportsOf("Z", fail, "Y", pass)}, 2026: {reports: reportsOf("Z", pass, "Y", pass)},
				2027: {reports: reportsOf("Z", pass, "Y", pass)}},
			want: []expect{
				{2023, "Z", StatusNotDue, "", dataset.Active, ChangeNotDue, ""},
				{2024, "Z", StatusNotDue, "", dataset.Active, ChangeNotDue, ""},
				{2025, "Z", StatusAssessed, "fail", dataset.Rectifying, ChangeRectification, "2年整改期限"},
				{2025, "Y", StatusNotDue, "", dataset.Active, ChangeNotDue, ""}, // a zone a year younger: the next third
				{2026, "Z", StatusRectifying, "", dataset.Rectifying, "", ""},
				{2026, "Y", StatusAssessed, "excellent", dataset.Active, "", ""},
				{2027, "Z", StatusAssessed, "excellent", dataset.Active, ChangeRestored, ""},
			},
		},
		{
			name:     "demo zone: still failing when the window ends: revoked",
			register: []row{regRow("Z", "demo_zone", "", day(2022, 3, 1))},
			first:    2025, last: 2027,
			years: map[int]yearData{2025: {reports: reportsOf("Z", fail)}, 2026: {reports: reportsOf("Z", fail)},
				2027: {reports: reportsOf("Z", fail)}},
			want: []expect{
				{2025, "Z", StatusAssessed, "fail", dataset.Rectifying, ChangeRectification, ""},
				{2026, "Z", StatusRectifying, "", dataset.Rectifying, "", ""},
				{2027, "Z", StatusAssessed, "fail", dataset.Revoked, ChangeRevoked, "到期评估仍不合格"},
			},
		},
		{
			name:     "demo zone: reported twice, an event recorded",
			register: []row{regRow("Z", "demo_zone", "", day(2022, 3, 1)), regRow("F", "demo_zone", "", day(2022, 3, 1))},
			first:    2025, last: 2025,
			years: map[int]yearData{2025: {twice: []string{"Z"}, reports: reportsOf("F", pass),
				events: map[string]string{"F": "fraud"}}},
			want: []expect{
				{2025, "Z", StatusConflict, "", dataset.Active, "", ""},
				{2025, "F", StatusAssessed, "excellent", dataset.Active, "", ""},
			},
		},
		{
			name:     "demo zone: a missing report fails only in an evaluation year",
			register: []row{regRow("Z", "demo_zone", "", day(2022, 3, 1))},
			first:    2024, last: 2025,
			years: map[int]yearData{},
			want: []expect{
				{2024, "Z", StatusNoReport, "", dataset.Active, "", ""},
				{2025, "Z", StatusNoReport, "fail", dataset.Rectifying, ChangeRectification, ""},
			},
		},
		{
			name: "enclave: two consecutive fails revoke; a fail then a pass restores; a missing report fails",
			register: []row{regRow("A", "enclave", "gov_led", day(2021, 3, 1)), regRow("B", "enclave", "outbound", day(2021, 3, 1)),
				regRow("M", "enclave", "inbound", day(2021, 3, 1)), regRow("T", "enclave", "gov_led", day(2021, 3, 1)),
				regRow("L", "enclave", "gov_led", day(2022, 9, 1))},
			first: 2022, last: 2024,
			years: map[int]yearData{
				2022: {reports: reportsOf("A", fail, "B", fail, "T", pass)},
				2023: {reports: reportsOf("A", fail, "B", pass, "M", pass, "L", pass), twice: []string{"T"}},
				2024: {reports: reportsOf("A", pass, "B", pass, "M", pass, "T", pass, "L", pass)}},
			want: []expect{
				{2022, "A", StatusAssessed, "fail", dataset.Rectifying, ChangeRectification, "七(二)"},
				{2023, "A", StatusAssessed, "fail", dataset.Revoked, ChangeRevoked, "连续两年考核不合格"},
				{2024, "A", StatusRevokedEarlier, "", dataset.Revoked, "", ""}, // reappears in the input: refused
				{2023, "B", StatusAssessed, "pass", dataset.Active, ChangeRestored, ""},
				{2022, "M", StatusNoReport, "fail", dataset.Rectifying, ChangeRectification, ""},
				{2023, "M", StatusAssessed, "pass", dataset.Active, ChangeRestored, ""},
				{2023, "T", StatusConflict, "", dataset.Active, "", ""},
				{2022, "L", StatusNotDue, "", dataset.Active, ChangeNotDue, ""}, // filed after June: reports from 2023
				{2023, "L", StatusAssessed, "pass", dataset.Active, "", ""},
			},
		},
		{
			name:     "enclave: fraud is recorded, not a revocation",
			register: []row{regRow("E", "enclave", "gov_led", day(2021, 3, 1))},
			first:    2022, last: 2022,
			years: map[int]yearData{2022: {reports: reportsOf("E", pass), events: map[string]string{"E": "fraud"}}},
			want:  []expect{{2022, "E", StatusAssessed, "pass", dataset.Active, "", ""}},
		},
	}
	for _, sc := range tests {
		t.Run(sc.name, func(t *testing.T) {
			cfg := defaultConfig(t)
			results := sc.run(t, cfg)
			for _, w := range sc.want {
				o := find(results[w.year], w.id)
				if o == nil {
					t.Errorf("%d %s: no outcome", w.year, w.id)
					continue
				}
				var kind ChangeKind
				clause := ""
				if o.Transition != nil {
					kind, clause = o.Transition.Kind, o.Transition.Clause
				}
				if o.Status != w.status || o.Main().Grade != w.grade || o.After != w.after || kind != w.change ||
					!strings.Contains(clause, w.clause) {
					t.Errorf("%d %s: %s grade %q → %s change %q (%s)\nwant %s grade %q → %s change %q (%s)\nreasons: %v",
						w.year, w.id, o.Status, o.Main().Grade, o.After, kind, clause,
						w.status, w.grade, w.after, w.change, w.clause, o.Reasons)
				}
				for _, r := range o.Reasons {
					if cfg.Cite(r.Clause) == r.Clause {
						t.Errorf("%d %s: reason %q cites no known document (%q)", w.year, w.id, r.Text, r.Clause)
					}
				}
			}
			// A revocation is listed once: in its year only.
			revocations := map[string]int{}
			for _, res := range results {
				for _, c := range res.Changes {
					if c.Kind == ChangeRevoked {
						revocations[c.ID]++
					}
				}
			}
			for id, n := range revocations {
				if n != 1 {
					t.Errorf("%s listed as revoked %d times", id, n)
				}
			}
		})
	}
}

func TestRevokedReportIsRefused(t *testing.T) {
	cfg := defaultConfig(t)
	sc := scenario{register: []row{regRow("C", "tic", "", day(2019, 1, 1))}, first: 2022, last: 2023,
		years: map[int]yearData{2022: {events: map[string]string{"C": "fraud"}}, 2023: {reports: reportsOf("C", 1.0)}}}
	results := sc.run(t, cfg)
	var codes []string
	for _, p := range results[2023].Problems {
		codes = append(codes, p.Code)
	}
	if !slices.Contains(codes, "revoked_reported") {
		t.Errorf("2023 problems %v lack revoked_reported", codes)
	}
}

func TestExpertPanel(t *testing.T) {
	cfg := defaultConfig(t)
	reg := []row{regRow("P", "tic", "", day(2019, 1, 1)), regRow("Q", "tic", "", day(2019, 1, 1)), regRow("D", "tic", "", day(2019, 1, 1))}
	sc := scenario{register: reg, first: 2022, last: 2022, years: map[int]yearData{2022: {
		reports: reportsOf("P", 0.8, "Q", 0.8, "D", 0.8),
		experts: map[string][]float64{"P": {60, 100, 70, 90, 80}, "Q": {90, 95}},
	}}}
	res := sc.run(t, cfg)[2022]
	// P: drop 100 and 60, mean of 70, 80, 90 = 80; 80 × 70 % + 80 × 30 % = 80.
	p := find(res, "P").Main()
	if !p.Expert.Applied || p.Expert.Mean != 80 || !reflect.DeepEqual(p.Expert.Kept, []float64{70, 80, 90}) || p.Score != 80 || p.Grade != "good" {
		t.Errorf("P: panel %+v score %v grade %s", p.Expert, p.Score, p.Grade)
	}
	// Q: two scores are fewer than three: the indicator score alone, said so.
	q := find(res, "Q")
	if q.Main().Expert.Applied || q.Main().Score != 80 || !hasReason(q, "评估评价：专家评分不足 3 份（2 份），仅按定量指标评分") {
		t.Errorf("Q: %+v %v", q.Main().Expert, q.Reasons)
	}

	// A panel that lifts a score over a cut-off.
	sc.years[2022].experts["D"] = []float64{100, 100, 100}
	d := find(sc.run(t, cfg)[2022], "D").Main()
	if d.Score != 86 || d.Grade != "excellent" { // 80 × 0.7 + 100 × 0.3
		t.Errorf("D: score %v grade %s, want 86 excellent", d.Score, d.Grade)
	}

	// Without a panel and with missing: not_assessed, the status assessment waits.
	cfg.Programmes["tic"].Assessments["evaluation"].Expert.Missing = config.ExpertMissingNotAssessed
	o := find(sc.run(t, cfg)[2022], "Q")
	if o.Status != StatusIncomplete || o.Main().Graded || o.After != dataset.Active {
		t.Errorf("Q with not_assessed: %s graded %v → %s", o.Status, o.Main().Graded, o.After)
	}
}

func TestDuplicateExpertIsRefused(t *testing.T) {
	cfg := defaultConfig(t)
	b := newBuilder(t, cfg).add("register", regRow("P", "tic", "", day(2019, 1, 1))).
		add("tic", reportFor(cfg, []row{regRow("P", "tic", "", day(2019, 1, 1))}, "P", 2022, 1))
	for _, s := range []float64{80, 85, 90} {
		b.add(config.TableExpertScores, row{"id": "P", "year": 2022, "expert": "张三", "score": s})
	}
	b.add(config.TableExpertScores, row{"id": "P", "year": 2022, "expert": "李四", "score": 70.0})
	res, err := Run(cfg, b.build(), 2022, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range res.Problems {
		if p.Code == "duplicate_expert" {
			n++
		}
	}
	if n != 3 || len(find(res, "P").Main().Expert.Scores) != 1 {
		t.Errorf("%d duplicate_expert problems, panel %+v", n, find(res, "P").Main().Expert)
	}
}

func TestFundsAndAwards(t *testing.T) {
	cfg := defaultConfig(t)
	reg := []row{regRow("G", "enclave", "gov_led", day(2016, 2, 1)), regRow("O", "enclave", "outbound", day(2016, 2, 1))}
	years := map[int]yearData{}
	panel := []float64{90, 95, 100, 85, 92}
	for y := 2019; y <= 2025; y++ {
		years[y] = yearData{reports: reportsOf("G", 2.0, "O", 1.0), experts: map[string][]float64{"G": panel, "O": panel}}
	}
	results := scenario{register: reg, first: 2019, last: 2025, years: years}.run(t, cfg)
	grants := func(y int, id string) map[string]Grant {
		out := map[string]Grant{}
		for _, g := range find(results[y], id).Grants {
			out[g.Fund.Key] = g
		}
		return out
	}
	// Government-led: 2 × targets, 2000 万元 turnover, 4000 万元 investment,
	// 10 万元 events: 10 % × 2000万 + 5 % × 4000万 + 20 % × 10万 = 4,020,000 yuan,
	// capped at 1,000,000.
	g := grants(2020, "G")["gov_led_support"]
	if g.Computed != 4020000 || g.Amount != 1000000 || !g.Capped {
		t.Errorf("gov-led support %+v", g)
	}
	// Outbound: 30 % of 300 万元 = 900,000 yuan, under the cap.
	if o := grants(2020, "O")["outbound_support"]; o.Amount != 900000 || o.Capped {
		t.Errorf("outbound support %+v", o)
	}
	// Inbound, by the configured default: the landing site's 50 万元 × 100 %
	// target completion = 500,000 yuan.
	inbound := scenario{register: []row{regRow("I", "enclave", "inbound", day(2019, 1, 1))}, first: 2020, last: 2020,
		years: map[int]yearData{2020: {reports: reportsOf("I", 1.0)}}}
	var in Grant
	for _, g := range find(inbound.run(t, cfg)[2020], "I").Grants {
		in = g
	}
	if in.Fund == nil || in.Fund.Key != "inbound_support" || in.Amount != 500000 || !slices.Contains(in.Inputs, Value{Name: "local_support", Value: 50}) {
		t.Errorf("inbound support %+v", in)
	}
	// A failed annual assessment earns no support.
	failing := scenario{register: []row{regRow("F", "enclave", "gov_led", day(2019, 1, 1))}, first: 2020, last: 2020,
		years: map[int]yearData{2020: {reports: reportsOf("F", 0.4)}}}
	if g := find(failing.run(t, cfg)[2020], "F").Grants; len(g) != 0 {
		t.Errorf("a failing enclave got %d grants", len(g))
	}
	// The award for an excellent comprehensive evaluation (2019, 2022, 2025),
	// at most twice over the platform's life.
	var history []string
	for _, y := range []int{2019, 2022, 2025} {
		a, ok := grants(y, "G")["excellence_award"]
		if !ok {
			t.Fatalf("%d: no award decision; reasons %v", y, find(results[y], "G").Reasons)
		}
		verdict := "granted"
		if a.Refused {
			verdict = "refused"
		}
		history = append(history, verdict+" "+strconv.Itoa(a.Times))
	}
	if got := strings.Join(history, ", "); got != "granted 1, granted 2, refused 2" {
		t.Errorf("awards: %s", got)
	}
	if _, ok := grants(2020, "G")["excellence_award"]; ok {
		t.Error("an award in a year without a comprehensive evaluation")
	}
	// The comprehensive grade combines the panel: 100 × 60 % + 92.33 × 40 %.
	c := find(results[2022], "G").Assessment("comprehensive")
	if !c.Due || c.Score != 96.93 || c.Grade != "excellent" {
		t.Errorf("comprehensive 2022: due %v score %v grade %s", c.Due, c.Score, c.Grade)
	}
}

// TestRerunGivesSameResult runs a year twice from the same history.
func TestRerunGivesSameResult(t *testing.T) {
	cfg := defaultConfig(t)
	reg := []row{regRow("C", "tic", "", day(2019, 1, 1)), regRow("E", "enclave", "gov_led", day(2020, 1, 1))}
	sc := scenario{register: reg, first: 2022, last: 2022, years: map[int]yearData{2022: {reports: reportsOf("C", 0.4, "E", 0.5)}}}
	prev := dataset.History{}
	for _, s := range statesOf(sc.run(t, cfg)[2022]) {
		prev[s.ID] = s
	}
	var runs []*Result
	for i := 0; i < 2; i++ {
		set := newBuilder(t, cfg).add("register", reg...).
			add("tic", reportFor(cfg, reg, "C", 2023, 1)).add("enclave", reportFor(cfg, reg, "E", 2023, 1)).build()
		res, err := Run(cfg, set, 2023, prev)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, res)
	}
	if !reflect.DeepEqual(statesOf(runs[0]), statesOf(runs[1])) || !reflect.DeepEqual(runs[0].Changes, runs[1].Changes) {
		t.Error("the same year from the same history gave different results")
	}
}

// TestImportThenRun seeds the history from published results and runs the
// next year from it.
func TestImportThenRun(t *testing.T) {
	cfg := defaultConfig(t)
	published := newBuilder(t, cfg).add(config.TablePublished,
		row{"id": "R", "programme": "enclave", "year": 2020, "grade": "fail", "status": "rectifying"},
		row{"id": "R", "programme": "enclave", "year": 2021, "grade": "pass", "status": "active"},
		row{"id": "S", "programme": "enclave", "year": 2021, "grade": "fail", "status": "rectifying"},
		row{"id": "T", "programme": "tic", "year": 2021, "status": "active"},
		row{"id": "X", "programme": "tic", "year": 2021, "status": "revoked"},
		row{"id": "D", "programme": "tic", "year": 2021, "status": "active"},
		row{"id": "D", "programme": "tic", "year": 2021, "status": "active"},
		row{"id": "G", "programme": "enclave", "year": 2021, "grade": "excellent", "status": "active"},
	).build()
	byYear, problems, err := Published(cfg, published)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, p := range problems {
		codes = append(codes, p.Code)
	}
	if strings.Join(codes, ",") != "duplicate_report,grade_not_in_scale" {
		t.Errorf("problems %v", codes)
	}
	if len(byYear[2020]) != 1 || len(byYear[2021]) != 4 {
		t.Fatalf("states by year: %d in 2020, %d in 2021", len(byYear[2020]), len(byYear[2021]))
	}
	prev := dataset.History{}
	for _, s := range byYear[2021] {
		prev[s.ID] = s
	}
	if s := prev["S"]; s.Status != dataset.Rectifying || s.Since != 2021 || s.Review != 2022 || s.FailStreak != 1 || s.Source != dataset.SourceImport {
		t.Errorf("imported S = %+v", s)
	}

	reg := []row{regRow("R", "enclave", "gov_led", day(2019, 1, 1)), regRow("S", "enclave", "gov_led", day(2019, 1, 1)),
		regRow("T", "tic", "", day(2019, 1, 1)), regRow("X", "tic", "", day(2019, 1, 1))}
	set := newBuilder(t, cfg).add("register", reg...).
		add("enclave", reportFor(cfg, reg, "R", 2022, 1), reportFor(cfg, reg, "S", 2022, 0.4)).
		add("tic", reportFor(cfg, reg, "T", 2022, 1), reportFor(cfg, reg, "X", 2022, 1)).build()
	res, err := Run(cfg, set, 2022, prev)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		id     string
		status Status
		after  dataset.PlatformStatus
	}{
		{"R", StatusAssessed, dataset.Active},
		{"S", StatusAssessed, dataset.Revoked}, // failed again after the published fail
		{"T", StatusAssessed, dataset.Active},
		{"X", StatusRevokedEarlier, dataset.Revoked},
	} {
		if o := find(res, w.id); o.Status != w.status || o.After != w.after {
			t.Errorf("%s: %s → %s, want %s → %s", w.id, o.Status, o.After, w.status, w.after)
		}
	}
}
