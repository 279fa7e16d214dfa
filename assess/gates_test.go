package assess

import (
	"reflect"
	"strings"
	"testing"

	"assessor/config"
)

// TestGateColumns requires the gate checks read back from the columns to be
// the checks as checkGate made them, for every way a check can end: not
// applicable, a when condition lacking a variable, a rule lacking one, a
// rule reading a variable that is not a number, passed and failed.
func TestGateColumns(t *testing.T) {
	yaml := strings.Replace(string(config.DefaultYAML()),
		`when: "subtype == 'gov_led'", rule: "office_area >= 200"`,
		`when: "subtype == 'gov_led' && fulltime_staff > 0", rule: "office_area >= 200 && fulltime_staff >= 1 && subtype == 'gov_led'"`, 1)
	cfg, err := config.Parse(strings.NewReader(yaml))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Programmes["enclave"]
	if w := p.Gates[0].WhenExpr(); w == nil || len(w.Names()) < 2 {
		t.Fatalf("the changed gate was not found: %+v", p.Gates[0])
	}
	envs := []map[string]any{
		{config.SubtypeVar: "gov_led", "office_area": 250.0, "fulltime_staff": 6.0, "research_projects": 5.0, "results_transferred": 5.0},
		{config.SubtypeVar: "gov_led", "office_area": 150.0, "fulltime_staff": 3.0},
		{config.SubtypeVar: "gov_led", "office_area": 250.0}, // fulltime_staff missing: the first gate's when cannot be decided
		{config.SubtypeVar: "outbound", "research_projects": 2.0},
		{config.SubtypeVar: "gov_led", "fulltime_staff": 6.0}, // office_area missing, fulltime_staff read
		{config.SubtypeVar: "outbound"},
	}
	c := newGateColumns(p, 1) // grown as rows come
	var want [][]GateResult
	var m config.Machine
	for _, env := range envs {
		var checks []GateResult
		for _, g := range p.Gates {
			gr, _, err := checkGate(&m, p, g, env)
			if err != nil {
				t.Fatal(err)
			}
			checks = append(checks, gr)
		}
		if row := c.add(checks, env); int(row) != len(want) {
			t.Fatalf("row %d added as %d", len(want), row)
		}
		want = append(want, checks)
	}
	ends := map[string]bool{}
	for r, checks := range want {
		o := &Outcome{gates: c, gateRow: int32(r)}
		var got []GateResult
		for i, gr := range o.Gates() {
			if i != len(got) {
				t.Fatalf("gate %d yielded as %d", len(got), i)
			}
			got = append(got, gr)
		}
		if !reflect.DeepEqual(got, checks) {
			t.Errorf("row %d: read back\n%+v\nchecked\n%+v", r, got, checks)
		}
		for _, gr := range checks {
			switch {
			case !gr.Applies:
				ends["not applicable"] = true
			case !gr.Checked && len(gr.Values) == 0 && len(gr.Missing) > 0:
				ends["missing"] = true
			case !gr.Checked:
				ends["rule missing, some values read"] = true
			case gr.Passed:
				ends["passed"] = true
			default:
				ends["failed"] = true
			}
		}
	}
	if len(ends) != 5 {
		t.Errorf("the cases end only in %v", ends)
	}
	if (&Outcome{}).HasGates() || len(p.Gates) > 0 && !(&Outcome{gates: c}).HasGates() {
		t.Error("HasGates does not say whether an outcome has gate checks")
	}
}
