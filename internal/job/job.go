package job

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/rs/zerolog"

	"assessor/assess"
	"assessor/config"
	"assessor/dataset"
	"assessor/history"
	"assessor/ingest"
	"assessor/internal/atomicfile"
	"assessor/internal/manifest"
	"assessor/report"
)

// ProblemsWorkbook is the file name of the problems report written by Validate.
const ProblemsWorkbook = "输入数据问题清单.xlsx"

// AnnotatedFolder is the folder under Out where Validate writes the annotated
// copies of the workbooks with problems.
const AnnotatedFolder = "批注"

// Options configure a run.
type Options struct {
	Config  *config.Config
	Year    int    // the assessment year (Run, Explain)
	In, Out string // input folder; output folder (results go to Out/<year>/)
	State   string // the state folder: history and lock
	Wait    bool   // wait for the state folder's lock instead of failing
	Version string // engine version, recorded in the outputs
	Log     zerolog.Logger
	Mem     memory.Allocator // nil means memory.DefaultAllocator
	// Progress, if set, is told of every input file finished: see
	// ingest.Options.Progress.
	Progress func(done, total int)
	// RunID tells this run's records from others' (Run).
	RunID string
	// DryRun makes Run do everything but write: it reads the history without
	// taking the lock, and writes its outputs to a scratch folder that it
	// removes, only to compare them with the outputs in place (Run).
	DryRun bool
	// ExitStatus, if set, gives the exit status that a run's summary or
	// error will end in, for its manifest and record (Run).
	ExitStatus func(*Summary, error) int
	// ProfileDir, if set, is where Run writes its profiles: the
	// processor's over the run (cpu.pprof) and the live heap once the input
	// is read (heap-read.pprof) and once the year is assessed
	// (heap-assess.pprof).
	ProfileDir string

	// compactFrom overrides largeRun as the input rows from which the
	// outcomes are held compactly (tests: 1 holds every run's so).
	compactFrom int
}

// Summary says what a run did.
type Summary struct {
	Workbook string // the workbook written: Run's region-wide one
	// Workbooks lists every workbook Run wrote: the region-wide one first,
	// then the public notices and the per-盟市 workbooks.
	Workbooks []string
	Manifest  string           // the run's manifest (Run)
	Files     int              // files found in the input folder
	Rows      dataset.RowCount // data rows read, over all sheets
	Errors    int              // problems of severity error: input not accepted
	Warnings  int
	// Grades counts graded platforms by programme key and grade code of the
	// status assessment (Run only).
	Grades map[string]map[string]int
	// Changes counts the year's changes by kind (Run only).
	Changes map[assess.ChangeKind]int
	// PreviousYear is the history year the run started from, 0 for a first year.
	PreviousYear int
	// Annotated lists the annotated copies Validate wrote.
	Annotated []string
}

// IOError is a failure to read the input folder or to write the results, as
// opposed to a problem inside an input file (which is reported, not returned).
type IOError struct {
	Op  string
	Err error
}

func (e *IOError) Error() string { return e.Op + ": " + e.Err.Error() }
func (e *IOError) Unwrap() error { return e.Err }

var (
	// ErrNothingToAssess is returned when the input holds no report for the
	// year: a wrong --year or --in, or a run before the reports arrived. No
	// workbook is written, since it would grade every platform as not reporting.
	ErrNothingToAssess = errors.New("nothing to assess")
	// ErrNoHistory is returned when the year before is not in the history and
	// the year is not the configured first year.
	ErrNoHistory = errors.New("previous year not in the history")
	// ErrLocked is returned when another run holds the state folder.
	ErrLocked = history.ErrLocked
	// ErrHistoryExists is returned by Import for years the history has already.
	ErrHistoryExists = errors.New("history already has the year")
)

// Run assesses one year: ingest → assess → report, from the previous year's
// history to this year's. The outputs — the workbook, the run's manifest and
// the history file — are written to temporary files first and renamed into
// place together at the end, so a run stopped at any point leaves the previous
// outputs and history as they were. Every run but a dry run also leaves its
// record in the state folder (manifest.RecordsFolder), failed runs included.
func Run(ctx context.Context, o Options) (*Summary, error) {
	log := o.Log.With().Int("year", o.Year).Logger()
	rec := newRecord(o)
	s, err := run(ctx, o, rec, log)
	rec.status(o, s, err)
	rec.keep(o, log)
	return s, err
}

// run is Run without the run record's end.
func run(ctx context.Context, o Options, rec *record, log zerolog.Logger) (_ *Summary, err error) {
	defer limitMemory(o.Config.Run.MemoryLimitMiB)()
	prof, err := startProfiler(o.ProfileDir)
	if err != nil {
		return nil, &IOError{Op: "start profiling", Err: err}
	}
	defer func() {
		if perr := prof.stop(); perr != nil && err == nil {
			err = &IOError{Op: "write profile", Err: perr}
		}
	}()
	store, err := openStore(ctx, o, log)
	if err != nil {
		return nil, err
	}
	if store != nil {
		defer store.Close()
	}
	prev, prevYear, err := previous(store, o, log)
	if err != nil {
		return nil, err
	}
	set, err := read(ctx, o, o.In, nil, log)
	if err != nil {
		return nil, err
	}
	defer set.Release()
	rows := summarize(set, nil).Rows
	rec.step("read")
	if err := prof.heap("read"); err != nil {
		return nil, &IOError{Op: "write profile", Err: err}
	}
	years, err := assess.Years(set)
	if err != nil {
		return nil, fmt.Errorf("assess: %w", err)
	}
	if !slices.Contains(years, o.Year) {
		return nil, fmt.Errorf("%w: no annual report rows for %d in %s (years found: %v)", ErrNothingToAssess, o.Year, o.In, years)
	}
	// What is written next reads the result and the set's files, sources
	// and problems, not its tables: their columns go as soon as the
	// assessment has read them, before it makes the outcomes. The collector
	// is run once the year is assessed, so that the heap's headroom while
	// writing is reckoned from the result alone, not from the result and
	// what assessing left as garbage.
	opts := assess.RunOptions{Release: true, Compact: large(rows, o.compactFrom)}
	if opts.Compact {
		opts.Dir = spillDir(o)
	}
	res, err := assess.RunWith(o.Config, set, o.Year, prev, opts)
	if err != nil {
		return nil, fmt.Errorf("assess: %w", err)
	}
	defer res.Close()
	runtime.GC()
	hash, err := o.Config.Hash()
	if err != nil {
		return nil, fmt.Errorf("config hash: %w", err)
	}
	rec.m.PreviousYear = prevYear
	if err := rec.inputs(o, set, store, prevYear); err != nil {
		return nil, err
	}
	rec.step("assess")
	if err := prof.heap("assess"); err != nil {
		return nil, &IOError{Op: "write profile", Err: err}
	}

	out, states, cleanup, err := stagingArea(ctx, o, store)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	dir := filepath.Join(out, strconv.Itoa(o.Year))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &IOError{Op: "create output folder", Err: err}
	}
	if err := cleanStale(dir, log); err != nil {
		return nil, &IOError{Op: "clean output folder", Err: err}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The outputs in <out>/<year>/ — the workbooks — each recorded in the
	// manifest.
	// The history file is written beside the workbooks, on the other core.
	var staged *atomicfile.Staged
	var historyErr error
	historyDone := make(chan struct{})
	go func() {
		defer close(historyDone)
		staged, historyErr = states.Stage(o.Year, res.States, history.Meta{ConfigHash: hash, Version: o.Version})
	}()
	outputs, err := report.StageYear(dir, o.Config, res, set, report.RunInfo{Version: o.Version, ConfigHash: hash,
		PreviousYear: prevYear, Inputs: rec.inputFiles()})
	<-historyDone
	if staged != nil {
		defer staged.Abort()
	}
	if err != nil {
		return nil, &IOError{Op: "write results", Err: err}
	}
	defer func() {
		for _, st := range outputs {
			st.Abort()
		}
	}()
	if historyErr != nil {
		return nil, &IOError{Op: "write history", Err: historyErr}
	}
	for _, st := range outputs {
		if err := rec.output(manifest.FolderOut, out, st); err != nil {
			return nil, &IOError{Op: "record outputs", Err: err}
		}
	}
	if err := rec.output(manifest.FolderState, states.Dir(), staged); err != nil {
		return nil, &IOError{Op: "record outputs", Err: err}
	}
	s := yearSummary(set, res)
	if err := res.Err(); err != nil { // an outcome kept on disk that could not be read back
		return nil, &IOError{Op: "read outcomes", Err: err}
	}
	for _, st := range outputs { // where they go, for a dry run too
		rel, _ := filepath.Rel(out, st.Path())
		s.Workbooks = append(s.Workbooks, filepath.Join(o.Out, rel))
	}
	s.Workbook, s.PreviousYear = s.Workbooks[0], prevYear
	rec.counts(s)
	rec.step("write")
	rec.status(o, s, nil)
	s.Manifest = filepath.Join(o.Out, strconv.Itoa(o.Year), manifest.FileName)
	man, err := manifest.Stage(filepath.Join(dir, manifest.FileName), &rec.m)
	if err != nil {
		return nil, &IOError{Op: "write manifest", Err: err}
	}
	defer man.Abort()
	rec.compare(s.Manifest, log)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	msg := "dry run: nothing written"
	if !o.DryRun {
		// The commit: the workbooks, the history, which the next year
		// reads, and last the manifest, the record of a completed run: a
		// run killed before it leaves the previous manifest in place.
		for _, st := range append(outputs, staged, man) {
			if err := st.Commit(); err != nil {
				return nil, &IOError{Op: "write " + filepath.Base(st.Path()), Err: err}
			}
		}
		warnLaterYears(store, o.Year, log)
		msg = "assessment written"
	}
	log.Info().Str("workbook", s.Workbook).Int("workbooks", len(s.Workbooks)).Int("rows", s.Rows.Read).Int("accepted", s.Rows.Accepted).
		Int("rejected", s.Rows.Rejected).Int("errors", s.Errors).Str("config_hash", hash).Msg(msg)
	return s, nil
}

// cleanStale removes the temporary files an interrupted run left in the
// year's output folder and the folders under it.
func cleanStale(dir string, log zerolog.Logger) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		cleaned, err := atomicfile.CleanStale(path)
		if len(cleaned) > 0 {
			log.Warn().Str("folder", path).Strs("files", cleaned).Msg("removed temporary files left by an interrupted run")
		}
		return err
	})
}

// spillDir is where a large run keeps its outcomes while it writes them
// (assess.RunOptions.Dir): the output folder, on the disk the results go
// to, rather than the system's temporary folder, which may be memory
// (tmpfs). A dry run, which leaves the output folder alone, uses the
// temporary folder. The files are removed as soon as they are made.
func spillDir(o Options) string {
	if o.DryRun || os.MkdirAll(o.Out, 0o755) != nil {
		return "" // a folder that cannot be made is reported when the results are written
	}
	return o.Out
}

// stagingArea is where a run stages its outputs: the output folder and the
// state folder's store, or for a dry run a scratch folder and a store inside
// it, which cleanup removes with everything staged there.
func stagingArea(ctx context.Context, o Options, store *history.Store) (out string, states *history.Store, cleanup func(), err error) {
	if !o.DryRun {
		return o.Out, store, func() {}, nil
	}
	scratch, err := os.MkdirTemp("", "assessor-dry-run-")
	if err != nil {
		return "", nil, nil, &IOError{Op: "create scratch folder", Err: err}
	}
	if states, err = history.Open(ctx, filepath.Join(scratch, "state"), history.Options{}); err != nil {
		os.RemoveAll(scratch)
		return "", nil, nil, &IOError{Op: "open scratch state folder", Err: err}
	}
	return filepath.Join(scratch, "out"), states, func() {
		states.Close()
		os.RemoveAll(scratch)
	}, nil
}

// yearSummary counts what a run read and how it graded.
func yearSummary(set *dataset.Set, res *assess.Result) *Summary {
	s := summarize(set, res.Problems)
	s.Grades, s.Changes = map[string]map[string]int{}, map[assess.ChangeKind]int{}
	for _, prog := range res.Programmes {
		counts := map[string]int{}
		for _, out := range prog.Outcomes() {
			if m := out.Main(); m.Graded {
				counts[m.Grade]++
			}
		}
		s.Grades[prog.Config.Key()] = counts
	}
	for _, c := range res.Changes {
		s.Changes[c.Kind]++
	}
	return s
}

// openStore opens the state folder for writing, or for a dry run, for
// reading without the lock: nil if it does not exist yet.
func openStore(ctx context.Context, o Options, log zerolog.Logger) (*history.Store, error) {
	if o.DryRun {
		store, err := history.OpenReadOnly(o.State)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, nil
		case err != nil:
			return nil, &IOError{Op: "open state folder", Err: err}
		}
		return store, nil
	}
	store, err := history.Open(ctx, o.State, history.Options{Wait: o.Wait})
	switch {
	case errors.Is(err, history.ErrLocked) || errors.Is(err, context.Canceled):
		return nil, err
	case err != nil:
		return nil, &IOError{Op: "open state folder", Err: err}
	}
	if cleaned := store.Cleaned(); len(cleaned) > 0 {
		log.Warn().Strs("files", cleaned).Msg("removed temporary history files left by an interrupted run")
	}
	return store, nil
}

// previous loads the history of the year before: nil for the configured first
// year, an error naming the way forward when it is missing. A nil store is a
// state folder that does not exist yet.
func previous(store *history.Store, o Options, log zerolog.Logger) (dataset.History, int, error) {
	if o.Year == o.Config.Run.FirstYear {
		log.Info().Msg("first year of the history: no previous results")
		return nil, 0, nil
	}
	if store == nil {
		return nil, 0, noHistory(o, fmt.Sprintf("the state folder %s does not exist", o.State))
	}
	prev, err := store.Load(o.Year - 1)
	if errors.Is(err, history.ErrNoYear) {
		years, _ := store.Years()
		return nil, 0, noHistory(o, fmt.Sprintf("%s has no %d (years there: %v)", store.Dir(), o.Year-1, years))
	}
	if err != nil {
		return nil, 0, &IOError{Op: "read history", Err: err}
	}
	if meta, err := store.Meta(o.Year - 1); err == nil {
		if hash, _ := o.Config.Hash(); meta.ConfigHash != "" && meta.ConfigHash != hash {
			log.Warn().Int("history_year", o.Year-1).Str("then", meta.ConfigHash).Str("now", hash).
				Msg("the configuration changed since the previous year was assessed")
		}
	}
	return prev, o.Year - 1, nil
}

// noHistory is ErrNoHistory saying why and the way forward.
func noHistory(o Options, why string) error {
	return fmt.Errorf("%w: %s; run %d first, seed it with `assessor history import`, or set run.first_year (--first-year) to %d if %d is the first year",
		ErrNoHistory, why, o.Year-1, o.Year, o.Year)
}

// warnLaterYears warns when a past year was re-run: later years were computed
// from its previous results.
func warnLaterYears(store *history.Store, year int, log zerolog.Logger) {
	years, err := store.Years()
	if err != nil {
		return
	}
	var later []int
	for _, y := range years {
		if y > year {
			later = append(later, y)
		}
	}
	if len(later) > 0 {
		log.Warn().Ints("later_years", later).
			Msg("a past year was re-run: later years were computed from its previous results; re-run them if its results changed")
	}
}

// Explain assesses the year without writing anything and returns the result,
// for explaining one platform.
func Explain(ctx context.Context, o Options) (*assess.Result, error) {
	var prev dataset.History
	if o.Year != o.Config.Run.FirstYear {
		store, err := history.OpenReadOnly(o.State)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNoHistory, err)
		}
		defer store.Close()
		if prev, _, err = previous(store, o, o.Log); err != nil {
			return nil, err
		}
	}
	set, err := read(ctx, o, o.In, nil, o.Log)
	if err != nil {
		return nil, err
	}
	defer set.Release()
	res, err := assess.Run(o.Config, set, o.Year, prev)
	if err != nil {
		return nil, fmt.Errorf("assess: %w", err)
	}
	return res, nil
}

// ImportSummary says what Import did.
type ImportSummary struct {
	Years    map[int]int // platforms imported per year
	Problems []dataset.Problem
	Errors   int
}

// Import seeds the history from a workbook of published results. Years the
// history already has are refused unless replace is set; all years are
// written together at the end.
func Import(ctx context.Context, o Options, file string, replace bool) (*ImportSummary, error) {
	store, err := openStore(ctx, o, o.Log)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	set, err := read(ctx, o, file, []config.Table{o.Config.PublishedTable()}, o.Log)
	if err != nil {
		return nil, err
	}
	defer set.Release()
	byYear, problems, err := assess.Published(o.Config, set)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	s := &ImportSummary{Years: map[int]int{}, Problems: append(append([]dataset.Problem(nil), set.Problems...), problems...)}
	dataset.SortProblems(s.Problems)
	s.Errors = dataset.Count(s.Problems, dataset.Error)
	if len(byYear) == 0 {
		return s, fmt.Errorf("%w: no published results (%s) found in %s", ErrNothingToAssess, o.Config.PublishedResults.Name, file)
	}
	have, err := store.Years()
	if err != nil {
		return nil, &IOError{Op: "read history", Err: err}
	}
	years := slices.Sorted(maps.Keys(byYear))
	if !replace {
		var clash []int
		for _, y := range years {
			if slices.Contains(have, y) {
				clash = append(clash, y)
			}
		}
		if len(clash) > 0 {
			return nil, fmt.Errorf("%w: %v in %s (use --replace to overwrite)", ErrHistoryExists, clash, store.Dir())
		}
	}
	hash, err := o.Config.Hash()
	if err != nil {
		return nil, fmt.Errorf("config hash: %w", err)
	}
	var staged []*atomicfile.Staged
	defer func() {
		for _, st := range staged {
			st.Abort()
		}
	}()
	for _, y := range years {
		st, err := store.Stage(y, dataset.StateList(byYear[y]), history.Meta{ConfigHash: hash, Version: o.Version})
		if err != nil {
			return nil, &IOError{Op: "write history", Err: err}
		}
		staged = append(staged, st)
		s.Years[y] = len(byYear[y])
	}
	for _, st := range staged {
		if err := st.Commit(); err != nil {
			return nil, &IOError{Op: "write history", Err: err}
		}
	}
	o.Log.Info().Ints("years", years).Str("file", file).Msg("history imported")
	return s, nil
}

// Show returns one platform's history, by year.
func Show(o Options, id string) ([]dataset.State, error) {
	store, err := history.OpenReadOnly(o.State)
	if err != nil {
		return nil, &IOError{Op: "open state folder", Err: err}
	}
	defer store.Close()
	states, err := store.Platform(id)
	if err != nil {
		return nil, &IOError{Op: "read history", Err: err}
	}
	return states, nil
}

// Validate reads and checks the input and writes the problems report to Out.
func Validate(ctx context.Context, o Options) (*Summary, error) {
	set, err := read(ctx, o, o.In, nil, o.Log)
	if err != nil {
		return nil, err
	}
	defer set.Release()
	found, err := assess.Check(o.Config, set)
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, &IOError{Op: "create output folder", Err: err}
	}
	path := filepath.Join(o.Out, ProblemsWorkbook)
	if err := report.WriteProblems(path, o.Config, set, found, o.Version); err != nil {
		return nil, &IOError{Op: "write problems report", Err: err}
	}
	s := summarize(set, found)
	s.Workbook = path
	if s.Annotated, err = annotate(o, append(append([]dataset.Problem(nil), set.Problems...), found...)); err != nil {
		return nil, err
	}
	o.Log.Info().Str("workbook", path).Int("rows", s.Rows.Read).Int("errors", s.Errors).Int("annotated", len(s.Annotated)).
		Msg("validation written")
	return s, nil
}

// annotate writes, for each input workbook with problems at its cells, a copy
// with those cells highlighted and commented, under Out/批注/ with the
// workbook's relative path: "2025/中心.xlsx" becomes "批注/2025/中心（问题批注）.xlsx".
func annotate(o Options, problems []dataset.Problem) ([]string, error) {
	byFile := map[string][]dataset.Problem{}
	for _, p := range problems {
		if p.Severity != dataset.Info && p.Sheet != "" && p.Cell != "" {
			byFile[p.File] = append(byFile[p.File], p)
		}
	}
	var written []string
	for _, file := range slices.Sorted(maps.Keys(byFile)) {
		ext := filepath.Ext(file)
		dst := filepath.Join(o.Out, AnnotatedFolder, filepath.FromSlash(strings.TrimSuffix(file, ext)+"（问题批注）"+ext))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, &IOError{Op: "create annotation folder", Err: err}
		}
		n, err := report.Annotate(filepath.Join(o.In, filepath.FromSlash(file)), dst, byFile[file])
		if err != nil {
			return nil, &IOError{Op: "annotate " + file, Err: err}
		}
		if n > 0 {
			written = append(written, dst)
		}
	}
	return written, nil
}

// read ingests a folder or a file, looking for the given tables (nil: a run's).
func read(ctx context.Context, o Options, path string, tables []config.Table, log zerolog.Logger) (*dataset.Set, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, &IOError{Op: "open input", Err: err}
	}
	set, err := ingest.Read(ctx, o.Config, path, ingest.Options{Mem: o.Mem, Log: log, Tables: tables, Progress: o.Progress})
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, &IOError{Op: "read input", Err: err}
	}
	return set, nil
}

// summarize counts rows and problems.
func summarize(set *dataset.Set, more []dataset.Problem) *Summary {
	s := &Summary{Files: len(set.Files)}
	for _, src := range set.Sources {
		s.Rows.Add(src.Rows)
	}
	for _, ps := range [][]dataset.Problem{set.Problems, more} {
		s.Errors += dataset.Count(ps, dataset.Error)
		s.Warnings += dataset.Count(ps, dataset.Warning)
	}
	return s
}
