package assess

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"assessor/config"
	"assessor/dataset"
	"assessor/internal/golden"
)

// row is a table row for a test dataset: column key → value (string, float64,
// int for a year, time.Time for a date); absent keys are null.
type row map[string]any

// builder assembles a dataset from rows, one source sheet per table.
type builder struct {
	t    *testing.T
	cfg  *config.Config
	mem  *memory.CheckedAllocator
	rows map[string][]row
	set  *dataset.Set
	// batch, when set, is the rows per record of each table (a sheet read
	// in batches); otherwise a table is one record.
	batch int
}

func newBuilder(t *testing.T, cfg *config.Config) *builder {
	return &builder{t: t, cfg: cfg, mem: memory.NewCheckedAllocator(memory.NewGoAllocator()), rows: map[string][]row{}}
}

func (b *builder) add(table string, rs ...row) *builder {
	b.rows[table] = append(b.rows[table], rs...)
	return b
}

// build makes the dataset; rows are numbered from 2 in a sheet named after the
// table, in a file named <table>.xlsx.
func (b *builder) build() *dataset.Set {
	set := &dataset.Set{Tables: map[string]arrow.Table{}}
	for _, tb := range append(b.cfg.Tables(), b.cfg.PublishedTable()) {
		rs, ok := b.rows[tb.Key]
		if !ok {
			continue
		}
		src := dataset.Source{File: tb.Key + ".xlsx", Sheet: tb.Key, Table: tb.Key, HeaderRow: 1,
			Columns: map[string]int{}, Headers: map[string]string{}}
		for i, col := range tb.Columns {
			src.Columns[col.Key] = i
			src.Headers[col.Key] = col.Name
		}
		idx := int32(len(set.Sources))
		set.Sources = append(set.Sources, src)
		schema := dataset.Schema(tb)
		rb := array.NewRecordBuilder(b.mem, schema)
		var recs []arrow.Record
		for n, r := range rs {
			if b.batch > 0 && n > 0 && n%b.batch == 0 {
				recs = append(recs, rb.NewRecord())
			}
			rb.Field(0).(*array.Int32Builder).Append(idx)
			rb.Field(1).(*array.Int32Builder).Append(int32(n + 2))
			for _, col := range tb.Columns {
				if raw := schema.FieldIndices(dataset.RawField(col.Key)); len(raw) == 1 {
					rb.Field(raw[0]).AppendNull()
				}
				fb := rb.Field(schema.FieldIndices(col.Key)[0])
				v, ok := r[col.Key]
				if !ok || v == nil {
					fb.AppendNull()
					continue
				}
				switch fb := fb.(type) {
				case *array.StringBuilder:
					fb.Append(v.(string))
				case *array.Int32Builder:
					fb.Append(int32(v.(int)))
				case *array.Date32Builder:
					fb.Append(arrow.Date32FromTime(v.(time.Time)))
				case *array.Float64Builder:
					fb.Append(toFloat(v))
				}
			}
		}
		recs = append(recs, rb.NewRecord())
		rb.Release()
		set.Tables[tb.Key] = array.NewTableFromRecords(schema, recs)
		for _, rec := range recs {
			rec.Release()
		}
	}
	b.set = set
	b.t.Cleanup(func() {
		set.Release()
		b.mem.AssertSize(b.t, 0)
	})
	return set
}

func toFloat(v any) float64 {
	switch v := v.(type) {
	case int:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("not a number: %v", v))
}

func defaultConfig(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// centre is a register row of a technology innovation centre.
func centre(id string, approved time.Time) row {
	return row{"id": id, "name": "中心" + id, "programme": "tic", "league": "baotou", "approved": approved, "lead_unit": "牵头单位"}
}

// ticReport is a centre's report scoring `fraction` of every target: with
// fraction ≥ 1 every indicator earns its full weight.
func ticReport(id string, year int, fraction float64) row {
	return row{"id": id, "year": year,
		"rd_spend": 3000 * fraction, "key_technologies": 5 * fraction, "invention_patents": 10 * fraction,
		"results_transferred": 5 * fraction, "service_revenue": 1000 * fraction, "spinoff_firms": 3 * fraction,
		"smes_served":    50 * fraction,
		"committee_size": 12, "committee_insiders": 3, "director_months": 11, "matching_funds": 900, "fiscal_support": 800}
}

func outcome(t *testing.T, res *Result, programme, id string) *Outcome {
	t.Helper()
	for _, p := range res.Programmes {
		if p.Config.Key() != programme {
			continue
		}
		for _, o := range p.Outcomes() {
			if o.ID == id {
				return o
			}
		}
	}
	t.Fatalf("no outcome for %s %s", programme, id)
	return nil
}

func TestScoreByHand(t *testing.T) {
	cfg := defaultConfig(t)
	r := ticReport("C1", 2025, 1)
	// Half the R&D target (15 × 0.5 = 7.5), two of five key technologies
	// (15 × 0.4 = 6), patents above target (capped at 10); the rest at target.
	r["rd_spend"], r["key_technologies"], r["invention_patents"] = 1500.0, 2, 30
	set := newBuilder(t, cfg).add("register", centre("C1", day(2020, 10, 9))).add("tic", r).build()
	res, err := Run(cfg, set, 2025, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := outcome(t, res, "tic", "C1")
	want := 7.5 + 6 + 10 + 15 + 20 + 10 + 15
	m := o.Main()
	if o.Status != StatusAssessed || m.Quantitative != want || m.Score != want || m.Grade != "good" || m.Rank != 1 {
		t.Errorf("outcome = %v %v %v rank %d; want assessed %v good rank 1", o.Status, m.Score, m.Grade, m.Rank, want)
	}
	if got := o.Reasons[0]; got.Text != "评估评价：得分 83.5，不低于 75 分，评为良好" || got.Clause != "tic_plan 三(六)2" {
		t.Errorf("grade reason = %+v", got)
	}
	var points float64
	for _, s := range o.Indicators() {
		points += s.Points
	}
	if points != want {
		t.Errorf("indicator points add up to %v, want %v", points, want)
	}
}

func TestRanking(t *testing.T) {
	tests := []struct {
		name      string
		tieBreak  []string
		fractions []float64 // of every target, for C1, C2, ...
		revenue   []float64 // service_revenue when set: above its target of 1000 it earns the same points
		wantRanks []int     // in id order
		wantTied  []bool
	}{
		{"distinct scores", nil, []float64{1, 0.9, 0.8, 0.7}, nil, []int{1, 2, 3, 4}, []bool{false, false, false, false}},
		{"ties share a rank", nil, []float64{1, 0.8, 0.8, 0.7}, nil, []int{1, 2, 2, 4}, []bool{false, true, true, false}},
		{"all tied", nil, []float64{0.5, 0.5, 0.5}, nil, []int{1, 1, 1}, []bool{true, true, true}},
		{"equal scores, tie-break separates", []string{"service_revenue"}, []float64{1, 0.8, 0.8, 0.7}, []float64{1000, 1700, 1750, 1600},
			[]int{1, 3, 2, 4}, []bool{false, false, false, false}},
		{"equal on the tie-break too", []string{"service_revenue"}, []float64{1, 0.8, 0.8, 0.7}, []float64{1000, 1700, 1700, 1600},
			[]int{1, 2, 2, 4}, []bool{false, true, true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := defaultConfig(t)
			cfg.Programmes["tic"].TieBreak = tt.tieBreak
			b := newBuilder(t, cfg)
			for i, f := range tt.fractions {
				id := fmt.Sprintf("C%d", i+1)
				r := ticReport(id, 2025, f)
				if tt.revenue != nil {
					r["service_revenue"] = tt.revenue[i]
				}
				b.add("register", centre(id, day(2020, 1, 1))).add("tic", r)
			}
			res, err := Run(cfg, b.build(), 2025, nil)
			if err != nil {
				t.Fatal(err)
			}
			var ranks []int
			var tied []bool
			for i := range tt.fractions {
				o := outcome(t, res, "tic", fmt.Sprintf("C%d", i+1))
				ranks = append(ranks, o.Main().Rank)
				tied = append(tied, o.Main().Tied)
			}
			if !reflect.DeepEqual(ranks, tt.wantRanks) || !reflect.DeepEqual(tied, tt.wantTied) {
				t.Errorf("ranks %v tied %v; want %v %v", ranks, tied, tt.wantRanks, tt.wantTied)
			}
			// Outcomes are listed by rank, then id.
			prog := res.Programmes[2]
			for i := 1; i < prog.Len(); i++ {
				prev, o := prog.Outcome(i-1), prog.Outcome(i)
				a, b := prev.Main(), o.Main()
				if b.Rank < a.Rank || b.Rank == a.Rank && o.ID < prev.ID {
					t.Errorf("listed out of order: %s (%d) after %s (%d)", o.ID, b.Rank, prev.ID, a.Rank)
				}
			}
		})
	}
}

func TestRoundingAtCutOff(t *testing.T) {
	cfg := defaultConfig(t)
	// 84.996 rounds to 85.00: excellent, and tied with 85.004.
	a, b := ticReport("A", 2025, 1), ticReport("B", 2025, 1)
	a["smes_served"] = 50 * (1 - 15.004/15) // loses 15.004 points: 84.996
	b["smes_served"] = 50 * (1 - 14.996/15) // loses 14.996 points: 85.004
	set := newBuilder(t, cfg).add("register", centre("A", day(2020, 1, 1)), centre("B", day(2020, 1, 1))).add("tic", a, b).build()
	res, err := Run(cfg, set, 2025, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"A", "B"} {
		m := outcome(t, res, "tic", id).Main()
		if m.Score != 85 || m.Grade != "excellent" || m.Rank != 1 || !m.Tied {
			t.Errorf("%s: score %v grade %s rank %d tied %v; want 85 excellent 1 tied", id, m.Score, m.Grade, m.Rank, m.Tied)
		}
	}
}

func TestStatuses(t *testing.T) {
	cfg := defaultConfig(t)
	b := newBuilder(t, cfg).
		add("register",
			centre("OK", day(2020, 1, 1)),
			centre("NOREPORT", day(2020, 1, 1)),
			centre("LATE", day(2026, 3, 1)),
			centre("BAD", day(2020, 1, 1)),
			centre("TWICE", day(2020, 1, 1)),
			centre("DUPREG", day(2020, 1, 1)), centre("DUPREG", day(2021, 1, 1)),
			row{"id": "ENC", "name": "飞地", "programme": "enclave", "subtype": "gov_led", "league": "baotou", "approved": day(2022, 1, 1)},
		).
		add("tic",
			ticReport("OK", 2025, 1), ticReport("OK", 2024, 0.5),
			ticReport("LATE", 2025, 1),
			ticReport("TWICE", 2025, 1), ticReport("TWICE", 2025, 0.9),
			ticReport("GHOST", 2025, 1),
			ticReport("ENC", 2025, 1),
		)
	set := b.build()
	set.Rejected = []dataset.RejectedRow{
		{Table: "tic", ID: "BAD", Year: 2025, Source: 1, Row: 40},
		{Table: "tic", ID: "OK", Year: 2023, Source: 1, Row: 41},
		{Table: "register", ID: "LOST", Source: 0, Row: 50},
	}
	res, err := Run(cfg, set, 2025, nil)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		status Status
		grade  string
		after  dataset.PlatformStatus
	}
	want := map[string]result{
		"OK": {StatusAssessed, "excellent", dataset.Active}, "NOREPORT": {StatusNoReport, "", dataset.Revoked},
		"LATE": {StatusNotDue, "", dataset.Active}, "BAD": {StatusDataError, "", dataset.Active},
		"TWICE": {StatusConflict, "", dataset.Active}, "DUPREG": {StatusConflict, "", dataset.Active},
	}
	got := map[string]result{}
	var order []string
	for _, o := range res.Programmes[2].Outcomes() {
		got[o.ID] = result{o.Status, o.Main().Grade, o.After}
		order = append(order, o.ID)
		if len(o.Reasons) == 0 {
			t.Errorf("%s has no reason", o.ID)
		}
		for _, r := range o.Reasons {
			if r.Clause == "" || cfg.Cite(r.Clause) == r.Clause {
				t.Errorf("%s: reason %q cites %q", o.ID, r.Text, r.Clause)
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statuses = %v\nwant %v", got, want)
	}
	if strings.Join(order, ",") != "OK,NOREPORT,BAD,DUPREG,TWICE,LATE" {
		t.Errorf("order = %v", order)
	}
	if res.Unused["tic"] != 1 {
		t.Errorf("unused rows = %d, want 1 (OK's 2024 report)", res.Unused["tic"])
	}

	codes := map[string][]string{}
	for _, p := range res.Problems {
		codes[p.Code] = append(codes[p.Code], p.Location.String())
	}
	wantCodes := map[string][]string{
		"duplicate_register":     {"register.xlsx [register] A7", "register.xlsx [register] A8"},
		"no_reports":             {""}, // the enclave programme has a platform but no reports
		"duplicate_report":       {"tic.xlsx [tic] A5", "tic.xlsx [tic] A6"},
		"unknown_platform":       {"tic.xlsx [tic] A7"},
		"programme_mismatch":     {"tic.xlsx [tic] A8"},
		"report_before_approval": {"tic.xlsx [tic] A4"},
	}
	if !reflect.DeepEqual(codes, wantCodes) {
		t.Errorf("problems = %v\nwant %v", codes, wantCodes)
	}
}

func TestGates(t *testing.T) {
	cfg := defaultConfig(t)
	enclave := func(id, subtype string) row {
		return row{"id": id, "name": id, "programme": "enclave", "subtype": subtype, "league": "baotou", "approved": day(2022, 1, 1)}
	}
	report := func(id string, area, staff any) row {
		r := row{"id": id, "year": 2025, "research_projects": 5, "contract_turnover": 1000, "results_transferred": 5,
			"firms_incubated": 5, "project_investment": 2000, "talents_attracted": 20, "rd_spend_nonfiscal": 300, "target_completion": 100}
		if area != nil {
			r["office_area"] = area
		}
		if staff != nil {
			r["fulltime_staff"] = staff
		}
		return r
	}
	set := newBuilder(t, cfg).
		add("register", enclave("SMALL", "gov_led"), enclave("SELF", "outbound"), enclave("NOAREA", "gov_led"), enclave("FINE", "gov_led")).
		add("enclave", report("SMALL", 150, 6), report("SELF", 150, 4), report("NOAREA", nil, 6), report("FINE", 250, 6)).
		build()
	res, err := Run(cfg, set, 2025, nil)
	if err != nil {
		t.Fatal(err)
	}
	failed := func(o *Outcome) []string {
		var out []string
		for _, g := range o.Gates() {
			switch {
			case !g.Applies:
			case !g.Checked:
				out = append(out, g.Key+"?")
			case !g.Passed:
				out = append(out, g.Key)
			}
		}
		return out
	}
	tests := []struct {
		id     string
		failed []string
		reason string
	}{
		{"SMALL", []string{"gov_led_office_area"}, "未满足“办公场地不少于200平方米”（办公场地面积 150 平方米）"},
		{"SELF", []string{"fulltime_staff"}, "未满足“全职人员不少于5名”（全职人员数 4 人）"},
		{"NOAREA", []string{"gov_led_office_area?"}, "无法核验“办公场地不少于200平方米”：缺少办公场地面积"},
		{"FINE", nil, ""},
	}
	for _, tt := range tests {
		o := outcome(t, res, "enclave", tt.id)
		if got := failed(o); !reflect.DeepEqual(got, tt.failed) {
			t.Errorf("%s failed gates %v, want %v", tt.id, got, tt.failed)
		}
		if g := o.Main().Grade; g != "pass" {
			t.Errorf("%s: a warning gate changed the grade to %s", tt.id, g)
		}
		if tt.reason != "" && !hasReason(o, tt.reason) {
			t.Errorf("%s reasons %v lack %q", tt.id, o.Reasons, tt.reason)
		}
	}

	// With effect "fail" the same gate fails the platform.
	cfg.Programmes["enclave"].Gates[0].Effect = config.EffectFail
	res, err = Run(cfg, set, 2025, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o := outcome(t, res, "enclave", "SMALL"); o.Main().Grade != "fail" || !hasReason(o, "未满足“办公场地不少于200平方米”，年度考核评为不合格") ||
		o.After != dataset.Rectifying {
		t.Errorf("SMALL with a failing gate: grade %s, after %s, reasons %v", o.Main().Grade, o.After, o.Reasons)
	}
}

func hasReason(o *Outcome, text string) bool {
	for _, r := range o.Reasons {
		if r.Text == text {
			return true
		}
	}
	return false
}

func TestDerivedDivisionByZero(t *testing.T) {
	cfg := defaultConfig(t)
	zone := row{"id": "Z", "name": "园区", "programme": "demo_zone", "league": "baotou", "approved": day(2022, 1, 1)}
	rep := row{"id": "Z", "year": 2025, "service_institutions": 15, "brokers": 20, "contract_turnover": 10000, "contract_count": 100,
		"hitech_firms": 50, "park_firms": 0, "rd_spend": 300, "park_gdp": 10000, "hitech_revenue": 50, "park_revenue": 100}
	set := newBuilder(t, cfg).add("register", zone).add("demo_zone", rep).build()
	res, err := Run(cfg, set, 2025, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := outcome(t, res, "demo_zone", "Z")
	// Everything at target but the firm share, which cannot be computed; no
	// expert panel, so the indicator score alone counts.
	if m := o.Main(); m.Score != 85 || m.Grade != "excellent" {
		t.Errorf("score %v grade %s, want 85 excellent", m.Score, m.Grade)
	}
	if !hasReason(o, "无法计算高企和科技型中小企业占比（hitech_firms / park_firms * 100 的除数为 0）") {
		t.Errorf("reasons %v", o.Reasons)
	}
}

func TestNoRegister(t *testing.T) {
	cfg := defaultConfig(t)
	set := newBuilder(t, cfg).add("tic", ticReport("C1", 2025, 1)).build()
	res, err := Run(cfg, set, 2025, nil)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, p := range res.Problems {
		codes = append(codes, p.Code)
	}
	if !reflect.DeepEqual(codes, []string{"no_register", "unknown_platform"}) {
		t.Errorf("problems %v", codes)
	}
}

func TestCheckAllYears(t *testing.T) {
	cfg := defaultConfig(t)
	set := newBuilder(t, cfg).
		add("register", centre("C1", day(2020, 1, 1)), centre("C1", day(2020, 1, 1))).
		add("tic", ticReport("C1", 2024, 1), ticReport("X", 2025, 1)).
		build()
	problems, err := Check(cfg, set)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Code+"@"+p.Cell)
	}
	want := []string{"duplicate_register@A2", "duplicate_register@A3", "unknown_platform@A3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Check = %v, want %v (register conflicts once, not once per year)", got, want)
	}
}

// TestGolden renders a small scenario's outcomes with their reasons and compares
// them to testdata/outcomes.golden; run with -update to rewrite it.
func TestGolden(t *testing.T) {
	cfg := defaultConfig(t)
	half := ticReport("C2", 2025, 0.5)
	half["director_months"] = 7
	set := newBuilder(t, cfg).
		add("register", centre("C1", day(2020, 10, 9)), centre("C2", day(2021, 3, 1)), centre("C3", day(2022, 5, 1)), centre("C4", day(2026, 1, 5))).
		add("tic", ticReport("C1", 2025, 0.9), half).
		build()
	res, err := Run(cfg, set, 2025, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range res.Programmes {
		for _, o := range p.Outcomes() {
			m := o.Main()
			fmt.Fprintf(&b, "%s %s rank=%d score=%v grade=%s status=%s %s→%s\n", p.Config.Key(), o.ID, m.Rank, m.Score, m.Grade, o.Status, o.Before, o.After)
			for _, r := range o.Reasons {
				fmt.Fprintf(&b, "  - %s 〔%s〕\n", r.Text, cfg.Cite(r.Clause))
			}
		}
	}
	golden.Check(t, "outcomes.golden", b.String())
}

func TestReportDiffersFromRegister(t *testing.T) {
	cfg := defaultConfig(t)
	reg := []row{regRow("E", "enclave", "gov_led", day(2020, 1, 1))}
	r := reportFor(cfg, reg, "E", 2025, 1)
	r["league"], r["subtype"] = "hohhot", "outbound"
	set := newBuilder(t, cfg).add("register", reg...).add("enclave", r).build()
	res, err := Run(cfg, set, 2025, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range res.Problems {
		if p.Code == "differs_from_register" {
			got = append(got, p.Column+":"+p.Raw+"≠"+p.Expected)
		}
	}
	if strings.Join(got, ",") != "所在盟市:呼和浩特市≠包头市,建设模式:飞出平台≠政府主导型" {
		t.Errorf("cross-check problems %v", got)
	}
	// The register counts: the platform is assessed as registered.
	if o := find(res, "E"); o.League != "baotou" || o.Subtype != "gov_led" || o.Status != StatusAssessed {
		t.Errorf("outcome %+v", o)
	}
}

func TestValuesUnion(t *testing.T) {
	v := func(pairs ...any) Values {
		var out Values
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, Value{Name: pairs[i].(string), Value: pairs[i+1].(float64)})
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		a, b, out Values
	}{
		{"both empty", nil, nil, v()},
		{"one side", v("a", 1.0), nil, v("a", 1.0)},
		{"other side", nil, v("b", 2.0), v("b", 2.0)},
		{"interleaved", v("a", 1.0, "c", 3.0), v("b", 2.0, "d", 4.0), v("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0)},
		{"shared name keeps the second", v("a", 1.0, "b", 2.0), v("b", 5.0, "c", 3.0), v("a", 1.0, "b", 5.0, "c", 3.0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.a.union(tc.b)
			if !slices.Equal(got, tc.out) {
				t.Errorf("union = %v, want %v", got, tc.out)
			}
		})
	}
}

// TestSubtypeRanks checks ranks within a sub-type: 1 + the sub-type's
// platforms ranked strictly higher in the programme, so that ties stay
// ties, and a tie in the programme across sub-types is no tie within one.
func TestSubtypeRanks(t *testing.T) {
	cfg := defaultConfig(t)
	fractions := []struct {
		id, subtype string
		fraction    float64
	}{
		{"O1", "outbound", 0.95}, {"G1", "gov_led", 0.9}, {"O2", "outbound", 0.8}, {"O3", "outbound", 0.8},
		{"G2", "gov_led", 0.8}, {"O4", "outbound", 0.5},
	}
	var reg []row
	for _, f := range fractions {
		reg = append(reg, regRow(f.id, "enclave", f.subtype, day(2020, 1, 1)))
	}
	reg = append(reg, regRow("C", "tic", "", day(2019, 1, 1)))
	b := newBuilder(t, cfg).add("register", reg...).add("tic", reportFor(cfg, reg, "C", 2023, 1))
	for _, f := range fractions {
		b.add("enclave", reportFor(cfg, reg, f.id, 2023, f.fraction))
	}
	res, err := Run(cfg, b.build(), 2023, nil)
	if err != nil {
		t.Fatal(err)
	}
	type ranks struct {
		rank, subtypeRank int
		tied, subtypeTied bool
	}
	want := map[string]ranks{
		"O1": {1, 1, false, false}, "G1": {2, 1, false, false},
		"O2": {3, 2, true, true}, "O3": {3, 2, true, true}, "G2": {3, 2, true, false},
		"O4": {6, 4, false, false},
	}
	for id, w := range want {
		ar := find(res, id).Main()
		if got := (ranks{ar.Rank, ar.SubtypeRank, ar.Tied, ar.SubtypeTied}); got != w {
			t.Errorf("%s: rank %d (tied %v), sub-type rank %d (tied %v); want %d (%v), %d (%v)",
				id, got.rank, got.tied, got.subtypeRank, got.subtypeTied, w.rank, w.tied, w.subtypeRank, w.subtypeTied)
		}
	}
	// A programme whose sub-types share their targets ranks no sub-type.
	if c := find(res, "C").Main(); c.Rank != 1 || c.SubtypeRank != 0 {
		t.Errorf("centre C: rank %d, sub-type rank %d; want 1 and none (centres have no sub-type rules)", c.Rank, c.SubtypeRank)
	}
	for _, o := range res.Programmes[2].Outcomes() {
		if o.Main().SubtypeRank != 0 {
			t.Errorf("%s: sub-type rank %d in a programme without sub-type rules", o.ID, o.Main().SubtypeRank)
		}
	}
}
