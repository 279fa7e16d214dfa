package samples

import (
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// This file checks the multi-year stories of the default set the way the
// engine's default configuration would decide them, from the workbooks read
// back: the published results of 2021 seed the statuses, then every year the
// reports, the events and the expert scores move them on. Only approval dates
// and subtypes come from the plan (the register's date forms are checked
// elsewhere). The rules are written out here again on purpose, apart from the
// generator's own planning in status.go.

// Rules of the default configuration, as the check applies them.
var (
	checkWindow = map[programme]int{progEnclave: 1, progDemo: 2, progTIC: 1}
	checkPanel  = map[programme]float64{progEnclave: 0.4, progDemo: 0.4, progTIC: 0.3} // weight of the expert trimmed mean
	// The grades of the assessments with a panel, from the top.
	checkGrades = map[programme][]struct {
		name string
		min  float64
	}{
		progEnclave: {{"优秀", 85}, {"良好", 75}, {"合格", 60}, {"不合格", 0}}, // comprehensive
		progDemo:    {{"优秀", 85}, {"合格", 60}, {"不合格", 0}},
		progTIC:     {{"优秀", 85}, {"良好", 75}, {"合格", 60}, {"不合格", 0}},
	}
	checkRevoking = []string{"无故不参加评估评价", "弄虚作假", "牵头单位停产破产", "违反国家法律"}
	// Report columns that may be left blank or "—".
	checkOptional = []string{"office_area", "fulltime_staff", "talent_event_spend", "local_support",
		"committee_size", "committee_insiders", "director_months", "matching_funds", "fiscal_support"}
)

// checkGrade grades a final score on prog's scale of its panel assessment.
func checkGrade(prog programme, s float64) string {
	for _, g := range checkGrades[prog] {
		if s >= g.min {
			return g.name
		}
	}
	return "不合格"
}

// verdict is what the rules make of a platform in a year.
type verdict struct {
	status  string // at the year's end: 正常, 整改, 撤销
	review  int    // while 整改: the year of the re-assessment
	change  string // 整改, 恢复, 撤销 or ""
	why     string
	graded  bool    // the status assessment was graded
	failed  bool    // ... and failed
	final   float64 // its final score (indicator score blended with the panel)
	experts int     // expert scores of a panel assessment (-1: no panel assessment)
	comp    string  // an enclave's comprehensive grade, "" when none
	refused bool    // the year's row was refused
}

// storySet is the default set read back.
type storySet struct {
	pl        *plan
	published map[string][2]string // id → 等次, 状态
	events    map[int]map[string][]string
	reports   map[int]map[string][]reportRow // year → id → rows
	experts   map[int]map[string][]float64   // year → id → scores
	progOf    map[string]programme
}

// readStorySet reads the default set in dir back.
func readStorySet(t *testing.T, dir string) *storySet {
	t.Helper()
	pl := newPlan(Options{}.mustDefaults(t))
	s := &storySet{pl: pl, published: map[string][2]string{}, events: map[int]map[string][]string{},
		reports: map[int]map[string][]reportRow{}, experts: map[int]map[string][]float64{}, progOf: map[string]programme{}}
	for i := range pl.platforms {
		s.progOf[pl.platforms[i].id] = pl.platforms[i].prog
	}
	_, _, rows, _, _ := readTable(t, filepath.Join(publishedDir(dir), publishedFileName(DefaultFirstYear-1)))
	for _, r := range rows {
		s.published[at(r, 1)] = [2]string{at(r, 5), at(r, 6)}
	}
	_, _, rows, _, _ = readTable(t, filepath.Join(dir, eventsFile))
	for _, r := range rows {
		y, err := strconv.Atoi(at(r, 3))
		if err != nil {
			t.Fatalf("event year %q", at(r, 3))
		}
		if s.events[y] == nil {
			s.events[y] = map[string][]string{}
		}
		s.events[y][at(r, 1)] = append(s.events[y][at(r, 1)], at(r, 4))
	}
	for y := DefaultFirstYear; y <= DefaultLastYear; y++ {
		s.reports[y] = map[string][]reportRow{}
		for prog := range numProgrammes {
			rows, _, _ := readReport(t, filepath.Join(dir, filepath.FromSlash(reportFileName(prog, y))), prog)
			for _, r := range rows {
				s.reports[y][r.id] = append(s.reports[y][r.id], r)
			}
		}
		s.experts[y] = map[string][]float64{}
		file := filepath.Join(dir, filepath.FromSlash(expertsFileName(y)))
		if _, err := os.Stat(file); err != nil {
			continue
		}
		_, _, rows, _, _ := readTable(t, file)
		for _, r := range rows {
			x, err := strconv.ParseFloat(at(r, 5), 64)
			if err != nil || x < 0 || x > 100 {
				t.Errorf("%s: score %q of %s", expertsFileName(y), at(r, 5), at(r, 1))
			}
			s.experts[y][at(r, 1)] = append(s.experts[y][at(r, 1)], x)
		}
	}
	return s
}

// invalid tells whether a report row holds a value the engine refuses: a
// required cell blank or unreadable, a negative amount, a count that is not a
// whole number.
func invalid(prog programme, r reportRow) bool {
	for j, ind := range indicatorsOf(prog) {
		raw, x := strings.TrimSpace(r.cells[j]), r.values[j]
		switch {
		case raw == "" || raw == "—":
			if !slices.Contains(checkOptional, ind.key) {
				return true
			}
		case math.IsNaN(x), x < 0, ind.kind == kindCount && x != math.Trunc(x):
			return true
		}
	}
	return false
}

// judge applies the rules to the default set, year by year, and returns the
// verdicts by id and year.
func (s *storySet) judge(t *testing.T) map[string]map[int]verdict {
	t.Helper()
	out := map[string]map[int]verdict{}
	before := map[string]verdict{}
	for id, pub := range s.published {
		v := verdict{status: pub[1], failed: pub[0] == "不合格"}
		if v.status == "整改" {
			v.review = DefaultFirstYear - 1 + checkWindow[s.progOf[id]]
		}
		before[id] = v
	}
	for y := DefaultFirstYear; y <= DefaultLastYear; y++ {
		for i := range s.pl.platforms {
			p := &s.pl.platforms[i]
			if p.mistyped {
				continue // the register row is refused: the engine does not know the platform
			}
			first := p.approved.Year()
			if p.approved.After(time.Date(first, time.June, 30, 0, 0, 0, 0, time.UTC)) {
				first++
			}
			if y < first {
				continue
			}
			prev, ok := before[p.id]
			if !ok {
				prev = verdict{status: "正常"}
			}
			v := s.judgeYear(p, y, prev)
			if out[p.id] == nil {
				out[p.id] = map[int]verdict{}
			}
			out[p.id][y] = v
			before[p.id] = v
		}
	}
	return out
}

// judgeYear decides one platform's year.
func (s *storySet) judgeYear(p *platform, y int, prev verdict) verdict {
	v := verdict{status: prev.status, review: prev.review, experts: -1}
	if prev.status == "撤销" {
		return v
	}
	revoke := func(why string) verdict {
		v.status, v.review, v.change, v.why = "撤销", 0, "撤销", why
		return v
	}
	if p.prog == progTIC {
		for _, e := range s.events[y][p.id] {
			if slices.Contains(checkRevoking, e) {
				return revoke("重大事项：" + e)
			}
		}
	}
	rows := s.reports[y][p.id]
	if len(rows) == 0 && p.prog == progTIC {
		return revoke("到期未提交年度报告")
	}
	if len(rows) > 1 || (len(rows) == 1 && invalid(p.prog, rows[0])) {
		v.refused = true
		return v
	}
	age := y - p.approved.Year()
	var statusDue bool
	switch {
	case prev.status == "整改":
		statusDue = y >= prev.review
	case p.prog == progEnclave:
		statusDue = true
	case p.prog == progDemo:
		statusDue = age >= 3 && age%3 == 0
	default:
		statusDue = age >= 3
	}
	panelDue := (p.prog == progEnclave && age >= 3 && age%3 == 0) || (p.prog != progEnclave && statusDue)
	indicator := math.NaN()
	if len(rows) == 1 {
		vals := slices.Clone(rows[0].values)
		for k := range vals {
			if math.IsNaN(vals[k]) {
				vals[k] = 0 // only optional, unscored columns can be blank here
			}
		}
		indicator = scoreOf(p.prog, p.sub, vals)
	}
	final := indicator
	if panelDue && len(rows) == 1 {
		xs := s.experts[y][p.id]
		v.experts = len(xs)
		if len(xs) >= 3 {
			final = (1-checkPanel[p.prog])*indicator + checkPanel[p.prog]*trimmedMean(xs)
		}
		if p.prog == progEnclave {
			v.comp = checkGrade(p.prog, final)
		}
	}
	if !statusDue {
		return v
	}
	v.graded = true
	if p.prog == progEnclave {
		final = indicator // the annual assessment takes no panel
	}
	v.final = final
	v.failed = len(rows) == 0 || final < passMark
	switch {
	case v.failed && (prev.status == "整改" || (p.prog == progEnclave && prev.failed)):
		return revoke(fmt.Sprintf("再次不合格（%.1f）", final))
	case v.failed:
		v.status, v.review, v.change, v.why = "整改", y+checkWindow[p.prog], "整改", fmt.Sprintf("不合格（%.1f）", final)
		if len(rows) == 0 {
			v.why = "到期未提交年度报告，按不合格"
		}
	case prev.status == "整改":
		v.status, v.review, v.change, v.why = "正常", 0, "恢复", fmt.Sprintf("整改后合格（%.1f）", final)
	}
	return v
}

// TestStories checks the stories of the README and that no other platform is
// revoked. Run with -v to see every change of status.
func TestStories(t *testing.T) {
	dir, _, bad := defaultSet(t)
	s := readStorySet(t, dir)
	pl := s.pl
	r := pl.roles
	first, last := DefaultFirstYear, DefaultLastYear
	id := func(i int) string { return pl.platforms[i].id }
	verdicts := s.judge(t)

	type change struct {
		id     string
		year   int
		change string
	}
	want := []change{
		{id(r.enclaveRestored), first, "恢复"},
		{id(r.enclaveFail), last - 1, "整改"}, {id(r.enclaveFail), last, "撤销"},
		{id(r.ticRecover), last - 1, "整改"}, {id(r.ticRecover), last, "恢复"},
		{id(r.demoDip), last, "整改"},
		{id(r.ticFraud), last - 1, "撤销"},
		{id(r.ticSkip[0]), last, "撤销"}, {id(r.ticSkip[1]), last, "撤销"},
		{id(r.ticStopped), last, "撤销"},
		{id(r.enclaveSkip[0]), last, "整改"}, {id(r.enclaveSkip[1]), last, "整改"},
	}
	var got []change
	for _, pid := range slices.Sorted(maps.Keys(verdicts)) {
		for y := first; y <= last; y++ {
			if v, ok := verdicts[pid][y]; ok && v.change != "" {
				got = append(got, change{pid, y, v.change})
				t.Logf("%d %-14s %s  %s", y, pid, v.change, v.why)
			}
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			v := verdicts[w.id][w.year]
			t.Errorf("%s %d: want %s, got %+v", w.id, w.year, w.change, v)
		}
	}
	for _, g := range got {
		if g.change == "撤销" && !slices.Contains(want, g) {
			t.Errorf("%s is revoked in %d, which no story plans: %+v", g.id, g.year, verdicts[g.id][g.year])
		}
	}

	// The published results seed the restored enclave's rectification.
	if pub := s.published[id(r.enclaveRestored)]; pub != [2]string{"不合格", "整改"} {
		t.Errorf("published %s: %q, want 不合格 整改", id(r.enclaveRestored), pub)
	}
	// The fraud centre, revoked the year before, files for the last year again.
	if len(s.reports[last][id(r.ticFraud)]) != 1 {
		t.Errorf("%s has no row in the %d centre file", id(r.ticFraud), last)
	}
	// The enclave's fraud is recorded only.
	if v := verdicts[id(r.enclaveEvent)][last-2]; v.status == "撤销" || len(s.events[last-2][id(r.enclaveEvent)]) != 1 {
		t.Errorf("enclave event %s %d: %+v, events %q", id(r.enclaveEvent), last-2, v, s.events[last-2][id(r.enclaveEvent)])
	}
	// The award and the spread of comprehensive grades.
	if v := verdicts[id(r.enclaveAward)][last]; v.comp != "优秀" {
		t.Errorf("%s: comprehensive %q in %d, want 优秀", id(r.enclaveAward), v.comp, last)
	}
	comp := map[string]int{}
	for _, byYear := range verdicts {
		for _, v := range byYear {
			if v.comp != "" {
				comp[v.comp]++
			}
		}
	}
	t.Logf("comprehensive grades: %v", comp)
	for _, g := range []string{"优秀", "良好", "合格", "不合格"} {
		if comp[g] == 0 {
			t.Errorf("no comprehensive evaluation graded %s", g)
		}
	}
	// Panels: the short and the missing one; every other has 5 or 7 scores,
	// and every panel in the files belongs to an assessment with a panel.
	for pid, byYear := range verdicts {
		for y, v := range byYear {
			switch {
			case v.experts < 0:
			case pid == id(r.panelShort) && y == last:
				if v.experts != panelShortSize {
					t.Errorf("%s %d: %d expert scores, want %d", pid, y, v.experts, panelShortSize)
				}
			case pid == id(r.panelNone) && y == last:
				if v.experts != 0 {
					t.Errorf("%s %d: %d expert scores, want none", pid, y, v.experts)
				}
			case v.experts != panelSize && v.experts != panelSizeLarge:
				t.Errorf("%s %d: %d expert scores", pid, y, v.experts)
			}
		}
	}
	for y, byID := range s.experts {
		for pid := range byID {
			if v := verdicts[pid][y]; v.experts < 0 && !v.refused {
				t.Errorf("%d: expert scores for %s, which has no assessment with a panel (%+v)", y, pid, v)
			}
		}
	}
	// The rows refused are those of the documented bad values.
	refused := map[string]bool{}
	for pid, byYear := range verdicts {
		for y, v := range byYear {
			if v.refused {
				refused[fmt.Sprint(y, pid)] = true
				if v.status != "正常" {
					t.Errorf("%s %d: row refused while %s", pid, y, v.status)
				}
			}
		}
	}
	wantRefused := map[string]bool{}
	for _, b := range bad {
		if b.File == registerFile || b.Value == unknownID {
			continue
		}
		y, _ := strconv.Atoi(b.File[:4])
		row, _ := strconv.Atoi(strings.TrimLeft(b.Cell, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		for pid, rows := range s.reports[y] {
			for _, rr := range rows {
				if rr.sheetRow == row && reportFileName(s.progOf[pid], y) == b.File {
					wantRefused[fmt.Sprint(y, pid)] = true
				}
			}
		}
	}
	if !maps.Equal(refused, wantRefused) {
		t.Errorf("refused rows %v, want those of the bad values %v", refused, wantRefused)
	}
}

func TestEventsWorkbook(t *testing.T) {
	dir, _, _ := defaultSet(t)
	pl := newPlan(Options{}.mustDefaults(t))
	f, header, rows, _, notes := readTable(t, filepath.Join(dir, eventsFile))
	if got := f.GetSheetList(); !slices.Equal(got, []string{eventsSheet}) {
		t.Errorf("sheets %q", got)
	}
	assertMerges(t, f, eventsSheet, []string{"A1:G1"})
	if !slices.Equal(header, eventsHeader) {
		t.Errorf("header %q", header)
	}
	r := pl.roles
	want := [][3]string{
		{pl.platforms[r.enclaveEvent].id, "2023", "弄虚作假"},
		{pl.platforms[r.ticFraud].id, "2024", "弄虚作假"},
		{pl.platforms[r.ticStopped].id, "2025", "牵头单位停产破产"},
	}
	var got [][3]string
	for k, row := range rows {
		got = append(got, [3]string{at(row, 1), at(row, 3), at(row, 4)})
		if at(row, 0) != strconv.Itoa(k+1) || at(row, 2) == "" || !strings.Contains(at(row, 5), "〔") || at(row, 6) == "" {
			t.Errorf("event row %q", row)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
	if len(notes) != 1 {
		t.Errorf("notes %q", notes)
	}
}

func TestExpertWorkbooks(t *testing.T) {
	dir, sum, _ := defaultSet(t)
	for y := DefaultFirstYear; y <= DefaultLastYear; y++ {
		rel := expertsFileName(y)
		if !slices.Contains(sum.Files, rel) {
			if y != DefaultFirstYear {
				t.Errorf("no %s", rel)
			}
			continue // 2022 has no assessment with a panel
		}
		f, header, rows, _, notes := readTable(t, filepath.Join(dir, filepath.FromSlash(rel)))
		if got := f.GetSheetList(); !slices.Equal(got, []string{expertsSheet}) {
			t.Errorf("%s: sheets %q", rel, got)
		}
		assertMerges(t, f, expertsSheet, []string{"A1:F1"})
		if !slices.Equal(header, expertsHeader) {
			t.Errorf("%s: header %q", rel, header)
		}
		if len(notes) != 1 {
			t.Errorf("%s: notes %q", rel, notes)
		}
		names := map[string][]string{}
		text := 0
		for k, row := range rows {
			pid, name := at(row, 1), at(row, 4)
			if at(row, 0) != strconv.Itoa(k+1) || at(row, 3) != strconv.Itoa(y) || name == "" || slices.Contains(names[pid], name) {
				t.Errorf("%s: row %q", rel, row)
			}
			names[pid] = append(names[pid], name)
			typ, err := f.GetCellType(expertsSheet, cellName(6, tableHeaderRow+1+k))
			if err != nil {
				t.Fatal(err)
			}
			if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				text++
			}
		}
		if text == 0 || text > len(rows)/3 {
			t.Errorf("%s: %d of %d scores as text", rel, text, len(rows))
		}
		t.Logf("%s: %d platforms, %d scores, %d as text", rel, len(names), len(rows), text)
	}
}

func TestPublishedWorkbook(t *testing.T) {
	dir, _, _ := defaultSet(t)
	pl := newPlan(Options{}.mustDefaults(t))
	f, header, rows, _, notes := readTable(t, filepath.Join(publishedDir(dir), publishedFileName(DefaultFirstYear-1)))
	if got := f.GetSheetList(); !slices.Equal(got, []string{publishedSheet}) {
		t.Errorf("sheets %q", got)
	}
	assertMerges(t, f, publishedSheet, []string{"A1:G1"})
	if !slices.Equal(header, publishedHeader) {
		t.Errorf("header %q", header)
	}
	if len(notes) != 1 {
		t.Errorf("notes %q", notes)
	}
	var ids []string
	for i := range pl.platforms {
		if pl.platforms[i].reports(DefaultFirstYear - 1) {
			ids = append(ids, pl.platforms[i].id)
		}
	}
	var got []string
	for _, row := range rows {
		got = append(got, at(row, 1))
		prog := s2prog(at(row, 3))
		grade, status := at(row, 5), at(row, 6)
		ok := at(row, 4) == "2021"
		switch prog {
		case progEnclave:
			ok = ok && ((grade == "合格" && status == "正常") || (grade == "不合格" && status == "整改"))
		case progTIC:
			ok = ok && grade == "" && status == "正常"
		default:
			ok = false // no demo zone reported for 2021
		}
		if !ok {
			t.Errorf("published row %q", row)
		}
	}
	if !slices.Equal(got, ids) {
		t.Errorf("published ids %q, want %q", got, ids)
	}
}

// s2prog reads a category.
func s2prog(category string) programme {
	switch category {
	case "科创飞地":
		return progEnclave
	case "技术创新中心":
		return progTIC
	}
	return progDemo
}
