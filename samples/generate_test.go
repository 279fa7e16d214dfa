package samples

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// update rewrites the committed default set: go test ./samples -run TestCommittedSamplesAreCurrent -update
var update = flag.Bool("update", false, "rewrite the committed sample set under data/")

// committedDir is the committed default set and committedPublished its
// published results, relative to the package folder.
const (
	committedDir       = "data"
	committedPublished = "history"
)

// The default set, generated once for all tests (read only).
var defaults struct {
	once sync.Once
	root string
	sum  Summary
	bad  []badCell
	err  error
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if defaults.root != "" {
		os.RemoveAll(defaults.root)
	}
	os.Exit(code)
}

// defaultSet returns the default set, generated into a temporary folder on
// first use, with the published results in the folder "history" beside it
// (see publishedDir). Tests must not change it.
func defaultSet(t *testing.T) (string, Summary, []badCell) {
	t.Helper()
	defaults.once.Do(func() {
		defaults.root, defaults.err = os.MkdirTemp("", "samples-test-")
		if defaults.err == nil {
			dir := filepath.Join(defaults.root, "data")
			defaults.sum, defaults.bad, defaults.err = generate(dir, Options{PublishedDir: publishedDir(dir)})
		}
	})
	if defaults.err != nil {
		t.Fatal(defaults.err)
	}
	return filepath.Join(defaults.root, "data"), defaults.sum, defaults.bad
}

// publishedDir is where defaultSet writes the published results of the set
// in dir.
func publishedDir(dir string) string { return filepath.Join(filepath.Dir(dir), "history") }

// hashes maps every file under dir to its sha256.
func hashes(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	for _, rel := range listFiles(t, dir) {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		out[rel] = sha256.Sum256(b)
	}
	return out
}

func TestCommittedSamplesAreCurrent(t *testing.T) {
	const regen = "regenerate with `go run ./cmd/assessor samples --out samples/data --published samples/history` (or `go test ./samples -run TestCommittedSamplesAreCurrent -update`)"
	dir, _, _ := defaultSet(t)
	if *update {
		for _, d := range []string{committedDir, committedPublished} {
			if err := os.RemoveAll(d); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Generate(committedDir, Options{PublishedDir: committedPublished}); err != nil {
			t.Fatal(err)
		}
	}
	for _, pair := range [][2]string{{dir, committedDir}, {publishedDir(dir), committedPublished}} {
		committed := pair[1]
		if _, err := os.Stat(committed); err != nil {
			t.Errorf("%s/ is missing; %s", committed, regen)
			continue
		}
		want, got := hashes(t, pair[0]), hashes(t, committed)
		for _, rel := range slices.Sorted(maps.Keys(want)) {
			g, ok := got[rel]
			switch {
			case !ok:
				t.Errorf("%s/%s is missing; %s", committed, rel, regen)
			case g != want[rel]:
				t.Errorf("%s/%s is out of date; %s", committed, rel, regen)
			}
		}
		for _, rel := range slices.Sorted(maps.Keys(got)) {
			if _, ok := want[rel]; !ok {
				t.Errorf("%s/%s is not generated any more: remove it and %s", committed, rel, regen)
			}
		}
	}
}

func TestDeterminism(t *testing.T) {
	tests := []struct {
		name string
		a, b Options
		same bool
	}{
		{"same seed", Options{Seed: 7}, Options{Seed: 7}, true},
		{"default equals seed 1", Options{}, Options{Seed: 1, Platforms: 96, FirstYear: 2022, LastYear: 2025}, true},
		{"other seed", Options{Seed: 1}, Options{Seed: 2}, false},
		{"larger set, same seed", Options{Platforms: 200}, Options{Platforms: 200}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			da, db := t.TempDir(), t.TempDir()
			tt.a.PublishedDir = filepath.Join(da, "history") // hashed with the rest
			tt.b.PublishedDir = filepath.Join(db, "history")
			if _, err := Generate(da, tt.a); err != nil {
				t.Fatal(err)
			}
			if _, err := Generate(db, tt.b); err != nil {
				t.Fatal(err)
			}
			ha, hb := hashes(t, da), hashes(t, db)
			differ := 0
			for rel, h := range ha {
				if hb[rel] != h {
					differ++
				}
			}
			if len(ha) != len(hb) {
				t.Fatalf("file counts differ: %d and %d", len(ha), len(hb))
			}
			switch {
			case tt.same && differ > 0:
				t.Errorf("%d of %d files differ, want identical", differ, len(ha))
			case !tt.same && differ != len(ha):
				t.Errorf("only %d of %d files differ, want all", differ, len(ha))
			}
		})
	}
}

func TestOptionErrors(t *testing.T) {
	for _, o := range []Options{
		{Platforms: 2},
		{Platforms: -5},
		{FirstYear: 2026, LastYear: 2025},
		{FirstYear: 1990},
		{FirstYear: 2000, LastYear: 2040},
		{Only: "enclaves"},
		{Only: "tic", Platforms: -1},
	} {
		if _, err := Generate(t.TempDir(), o); err == nil {
			t.Errorf("Generate(%+v) succeeded, want an error", o)
		}
	}
}

func TestRegister(t *testing.T) {
	tests := []struct {
		opts  Options
		split [numProgrammes]int
		subs  [3]int // gov-led, outbound, inbound
	}{
		{Options{}, [numProgrammes]int{60, 6, 30}, [3]int{20, 25, 15}},
		{Options{Platforms: 960}, [numProgrammes]int{600, 60, 300}, [3]int{200, 250, 150}},
		{Options{Platforms: 3}, [numProgrammes]int{1, 1, 1}, [3]int{0, 0, 1}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.opts.Platforms), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			sum, err := Generate(dir, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, registerFile)
			entries, raw := readRegister(t, file)
			if got := raw[registerHeaderRow-1]; !slices.Equal(got, registerHeader) {
				t.Errorf("header row = %q", got)
			}
			if !strings.HasPrefix(raw[0][0], "内蒙古自治区创新平台名录（截至") {
				t.Errorf("title = %q", raw[0][0])
			}
			if last := raw[len(raw)-1]; !strings.HasPrefix(last[0], "注：") || strings.Join(last[1:], "") != "" {
				t.Errorf("last row = %q, want a note in column A only", last)
			}
			blank := 0
			for _, row := range raw[registerHeaderRow:] {
				if strings.Join(row, "") == "" {
					blank++
				}
			}
			if blank != 1 {
				t.Errorf("%d blank rows, want 1", blank)
			}
			var split [numProgrammes]int
			var subs [3]int
			idForm := [...]*regexp.Regexp{
				regexp.MustCompile(`^FD-20\d\d-\d{3,}$`), regexp.MustCompile(`^SFQ-20\d\d-\d{2,}$`), regexp.MustCompile(`^JSZX-20\d\d-\d{3,}$`),
			}
			seen := map[string]bool{}
			for _, e := range entries {
				prog := map[string]programme{"科创飞地": progEnclave, "科技成果转移转化示范区": progDemo, "成果转移转化示范区": progDemo, "技术创新中心": progTIC}[e.category]
				split[prog]++
				if !idForm[prog].MatchString(e.id) || seen[e.id] {
					t.Errorf("bad or repeated id %q (%s)", e.id, e.category)
				}
				seen[e.id] = true
				if i := slices.Index([]string{"政府主导型", "飞出平台", "飞入平台"}, e.subtype); i >= 0 {
					subs[i]++
				}
			}
			if split != tt.split || subs != tt.subs {
				t.Errorf("split %v subtypes %v, want %v %v", split, subs, tt.split, tt.subs)
			}
			for prog := range numProgrammes {
				if sum.Platforms[prog.key()] != tt.split[prog] {
					t.Errorf("Summary.Platforms[%s] = %d, want %d", prog.key(), sum.Platforms[prog.key()], tt.split[prog])
				}
			}
			f, err := excelize.OpenFile(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList(); !slices.Equal(got, []string{registerSheet, registerHelpSheet}) {
				t.Errorf("sheets = %q", got)
			}
			assertMerges(t, f, registerSheet, []string{"A1:H1"})
		})
	}
}

// assertMerges checks a sheet's merged ranges.
func assertMerges(t *testing.T, f *excelize.File, sheet string, want []string) {
	t.Helper()
	merges, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range merges {
		got = append(got, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s merges = %q, want %q", sheet, got, want)
	}
}

// wantHeaders is the indicator header row of a programme's report for year y
// of the default set.
func wantHeaders(prog programme, y int) []string {
	var out []string
	for _, ind := range indicatorsOf(prog) {
		unit := ind.unit
		if prog == progEnclave && ind.key == "contract_turnover" && y == DefaultLastYear-2 {
			unit = "元"
		}
		out = append(out, ind.header+"（"+unit+"）")
	}
	return out
}

// wantMerges are the merges of a report with the given indicators.
func wantMerges(inds []indicator) []string {
	last, _ := excelize.ColumnNumberToName(baseCols + len(inds))
	out := []string{"A1:" + last + "1", "A3:A4", "B3:B4", "C3:C4", "D3:D4"}
	for j := 0; j < len(inds); {
		k := j
		for k+1 < len(inds) && inds[k+1].group == inds[j].group {
			k++
		}
		if k > j {
			out = append(out, cellName(baseCols+j+1, groupRow)+":"+cellName(baseCols+k+1, groupRow))
		}
		j = k + 1
	}
	return out
}

func TestReports(t *testing.T) {
	dir, sum, _ := defaultSet(t)
	// The register, the events, three reports a year and the expert scores
	// of the years with a panel, 2023–2025.
	if want := 2 + 3*(DefaultLastYear-DefaultFirstYear+1) + 3; len(sum.Files) != want || !slices.IsSorted(sum.Files) {
		t.Fatalf("Summary.Files = %q, want %d sorted files", sum.Files, want)
	}
	if want := []string{"2021年度评估结果（已公布）.xlsx"}; !slices.Equal(sum.Published, want) {
		t.Errorf("Summary.Published = %q, want %q", sum.Published, want)
	}
	if got := listFiles(t, publishedDir(dir)); !slices.Equal(got, sum.Published) {
		t.Errorf("published files on disk %q, Summary.Published %q", got, sum.Published)
	}
	if got := listFiles(t, dir); !slices.Equal(got, sum.Files) {
		t.Errorf("files on disk %q, Summary.Files %q", got, sum.Files)
	}
	pl := newPlan(Options{}.mustDefaults(t))
	rows := 0
	for y := DefaultFirstYear; y <= DefaultLastYear; y++ {
		for prog := range numProgrammes {
			rel := reportFileName(prog, y)
			t.Run(rel, func(t *testing.T) {
				file := filepath.Join(dir, filepath.FromSlash(rel))
				f, sheet, raw := sheetRows(t, file)
				if want := fmt.Sprintf("%d年度内蒙古自治区", y); !strings.HasPrefix(raw[0][0], want) {
					t.Errorf("title %q", raw[0][0])
				}
				if !strings.HasPrefix(raw[1][0], "填报单位：") || !strings.Contains(raw[1][0], fmt.Sprintf("数据截至：%d年12月31日", y)) {
					t.Errorf("filing line %q", raw[1][0])
				}
				if got := raw[groupRow-1][:baseCols]; !slices.Equal(got, []string{"序号", "平台编号", "平台名称", "年度"}) {
					t.Errorf("base header %q", got)
				}
				inds := indicatorsOf(prog)
				assertMerges(t, f, sheet, wantMerges(inds))
				data, header, foot := readReport(t, file, prog)
				if got := header[baseCols:]; !slices.Equal(got, wantHeaders(prog, y)) {
					t.Errorf("indicator headers %q, want %q", got, wantHeaders(prog, y))
				}
				if len(foot) != 2 || foot[0] != "注：1.金额单位为万元；2.数据来源于各平台年度报告。" ||
					!strings.HasPrefix(foot[1], "填表人：") || !strings.Contains(foot[1], "联系电话：0471-") {
					t.Errorf("foot rows %q", foot)
				}
				want := 0
				for i := range pl.platforms {
					if pl.platforms[i].prog == prog && pl.platforms[i].reports(y) && !pl.roles.skipped(pl.opts, i, y) {
						want++
					}
				}
				if prog == progTIC && y == DefaultLastYear {
					want += 2 // the duplicate and the unknown id
				}
				if len(data) != want {
					t.Errorf("%d data rows, want %d", len(data), want)
				}
				rows += len(data)
				totals := slices.IndexFunc(raw, func(r []string) bool { return at(r, 1) == "合计" })
				if wantTotals := prog == progDemo && y == DefaultLastYear; (totals >= 0) != wantTotals {
					t.Errorf("totals row at %d, want one: %v", totals, wantTotals)
				}
			})
		}
	}
	if rows != sum.ReportRows {
		t.Errorf("Summary.ReportRows = %d, files hold %d data rows", sum.ReportRows, rows)
	}
}

// mustDefaults is withDefaults for tests.
func (o Options) mustDefaults(t *testing.T) Options {
	t.Helper()
	o, err := o.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestBadValues(t *testing.T) {
	dir, _, bad := defaultSet(t)
	wantKinds := []struct{ file, value string }{
		{registerFile, "2023年13月5日"},
		{reportFileName(progEnclave, 2024), "—"},
		{reportFileName(progEnclave, 2025), "待核实"},
		{reportFileName(progEnclave, 2025), "12.5"},
		{reportFileName(progEnclave, 2025), "-300"},
		{reportFileName(progEnclave, 2025), ""},
		{reportFileName(progTIC, 2025), "五十"},
		{reportFileName(progTIC, 2025), "1,2345"},
		{reportFileName(progTIC, 2025), "JSZX-2099-001"},
	}
	for _, k := range wantKinds {
		if !slices.ContainsFunc(bad, func(b badCell) bool { return b.File == k.file && b.Value == k.value }) {
			t.Errorf("no bad value %q in %s", k.value, k.file)
		}
	}
	if len(bad) != len(wantKinds)+1 { // + the duplicate row
		t.Errorf("%d bad cells, want %d", len(bad), len(wantKinds)+1)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		f, err := excelize.OpenFile(filepath.Join(dir, filepath.FromSlash(b.File)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.GetCellValue(b.Sheet, b.Cell, excelize.Options{RawCellValue: true})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got != b.Value {
			t.Errorf("%s!%s = %q, want %q (%s)", b.File, b.Cell, got, b.Value, b.What)
		}
		if row := fmt.Sprintf("| `%s` | %s | %s |", b.File, b.Sheet, b.Cell); !strings.Contains(string(readme), row) {
			t.Errorf("README.md does not document %s (%s)", row, b.What)
		}
	}
}

// TestGradeSpread scores the default set as read back and checks the spread
// of grades and the multi-year stories. Run with -v to see the table.
func TestGradeSpread(t *testing.T) {
	dir, _, _ := defaultSet(t)
	pl := newPlan(Options{}.mustDefaults(t))
	subs := map[string]subtype{}
	registered := map[string]bool{}
	for i := range pl.platforms {
		subs[pl.platforms[i].id], registered[pl.platforms[i].id] = pl.platforms[i].sub, true
	}
	id := func(i int) string { return pl.platforms[i].id }
	last := DefaultLastYear
	byYear := map[int][numProgrammes]map[string]float64{}
	for y := DefaultFirstYear; y <= last; y++ {
		sc := yearScores(t, dir, y, subs)
		byYear[y] = sc
		for prog := range numProgrammes {
			count := map[string]int{}
			n := 0
			for pid, s := range sc[prog] {
				if registered[pid] {
					count[grade(prog, s)]++
					n++
				}
			}
			t.Logf("%d %-9s n=%2d 优秀 %2d 良好 %2d 合格 %2d 不合格 %2d", y, prog.key(), n, count["优秀"], count["良好"], count["合格"], count["不合格"])
			share := func(g string) float64 { return float64(count[g]) / float64(n) }
			switch {
			case prog == progDemo && count["优秀"] != 1:
				t.Errorf("%d: %d excellent demo zones, want 1", y, count["优秀"])
			case prog == progEnclave && n >= 10 && (share("合格") < 0.65 || share("合格") > 0.92):
				t.Errorf("%d: enclave pass share %.2f", y, share("合格"))
			case prog == progTIC && n >= 10 && (share("优秀") < 0.05 || share("优秀") > 0.3 || share("不合格") < 0.05 || share("不合格") > 0.3):
				t.Errorf("%d: centre shares excellent %.2f fail %.2f", y, share("优秀"), share("不合格"))
			}
		}
	}
	stories := []struct {
		name string
		prog programme
		id   string
		year int
		fail bool
	}{
		{"enclave fails twice", progEnclave, id(pl.roles.enclaveFail), last - 1, true},
		{"enclave fails twice", progEnclave, id(pl.roles.enclaveFail), last, true},
		{"centre recovers", progTIC, id(pl.roles.ticRecover), last - 1, true},
		{"centre recovers", progTIC, id(pl.roles.ticRecover), last, false},
		{"demo zone dips", progDemo, id(pl.roles.demoDip), last - 1, false},
		{"demo zone dips", progDemo, id(pl.roles.demoDip), last, true},
		{"restored enclave", progEnclave, id(pl.roles.enclaveRestored), DefaultFirstYear, false},
	}
	for _, s := range stories {
		score, ok := byYear[s.year][s.prog][s.id]
		t.Logf("%s: %s scores %.1f in %d", s.name, s.id, score, s.year)
		if !ok || (score < 60) != s.fail {
			t.Errorf("%s: %s scores %.1f in %d (row found: %v)", s.name, s.id, score, s.year, ok)
		}
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	r := pl.roles
	for _, i := range []int{r.enclaveFail, r.enclaveOffice, r.enclaveStaff, r.enclaveSkip[0], r.enclaveSkip[1],
		r.demoDip, r.ticRecover, r.ticDirector, r.ticSkip[0], r.ticSkip[1],
		r.enclaveRestored, r.enclaveAward, r.panelShort, r.panelNone, r.enclaveEvent, r.ticFraud, r.ticStopped} {
		if !strings.Contains(string(readme), "`"+id(i)+"`") {
			t.Errorf("README.md does not name story platform %s", id(i))
		}
	}
}

// scalePlatforms is the size of TestScale's set (smaller under the race
// detector, see race_test.go).
var scalePlatforms = 5000

func TestScale(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	t.Parallel()
	start := time.Now()
	dir := t.TempDir()
	sum, bad, err := generate(dir, Options{Platforms: scalePlatforms, Seed: 3, PublishedDir: filepath.Join(dir, "history")})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Platforms["enclave"]+sum.Platforms["demo_zone"]+sum.Platforms["tic"] != scalePlatforms {
		t.Errorf("platforms %v", sum.Platforms)
	}
	random := 0
	for _, b := range bad {
		if strings.HasPrefix(b.What, "random") {
			random++
		}
	}
	if random < sum.ReportRows/3000 || random > sum.ReportRows/300 {
		t.Errorf("%d random bad values in %d rows, want about 1 in 1000", random, sum.ReportRows)
	}
	t.Logf("%d platforms: %d report rows, %d random bad values, %v", scalePlatforms, sum.ReportRows, random, time.Since(start))
}

// TestOnlyOneProgramme generates a set of one programme, as the benchmarks
// use: the register and that programme's rosters, as many rows as platforms
// due to report.
func TestOnlyOneProgramme(t *testing.T) {
	dir := t.TempDir()
	sum, err := Generate(dir, Options{Platforms: 40, Only: "tic", FirstYear: 2025, LastYear: 2025})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Platforms["tic"] != 40 || sum.Platforms["enclave"] != 0 || sum.Platforms["demo_zone"] != 0 {
		t.Errorf("platforms %v", sum.Platforms)
	}
	want := []string{"2025/" + filepath.Base(reportFileName(progTIC, 2025)), registerFile, eventsFile}
	if len(sum.Files) < 3 || !slices.Contains(sum.Files, want[0]) || slices.ContainsFunc(sum.Files, func(f string) bool {
		return f == reportFileName(progEnclave, 2025) || f == reportFileName(progDemo, 2025)
	}) {
		t.Errorf("files %v, want %v (and the expert scores)", sum.Files, want)
	}
	if sum.ReportRows < 30 || sum.ReportRows > 42 {
		t.Errorf("%d report rows for 40 centres", sum.ReportRows)
	}
}

// TestHeadersMatchConfig checks the hard-coded header labels against the
// names and aliases of config/default.yaml, when it is there.
func TestHeadersMatchConfig(t *testing.T) {
	yaml, err := os.ReadFile(filepath.Join("..", "config", "default.yaml"))
	if err != nil {
		t.Skip("no config/default.yaml:", err)
	}
	text := string(yaml)
	for prog := range numProgrammes {
		for _, ind := range indicatorsOf(prog) {
			key := regexp.MustCompile(`\{key: ` + ind.key + `, name: ([^,]+), (aliases: \[([^\]]*)\])?`)
			found := false
			for _, m := range key.FindAllStringSubmatch(text, -1) {
				names := append([]string{m[1]}, strings.Split(m[3], ", ")...)
				found = found || slices.Contains(names, ind.header)
			}
			if !found {
				t.Errorf("%s %s: header %q is neither the name nor an alias in config/default.yaml", prog.key(), ind.key, ind.header)
			}
		}
	}
	for prog := range numProgrammes {
		section := text[strings.Index(text, "\n  "+prog.key()+":\n"):]
		section = section[:strings.Index(section, "    gates:")]
		var inputs []string
		for _, m := range regexp.MustCompile(`(?m)^\s+- \{key: (\w+),.*$`).FindAllStringSubmatch(section, -1) {
			if !strings.Contains(m[0], "formula:") {
				inputs = append(inputs, m[1])
			}
		}
		var ours []string
		for _, ind := range indicatorsOf(prog) {
			ours = append(ours, ind.key)
		}
		if !slices.Equal(ours, inputs) {
			t.Errorf("%s: form columns %q, config input indicators %q", prog.key(), ours, inputs)
		}
	}
	for _, h := range registerHeader[1:] {
		if !strings.Contains(text, "name: "+h+",") {
			t.Errorf("register header %q not in config/default.yaml", h)
		}
	}
}

// TestTableOverflowsToMoreSheets writes more rows than a sheet holds: they
// continue on numbered sheets with the same title and header, the notes on
// the last.
func TestTableOverflowsToMoreSheets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.xlsx")
	tb := table{sheet: "专家评分", title: "标题", header: []string{"编号", "评分"}, notes: []string{"注：说明"}, sheetRows: 6,
		rows: func(st styles, emit func([]any) error) error {
			for i := range 7 {
				if err := emit([]any{fmt.Sprintf("P%d", i), i}); err != nil {
					return err
				}
			}
			return nil
		}}
	if err := tb.write(path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []string
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		var firsts []string
		for _, r := range rows {
			firsts = append(firsts, r[0])
		}
		got = append(got, sheet+": "+strings.Join(firsts, ","))
	}
	want := []string{"专家评分: 标题,编号,P0,P1,P2", "专家评分（2）: 标题,编号,P3,P4,P5", "专家评分（3）: 标题,编号,P6,注：说明"}
	if !slices.Equal(got, want) {
		t.Errorf("sheets\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
