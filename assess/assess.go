package assess

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"assessor/config"
	"assessor/dataset"
)

// Run assesses every registered platform for the year, starting from the
// previous year's states (prev; nil when the year is the first of the history).
// For each platform it decides what was due — the annual report, each
// assessment by its schedule or the end of a rectification window — grades
// what can be graded, applies the events, moves the status and computes the
// funds; every step records its reason and clause. Bad input becomes problems;
// the error result is for an engine fault only.
func Run(cfg *config.Config, set *dataset.Set, year int, prev dataset.History) (*Result, error) {
	return RunWith(cfg, set, year, prev, RunOptions{})
}

// RunOptions choose how a run holds its work; the result reads the same
// with any of them.
type RunOptions struct {
	// Release releases the set's tables once read (RunReleasing).
	Release bool
	// Compact keeps each programme's outcomes encoded in temporary files
	// and decodes one afresh at each read: for a national roster, whose
	// outcomes as structs are most of a run's memory. (Reading is slower;
	// a regional run has no need of it.) The files are removed as soon as
	// they are made where the system allows, else when the result is
	// closed (Result.Close).
	Compact bool
	// Dir is the folder a compact run's temporary files are made in: ""
	// for the system's temporary folder.
	Dir string
}

// RunWith is Run with options.
func RunWith(cfg *config.Config, set *dataset.Set, year int, prev dataset.History, opts RunOptions) (*Result, error) {
	return run(cfg, set, year, prev, stepShare, opts)
}

// RunReleasing is Run for a caller done with the set's tables: once it has
// read what it needs of them — the register, the events and expert scores,
// each programme's report rows of the year — it releases them (set.Release)
// before assessing, so that the input columns and the outcomes being made
// are not held at once. The set's sources, files, problems and rejected
// rows stay. The tables are released whether or not it succeeds.
func RunReleasing(cfg *config.Config, set *dataset.Set, year int, prev dataset.History) (*Result, error) {
	return RunWith(cfg, set, year, prev, RunOptions{Release: true})
}

// stepShare is the fewest platforms of a programme worth a core of their own:
// below it, a goroutine costs more than it saves.
const stepShare = 2048

// run is RunWith with the platforms stepped in shares of at least share
// platforms, one share per core.
func run(cfg *config.Config, set *dataset.Set, year int, prev dataset.History, share int, opts RunOptions) (*Result, error) {
	_, hasRegister := set.Tables[config.TableRegister]
	reg, side, reps, err := readTables(cfg, set, year, opts.Release)
	if opts.Release {
		set.Release()
	}
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, r := range reps {
			r.release()
		}
	}()
	res := &Result{Year: year, Unused: map[string]int{}}
	if !hasRegister {
		res.Problems = append(res.Problems, dataset.Problem{Severity: dataset.Error, Code: "no_register",
			Reason: "输入中没有找到平台名录（" + cfg.Register.Name + "），无法确定参评平台"})
	}
	res.Problems = append(res.Problems, registerConflicts(set, reg)...)
	usedExperts := map[string]bool{}
	for i, key := range cfg.ProgrammeKeys() {
		st := &stepper{cfg: cfg, p: cfg.Programmes[key], year: year, prev: prev, reg: reg, side: side, usedExperts: usedExperts,
			names: newVarNames(cfg.Programmes[key]), share: max(share, 1), compact: opts.Compact, dir: opts.Dir,
			assessments: cfg.Programmes[key].AssessmentList()}
		prog, err := st.run(set, reps[i])
		reps[i].release() // its rows are in the outcomes now
		if err != nil {
			return nil, errors.Join(err, res.Close())
		}
		res.Programmes = append(res.Programmes, prog)
		res.Problems = append(res.Problems, st.problems...)
		res.Unused[key] = st.unused
		res.Changes = append(res.Changes, st.changes...)
	}
	reps = nil // released, and not to be held while the outcomes load
	res.Problems = append(res.Problems, sideProblems(set, reg, side, usedExperts)...)
	sortResult(res, carryUnregistered(reg, prev, year, &res.Problems))
	// The outcomes held compactly come back into memory now that the
	// indexes and the input are done with (spill).
	for _, p := range res.Programmes {
		for _, s := range p.stores {
			if err := s.load(); err != nil {
				return nil, errors.Join(fmt.Errorf("%s: %w", p.Config.Key(), err), res.Close())
			}
		}
	}
	return res, nil
}

// readTables reads what the assessment uses of the set's tables: the
// register first, and then at the same time the side tables (events,
// expert scores) and each programme's report rows of the year, in
// ProgrammeKeys order, which hold their records until released. Of several
// errors, the first in that order is returned. With release, each table is
// released once read and taken out of the set, rather than all once every
// one is: a national roster's indexes and input columns are then not all
// held at once. The register's index is the largest, and its table among
// the largest: read alone, it is gone before the others are made (at a
// million platforms the live heap peaks at 758 MB rather than 899, in the
// same time).
func readTables(cfg *config.Config, set *dataset.Set, year int, release bool) (*register, *sideRows, []*reports, error) {
	keys := cfg.ProgrammeKeys()
	var (
		reg  *register
		side *sideRows
		reps = make([]*reports, len(keys))
		errs = make([]error, 2+len(keys))
		wg   sync.WaitGroup
	)
	var mu sync.Mutex
	var released []string
	done := func(tables ...string) {
		for _, key := range tables {
			if tbl, ok := set.Tables[key]; ok && release { // the map is only read until all are done
				tbl.Release()
				mu.Lock()
				released = append(released, key)
				mu.Unlock()
			}
		}
	}
	reg, errs[0] = readRegister(set)
	done(config.TableRegister)
	wg.Go(func() { side, errs[1] = readSideRows(set, year); done(config.TableEvents, config.TableExpertScores) })
	for i, key := range keys {
		wg.Go(func() { reps[i], errs[2+i] = readReports(set, key, year); done(key) })
	}
	wg.Wait()
	for _, key := range released {
		delete(set.Tables, key)
	}
	if err := cmp.Or(errs...); err != nil {
		for _, r := range reps {
			if r != nil {
				r.release()
			}
		}
		return nil, nil, nil, err
	}
	return reg, side, reps, nil
}

// sideProblems reports events and expert scores that belong to no registered
// platform, and expert scores that no assessment used.
func sideProblems(set *dataset.Set, reg *register, side *sideRows, used map[string]bool) []dataset.Problem {
	var out []dataset.Problem
	for _, id := range side.order {
		switch {
		case len(reg.byID.get(id)) == 0:
			out = append(out, dataset.Problem{Location: side.ids[id].cell(set, "id"), Severity: dataset.Error, Code: "unknown_platform",
				Raw: id, Expected: "名录中已登记的平台编号", Reason: "该平台编号不在平台名录中，该行未采用"})
		case len(side.experts.get(id)) > 0 && !used[id]:
			out = append(out, dataset.Problem{Location: side.experts.get(id)[0].at.cell(set, "score"), Severity: dataset.Info, Code: "expert_scores_unused",
				Raw: id, Reason: "该平台本年度没有需要专家评分的评估，专家评分未使用"})
		}
	}
	return out
}

// carryUnregistered keeps the history of platforms that left the register: their
// last state is carried into the year unchanged, with a warning.
func carryUnregistered(reg *register, prev dataset.History, year int, problems *[]dataset.Problem) []dataset.State {
	var out []dataset.State
	for _, id := range sortedIDs(prev) {
		if len(reg.byID.get(id)) > 0 || len(reg.rejected[id]) > 0 {
			continue
		}
		s := prev[id]
		s.Year, s.Outcome = year, "unregistered"
		s.Grades, s.Scores, s.Values = nil, nil, nil
		out = append(out, s)
		*problems = append(*problems, dataset.Problem{Severity: dataset.Warning, Code: "not_in_register", Raw: id,
			Reason: fmt.Sprintf("平台 %s 在历史记录中，但不在本次平台名录中；其状态原样保留", id)})
	}
	return out
}

func sortedIDs(h dataset.History) []string {
	ids := make([]string, 0, len(h))
	for id := range h {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// sortResult puts the result's lists in their reporting order, and makes
// its states from the outcomes and the states carried for platforms that
// left the register.
func sortResult(res *Result, unregistered []dataset.State) {
	order := map[string]int{}
	for i, p := range res.Programmes {
		order[p.Config.Key()] = i
	}
	// The states in order of programme, then id: an id is a platform's in
	// one programme only (the unregistered are none of the register's), so
	// the order is total. The keys are gathered first, so that sorting
	// compares values rather than following every outcome.
	type keyed struct {
		programme int
		id        string
		ref       stateRef
	}
	n := len(unregistered)
	for _, p := range res.Programmes {
		n += p.Len()
	}
	keys := make([]keyed, 0, n)
	for i, p := range res.Programmes {
		for at, o := range p.Outcomes() {
			if o.statePart != nil {
				keys = append(keys, keyed{programme: i, id: o.ID, ref: stateRef{p: int32(i), at: int32(at)}})
			}
		}
	}
	for i, u := range unregistered {
		keys = append(keys, keyed{programme: order[u.Programme], id: u.ID, ref: stateRef{p: -1, at: int32(i)}})
	}
	slices.SortFunc(keys, func(a, b keyed) int { return cmp.Or(cmp.Compare(a.programme, b.programme), cmp.Compare(a.id, b.id)) })
	states := &yearStates{year: res.Year, programmes: res.Programmes, unregistered: unregistered, refs: make([]stateRef, len(keys))}
	for i, k := range keys {
		states.refs[i] = k.ref
	}
	res.States = states
	slices.SortStableFunc(res.Changes, func(a, b *Change) int {
		if c := cmp.Compare(order[a.Programme], order[b.Programme]); c != 0 {
			return c
		}
		if c := cmp.Compare(changeOrder[a.Kind], changeOrder[b.Kind]); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	dataset.SortProblems(res.Problems)
}

// Years returns the report years present in the dataset, ascending.
func Years(set *dataset.Set) ([]int, error) {
	seen := map[int]bool{}
	for key, tbl := range set.Tables {
		if key == config.TableRegister || key == config.TableEvents || key == config.TableExpertScores {
			continue
		}
		err := eachRecord(tbl, func(rec arrow.Record) error {
			cols, err := columns(rec, "year")
			if err != nil {
				return fmt.Errorf("%s reports: %w", key, err)
			}
			years := cols[0].(*array.Int32)
			for i := 0; i < years.Len(); i++ {
				seen[int(years.Value(i))] = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	years := make([]int, 0, len(seen))
	for y := range seen {
		years = append(years, y)
	}
	slices.Sort(years)
	return years, nil
}

// Check runs the consistency checks of an assessment — unknown platforms,
// platforms in the wrong programme's table, reports and register entries
// repeated, events and expert scores that cannot be placed — for every report
// year in the dataset, without a history and without grading anything.
func Check(cfg *config.Config, set *dataset.Set) ([]dataset.Problem, error) {
	years, err := Years(set)
	if err != nil {
		return nil, err
	}
	if len(years) == 0 {
		years = []int{0}
	}
	type key struct {
		loc  dataset.Location
		code string
	}
	seen := map[key]bool{}
	var out []dataset.Problem
	for _, y := range years {
		res, err := Run(cfg, set, y, nil)
		if err != nil {
			return nil, err
		}
		for _, p := range res.Problems {
			// Problems that depend on the history or on what is due are the
			// run's to report, not the input's.
			if p.Code == "no_reports" || p.Code == "expert_scores_unused" || p.Code == "no_history" || seen[key{p.Location, p.Code}] {
				continue
			}
			seen[key{p.Location, p.Code}] = true
			out = append(out, p)
		}
	}
	dataset.SortProblems(out)
	return out, nil
}

// registerConflicts reports every id registered more than once.
func registerConflicts(set *dataset.Set, reg *register) []dataset.Problem {
	var out []dataset.Problem
	for _, id := range reg.byID.keys {
		entries := reg.byID.get(id)
		if len(entries) < 2 {
			continue
		}
		locs := make([]dataset.Location, len(entries))
		for i, e := range entries {
			locs[i] = e.at.cell(set, "id")
		}
		for i, e := range entries {
			out = append(out, dataset.Problem{Location: locs[i], Severity: dataset.Error, Code: "duplicate_register",
				Column: e.at.header(set, "id"), Raw: id, Reason: "平台编号在名录中重复登记（" + places(locs) + "），各条均未采用"})
		}
	}
	return out
}

// hasProgramme reports whether any of the platform's register entries puts
// it in the programme.
func (reg *register) hasProgramme(entries []platform, key string) bool {
	return slices.ContainsFunc(entries, func(e platform) bool { return reg.codes.name(e.programme) == key })
}

// yearEnd is the last day of a year.
func yearEnd(year int) time.Time { return time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC) }
