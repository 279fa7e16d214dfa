package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestDefaultIsValid(t *testing.T) {
	c, err := Default()
	if err != nil {
		for _, fe := range FieldErrors(err) {
			t.Error(fe)
		}
		t.Fatal(err)
	}
	if got, want := strings.Join(c.ProgrammeKeys(), ","), "enclave,demo_zone,tic"; got != want {
		t.Errorf("programme order = %s, want %s", got, want)
	}
	// The grade scales of the documents: pass/fail for the enclave's annual
	// assessment, three grades without "good" for demo zones, four for centres.
	for key, want := range map[string]string{"enclave/annual": "合格,不合格", "enclave/comprehensive": "优秀,良好,合格,不合格",
		"demo_zone/evaluation": "优秀,合格,不合格", "tic/evaluation": "优秀,良好,合格,不合格"} {
		prog, assessment, _ := strings.Cut(key, "/")
		var names []string
		for _, g := range c.Programmes[prog].Assessments[assessment].Grades {
			names = append(names, g.Name)
		}
		if got := strings.Join(names, ","); got != want {
			t.Errorf("%s grades = %s, want %s", key, got, want)
		}
	}
	// Every rule cites a document the configuration knows.
	for _, key := range c.ProgrammeKeys() {
		p := c.Programmes[key]
		for _, ind := range p.Indicators {
			if cite := c.Cite(ind.Clause); cite == ind.Clause {
				t.Errorf("%s.%s: clause %q not resolved", key, ind.Key, ind.Clause)
			}
		}
	}
}

func TestBadConfigs(t *testing.T) {
	tests := []struct {
		file string
		want []string // substrings of the error, key path first
	}{
		{"unknown_key.bad.yml", []string{"has invalid keys: yaer"}},
		{"unknown_indicator_key.bad.yml", []string{"programmes[tic].indicators[0]", "has invalid keys: wieght"}},
		{"weights.bad.yml", []string{"programmes.tic.indicators: weights must add up to 100 (got 90)"}},
		{"grade_overlap.bad.yml", []string{"programmes.tic.assessments.evaluation.grades[1].min: overlaps grades[0] (min 85): minimums must fall strictly (got 90)"}},
		{"grade_gap.bad.yml", []string{"programmes.demo_zone.assessments.evaluation.grades[1].min: the lowest grade must start at 0, or scores below it have no grade (got 10)"}},
		{"rule_typo.bad.yml", []string{"programmes.enclave.gates[0].rule: unknown name fulltime_staf (1:1) (got fulltime_staf >= 5)"}},
		{"rule_type.bad.yml", []string{"programmes.enclave.gates[0].rule: expected bool, but got float64"}},
		{"clause.bad.yml", []string{`programmes.tic.report.clause: unknown document "tic_guide"`}},
		{"cutoff.bad.yml", []string{"programmes.tic.report.due_cutoff: must be a day of the year as MM-DD, such as 06-30 (got 06-31)"}},
		{"no_report_grade.bad.yml", []string{"programmes.demo_zone.assessments.evaluation.no_report.grade: not a grade code of this assessment (got good)"}},
		{"two_status.bad.yml", []string{"programmes.enclave.assessments: exactly one assessment must have affects_status (got 2)"}},
		{"expert.bad.yml", []string{"programmes.tic.assessments.evaluation.expert.min_scores: must leave at least one score after trimming 2 from each end (got 4)"}},
		{"trigger.bad.yml", []string{"programmes.tic.triggers[0].event: not an event type (event_types) nor no_report (got bankrupt)"}},
		{"fund.bad.yml", []string{"programmes.tic.funds[0].when: unknown name grade_evaluaton"}},
		{"fund_formula.bad.yml", []string{"programmes.enclave.funds[0].formula: invalid operation: + (mismatched types float64 and string)"}},
		{"timezone.bad.yml", []string{"run.timezone: not a known time zone (got Asia/Hohhot)"}},
		{"type.bad.yml", []string{"ranking.precision", "two"}},
		{"target.bad.yml", []string{`targets.items[0].sum[0]: unit "万元" differs from the target's unit "亿元" (got enclave.contract_turnover)`}},
		{"output_template.bad.yml", []string{"output.league_workbook: must be a relative path ending in .xlsx", "stays inside the year's folder (got ../{league}.xlsx)"}},
		{"split.bad.yml", []string{"run.split_by: must be empty (no split) or league (got programme)"}},
		{"missing_marker.bad.yml", []string{"ingest.missing_markers[1]: must be a non-blank text without digits (got ０)", "ingest.missing_markers[2]: must be a non-blank text without digits (got  )"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			_, err = Parse(f)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestAllErrorsAtOnce(t *testing.T) {
	_, err := Parse(strings.NewReader(`
run: {timezone: Nowhere/City}
log: {level: loud}
ranking: {precision: 9}
`))
	got := FieldErrors(err)
	paths := map[string]bool{}
	for _, fe := range got {
		paths[fe.Path] = true
	}
	for _, p := range []string{"run.timezone", "log.level", "ranking.precision"} {
		if !paths[p] {
			t.Errorf("no error for %s; got %v", p, err)
		}
	}
}

func TestLayering(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "assessor.yaml")
	data, err := os.ReadFile(filepath.Join("testdata", "override.good.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ASSESSOR_RUN_YEAR": "2024", "ASSESSOR_LOG_LEVEL": "debug"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }

	flags := pflag.NewFlagSet("run", pflag.ContinueOnError)
	flags.String("out", "", "")
	flags.String("in", "", "")
	flags.Int("year", 0, "")
	if err := flags.Parse([]string{"--out", "elsewhere"}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(Options{File: file, Flags: flags, LookupEnv: lookup,
		FlagKeys: map[string]string{"out": "run.out", "in": "run.in", "year": "run.year"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"file overrides default", c.Programmes["tic"].Assessments["evaluation"].Grades[0].Min, 90.0},
		{"file keeps the assessment's other settings", c.Programmes["tic"].Assessments["evaluation"].Expert.Weight, 30.0},
		{"file keeps other defaults", c.Programmes["demo_zone"].Assessments["evaluation"].Grades[0].Min, 85.0},
		{"env overrides default", c.Run.Year, 2024},
		{"env overrides default level", c.Log.Level, "debug"},
		{"relative path in file resolves against its folder", c.Run.In, filepath.Join(dir, "data")},
		{"flag overrides file, relative to the working folder", c.Run.Out, "elsewhere"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}

	// A flag that was not set does not override.
	flags2 := pflag.NewFlagSet("run", pflag.ContinueOnError)
	flags2.Int("year", 0, "")
	c2, err := Load(Options{Flags: flags2, LookupEnv: lookup, FlagKeys: map[string]string{"year": "run.year"}})
	if err != nil {
		t.Fatal(err)
	}
	if c2.Run.Year != 2024 {
		t.Errorf("unset flag overrode env: year = %d", c2.Run.Year)
	}

	// Without a file given, $ASSESSOR_CONFIG names it.
	env[FileEnv] = file
	c3, err := Load(Options{LookupEnv: lookup})
	if err != nil {
		t.Fatal(err)
	}
	if got := c3.Programmes["tic"].Assessments["evaluation"].Grades[0].Min; got != 90.0 || c3.Run.In != filepath.Join(dir, "data") {
		t.Errorf("the file named by %s was not read: min %v, run.in %s", FileEnv, got, c3.Run.In)
	}
}

func TestEnvValueIsValidated(t *testing.T) {
	lookup := func(k string) (string, bool) {
		if k == "ASSESSOR_RUN_YEAR" {
			return "1850", true
		}
		return "", false
	}
	_, err := Load(Options{LookupEnv: lookup})
	if err == nil || !strings.Contains(err.Error(), "run.year: must be 0 (the current year) or between 2000 and 2100 (got 1850)") {
		t.Errorf("err = %v", err)
	}
}

func TestGradeFor(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tic := c.Programmes["tic"].StatusAssessment()
	tests := []struct {
		score float64
		want  string
	}{
		{100, "excellent"}, {85, "excellent"}, {84.99, "good"}, {75, "good"},
		{74.99, "pass"}, {60, "pass"}, {59.99, "fail"}, {0, "fail"},
	}
	for _, tt := range tests {
		if got := tic.GradeFor(tt.score).Code; got != tt.want {
			t.Errorf("GradeFor(%v) = %s, want %s", tt.score, got, tt.want)
		}
	}
}

func TestCompiledRules(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	g := c.Programmes["enclave"].Gates[0]
	if got := strings.Join(g.RuleExpr().Names(), ","); got != "office_area" {
		t.Errorf("rule names = %s", got)
	}
	out, err := g.WhenExpr().Eval(map[string]any{SubtypeVar: "gov_led"})
	if err != nil || out != true {
		t.Errorf("when(gov_led) = %v, %v", out, err)
	}
	share := c.Programmes["demo_zone"].Indicators[10]
	v, err := share.FormulaExpr().Eval(map[string]any{"hitech_firms": 30.0, "park_firms": 120.0})
	if err != nil || v != 25.0 {
		t.Errorf("%s = %v, %v; want 25", share.Key, v, err)
	}
}

func TestNormalizeLabel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"平台 编号", "平台编号"},
		{"平台\n编号\u3000", "平台编号"},
		{"技术合同成交额（万元）", "技术合同成交额(万元)"},
		{"ＡＢＣ１２３", "abc123"},
		{"面积（㎡）", "面积(m2)"},
	}
	for _, tt := range tests {
		if got := NormalizeLabel(tt.in); got != tt.want {
			t.Errorf("NormalizeLabel(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSchedule(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	tic, zone, enclave := c.Programmes["tic"], c.Programmes["demo_zone"], c.Programmes["enclave"]
	// A centre approved after June files no report for its approval year.
	if got := tic.FirstReportYear(day(2021, 6, 30)); got != 2021 {
		t.Errorf("approved 30 June 2021: first report %d, want 2021", got)
	}
	if got := tic.FirstReportYear(day(2021, 7, 1)); got != 2022 {
		t.Errorf("approved 1 July 2021: first report %d, want 2022", got)
	}
	tests := []struct {
		name      string
		a         *Assessment
		approved  int
		first     int // first report year
		scheduled []int
		next      map[int]int // year → next scheduled from it
	}{
		{"centre: three years after approval, then yearly", tic.Assessments["evaluation"], 2020, 2020,
			[]int{2023, 2024, 2025, 2026, 2027, 2028, 2029}, map[int]int{2021: 2023, 2023: 2023, 2024: 2024}},
		{"demo zone: every third year from approval", zone.Assessments["evaluation"], 2022, 2022,
			[]int{2025, 2028}, map[int]int{2023: 2025, 2026: 2028}},
		{"zones approved a year apart fall in different thirds", zone.Assessments["evaluation"], 2023, 2023,
			[]int{2026, 2029}, map[int]int{2025: 2026}},
		{"enclave: annual from the first report", enclave.Assessments["annual"], 2022, 2023,
			[]int{2023, 2024, 2025, 2026, 2027, 2028, 2029}, map[int]int{2022: 2023}},
		{"enclave: comprehensive every three years from filing", enclave.Assessments["comprehensive"], 2022, 2022,
			[]int{2025, 2028}, map[int]int{2024: 2025, 2025: 2025, 2026: 2028}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int
			for y := 2018; y <= 2029; y++ {
				if tt.a.Scheduled(tt.approved, tt.first, y) {
					got = append(got, y)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.scheduled) {
				t.Errorf("scheduled %v, want %v", got, tt.scheduled)
			}
			for from, want := range tt.next {
				if n := tt.a.NextScheduled(tt.approved, tt.first, from); n != want {
					t.Errorf("next from %d = %d, want %d", from, n, want)
				}
			}
		})
	}
	if got := enclave.StatusAssessment().Key; got != "annual" {
		t.Errorf("enclave status assessment = %s", got)
	}
	if got := fmt.Sprint(len(enclave.AssessmentList())); got != "2" {
		t.Errorf("enclave assessments = %s", got)
	}
}

func TestRuleVariables(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	// The growth gate reads the previous year's values.
	var growth Gate
	for _, g := range c.Programmes["demo_zone"].Gates {
		if g.Key == "contract_growth" {
			growth = g
		}
	}
	if got := strings.Join(growth.RuleExpr().Names(), ","); got != "contract_count,contract_turnover,prev_contract_count,prev_contract_turnover" {
		t.Errorf("growth gate reads %s", got)
	}
	// Funds read the year's grades.
	f := c.Programmes["enclave"].Funds[0]
	ok, err := f.WhenExpr().Eval(map[string]any{SubtypeVar: "gov_led", "grade_annual": "pass"})
	if err != nil || ok != true {
		t.Errorf("%s when = %v, %v", f.Key, ok, err)
	}
	amount, err := f.FormulaExpr().Eval(map[string]any{"contract_turnover": 100.0, "project_investment": 200.0, "talent_event_spend": 10.0})
	if err != nil || amount != 100000.0+100000.0+20000.0 {
		t.Errorf("%s formula = %v, %v", f.Key, amount, err)
	}
}

func TestEnumerations(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	names := func(kind string) string {
		var out []string
		for _, v := range c.EnumValues(kind) {
			out = append(out, v.Code+"="+v.Name)
		}
		return strings.Join(out, ",")
	}
	if got := names(KindGrade); got != "pass=合格,fail=不合格,excellent=优秀,good=良好" {
		t.Errorf("grades = %s", got)
	}
	if got := names(KindStatus); got != "active=正常,rectifying=整改,revoked=撤销" {
		t.Errorf("statuses = %s", got)
	}
}

func TestHash(t *testing.T) {
	a, _ := Default()
	b, _ := Default()
	ha, err := a.Hash()
	if err != nil {
		t.Fatal(err)
	}
	if hb, _ := b.Hash(); ha != hb || len(ha) != 64 {
		t.Errorf("hashes %s and %s of the same configuration", ha, hb)
	}
	c, err := Parse(strings.NewReader("ranking:\n  precision: 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if hc, _ := c.Hash(); hc == ha {
		t.Error("a changed configuration has the same hash")
	}
	// The run's own settings are not rules.
	b.Run.Year, b.Run.Out, b.Log.Level = 2031, "elsewhere", "debug"
	if hb, _ := b.Hash(); hb != ha {
		t.Error("the year or output folder changed the rules' hash")
	}
}

// TestCite checks citations against the plain way of making them: the short
// title and the section joined by a space, spaces trimmed at both ends.
func TestCite(t *testing.T) {
	c := &Config{Documents: map[string]Document{"plan": {Short: "技创中心方案"}, "spaced": {Short: " 指南 "},
		"blank": {Short: " "}, "none": {}}}
	for _, clause := range []string{"plan 三(六)2", "plan", "plan ", "plan  三(六)", "plan 三 (六) ", "spaced 四(一)", "spaced",
		"blank 五", "blank", "none 六", "unknown 七", "", " plan", "plan\t三"} {
		want := clause
		if doc, section, _ := strings.Cut(clause, " "); c.Documents[doc] != (Document{}) || doc == "none" {
			want = strings.TrimSpace(c.Documents[doc].Short + " " + section)
		}
		if got := c.Cite(clause); got != want {
			t.Errorf("Cite(%q) = %q, want %q", clause, got, want)
		}
	}
}
