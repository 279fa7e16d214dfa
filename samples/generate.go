package samples

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// Options tunes a generated set. Zero values mean the defaults.
type Options struct {
	Seed      uint64 // default 1
	Platforms int    // total number of platforms; default 96 = 60 enclaves + 6 demo zones + 30 centres; larger N keeps the 60:6:30 proportions (at least 1 of each)
	FirstYear int    // default 2022
	LastYear  int    // default 2025
	// PublishedDir, when set, receives the published results of the year
	// before the first, <FirstYear-1>年度评估结果（已公布）.xlsx, which seed the
	// engine's history. Keep it apart from the input folder.
	PublishedDir string
	// Only, when set to a programme key ("enclave", "demo_zone", "tic"),
	// makes every platform one of that programme: one roster a year as long
	// as the register, for benchmarks.
	Only string
}

// Summary says what Generate wrote.
type Summary struct {
	Files      []string       // paths relative to dir, sorted
	Published  []string       // paths relative to Options.PublishedDir; empty when it is not set
	Platforms  map[string]int // by programme key: "enclave", "demo_zone", "tic"
	ReportRows int            // data rows written across all annual report files (bad, duplicate and unknown-id rows included; blank, note, total rows excluded)
}

// Defaults of Options.
const (
	DefaultSeed      = 1
	DefaultPlatforms = 96
	DefaultFirstYear = 2022
	DefaultLastYear  = 2025
)

// Limits on Options.
const (
	minPlatforms = 3 // one of each programme
	minYear      = 2000
	maxYear      = 2090
	maxYears     = 30
)

// Stream constants of the random sources (the second PCG word); each purpose
// has its own stream so that one part of the set does not shift another.
const (
	streamRegister  uint64 = 0x5245_4749_5354_4552 // "REGISTER"
	streamRoles     uint64 = 0x524f_4c45_5321_2121 // "ROLES!!!"
	streamScores    uint64 = 0x5343_4f52_4553_0000 // "SCORES", + year index
	streamValues    uint64 = 0x5641_4c55_4553_0000 // "VALUES", + 4 × year index + programme
	streamPublished uint64 = 0x5055_424c_4953_4844 // "PUBLISHD": the published year's scores
	streamEvents    uint64 = 0x4556_454e_5453_2121 // "EVENTS!!"
	streamExperts   uint64 = 0x4558_5045_5254_0000 // "EXPERT", + year index
)

// withDefaults fills in the zero fields of o and checks the result.
func (o Options) withDefaults() (Options, error) {
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Platforms == 0 {
		o.Platforms = DefaultPlatforms
	}
	if o.FirstYear == 0 {
		o.FirstYear = DefaultFirstYear
	}
	if o.LastYear == 0 {
		o.LastYear = DefaultLastYear
	}
	_, known := programmeOf(o.Only)
	switch {
	case o.Only != "" && !known:
		return o, fmt.Errorf("only = %q: not a programme (enclave, demo_zone, tic)", o.Only)
	case o.Only != "" && o.Platforms < 1:
		return o, fmt.Errorf("platforms = %d: need at least 1", o.Platforms)
	case o.Only == "" && o.Platforms < minPlatforms:
		return o, fmt.Errorf("platforms = %d: need at least %d, one of each programme", o.Platforms, minPlatforms)
	case o.FirstYear < minYear || o.LastYear > maxYear:
		return o, fmt.Errorf("years %d–%d: must lie within %d–%d", o.FirstYear, o.LastYear, minYear, maxYear)
	case o.FirstYear > o.LastYear:
		return o, fmt.Errorf("first year %d is after last year %d", o.FirstYear, o.LastYear)
	case o.LastYear-o.FirstYear >= maxYears:
		return o, fmt.Errorf("years %d–%d: at most %d years", o.FirstYear, o.LastYear, maxYears)
	}
	return o, nil
}

// isDefaultSize tells whether the set has the default number of platforms or
// fewer; larger sets get extra random bad values.
func (o Options) isDefaultSize() bool { return o.Platforms <= DefaultPlatforms }

// badCell is a deliberately bad value, where it was written and what it is.
type badCell struct {
	File  string // path relative to the output folder
	Sheet string
	Cell  string
	Value string // as written; "" for an empty cell
	What  string
}

// plan is everything decided before any workbook is written.
type plan struct {
	opts      Options
	platforms []platform
	roles     roles
	events    []event
	scores    [][]float64 // by year index, by platform: planned score, NaN when no row
	states    [][]track   // by year from FirstYear-1 (index 0), by platform: status at the year's end
}

// newPlan draws the platforms, their roles, the events, the planned scores
// and follows the statuses.
func newPlan(o Options) *plan {
	p := &plan{opts: o}
	p.platforms = buildPlatforms(rand.New(rand.NewPCG(o.Seed, streamRegister)), o)
	p.roles = assignRoles(rand.New(rand.NewPCG(o.Seed, streamRoles)), o, p.platforms)
	p.events = planEvents(rand.New(rand.NewPCG(o.Seed, streamEvents)), o, p.platforms, &p.roles)
	p.planYears()
	return p
}

// Generate writes a set of input workbooks into dir: the platform register,
// the events register and, for every year, the three programmes' annual report
// rosters and the expert scores (in years with an expert panel); with
// Options.PublishedDir also the published results of the year before the
// first. The same Options always produce byte-identical files.
func Generate(dir string, opts Options) (Summary, error) {
	s, _, err := generate(dir, opts)
	return s, err
}

// generate is Generate that also returns the bad values it planted.
func generate(dir string, opts Options) (Summary, []badCell, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return Summary{}, nil, fmt.Errorf("samples: %w", err)
	}
	if dir == "" {
		return Summary{}, nil, errors.New("samples: no output folder")
	}
	pl := newPlan(o)
	sum := Summary{Platforms: map[string]int{}}
	for prog := range numProgrammes {
		sum.Platforms[prog.key()] = len(byProgramme(pl.platforms, prog))
	}
	var bad []badCell
	rel := registerFile
	if err := writeRegister(dir, rel, pl, &bad); err != nil {
		return Summary{}, nil, fmt.Errorf("samples: register: %w", err)
	}
	sum.Files = append(sum.Files, rel)
	if err := writeEvents(dir, pl); err != nil {
		return Summary{}, nil, fmt.Errorf("samples: events: %w", err)
	}
	sum.Files = append(sum.Files, eventsFile)
	for y := o.FirstYear; y <= o.LastYear; y++ {
		if err := os.MkdirAll(filepath.Join(dir, fmt.Sprint(y)), 0o755); err != nil {
			return Summary{}, nil, fmt.Errorf("samples: %w", err)
		}
		for prog := range numProgrammes {
			if sum.Platforms[prog.key()] == 0 {
				continue // a set of one programme
			}
			rf := newReportFile(pl, prog, y)
			rows, err := rf.write(dir, &bad)
			if err != nil {
				return Summary{}, nil, fmt.Errorf("samples: %s: %w", rf.rel, err)
			}
			sum.Files = append(sum.Files, rf.rel)
			sum.ReportRows += rows
		}
		rel, err := writeExperts(dir, pl, y)
		if err != nil {
			return Summary{}, nil, fmt.Errorf("samples: expert scores %d: %w", y, err)
		}
		if rel != "" {
			sum.Files = append(sum.Files, rel)
		}
	}
	sort.Strings(sum.Files)
	if o.PublishedDir != "" {
		rel, err := writePublished(o.PublishedDir, pl)
		if err != nil {
			return Summary{}, nil, fmt.Errorf("samples: published results: %w", err)
		}
		sum.Published = append(sum.Published, rel)
	}
	return sum, bad, nil
}

// registerFile is the register's path relative to the output folder.
const registerFile = "平台名录.xlsx"

// reportFileName is an annual report file's path relative to the output folder.
func reportFileName(prog programme, y int) string {
	name := [...]string{"%d年度科创飞地绩效数据汇总表.xlsx", "%d年度科技成果转移转化示范区年度报告数据.xlsx", "%d年度技术创新中心年度报告数据.xlsx"}[prog]
	return path.Join(fmt.Sprint(y), fmt.Sprintf(name, y))
}
