package job

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/rs/zerolog"

	"assessor/assess"
	"assessor/config"
	"assessor/dataset"
	"assessor/ingest"
	"assessor/report"
)

// ProblemsWorkbook is the file name of the problems report written by Validate.
const ProblemsWorkbook = "输入数据问题清单.xlsx"

// Options configure a run.
type Options struct {
	Config  *config.Config
	Year    int    // the assessment year (Run only)
	In, Out string // input folder; output folder (results go to Out/<year>/)
	Version string // engine version, recorded in the workbook
	Log     zerolog.Logger
	Mem     memory.Allocator // nil means memory.DefaultAllocator
}

// Summary says what a run did.
type Summary struct {
	Workbook string           // the workbook written
	Files    int              // files found in the input folder
	Rows     dataset.RowCount // data rows read, over all sheets
	Errors   int              // problems of severity error: input not accepted
	Warnings int
	// Grades counts graded platforms by programme key and grade code (Run only).
	Grades map[string]map[string]int
}

// IOError is a failure to read the input folder or to write the results, as
// opposed to a problem inside an input file (which is reported, not returned).
type IOError struct {
	Op  string
	Err error
}

func (e *IOError) Error() string { return e.Op + ": " + e.Err.Error() }
func (e *IOError) Unwrap() error { return e.Err }

// ErrNothingToAssess is returned when the input holds no report for the year:
// a wrong --year or --in, or a run before the reports arrived. No workbook is
// written, since it would grade every platform as not reporting.
var ErrNothingToAssess = errors.New("nothing to assess")

// Run assesses one year: ingest → assess → report.
func Run(ctx context.Context, o Options) (*Summary, error) {
	log := o.Log.With().Int("year", o.Year).Logger()
	set, err := read(ctx, o, log)
	if err != nil {
		return nil, err
	}
	defer set.Release()

	years, err := assess.Years(set)
	if err != nil {
		return nil, fmt.Errorf("assess: %w", err)
	}
	if !slices.Contains(years, o.Year) {
		return nil, fmt.Errorf("%w: no annual report rows for %d in %s (years found: %v)", ErrNothingToAssess, o.Year, o.In, years)
	}
	res, err := assess.Run(o.Config, set, o.Year)
	if err != nil {
		return nil, fmt.Errorf("assess: %w", err)
	}

	dir := filepath.Join(o.Out, strconv.Itoa(o.Year))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &IOError{Op: "create output folder", Err: err}
	}
	path := filepath.Join(dir, strings.ReplaceAll(o.Config.Output.Workbook, "{year}", strconv.Itoa(o.Year)))
	if err := report.WriteResults(path, o.Config, res, set, o.Version); err != nil {
		return nil, &IOError{Op: "write results", Err: err}
	}

	s := summarize(set, res.Problems)
	s.Workbook = path
	s.Grades = map[string]map[string]int{}
	for _, prog := range res.Programmes {
		counts := map[string]int{}
		for _, out := range prog.Outcomes {
			if out.Graded() {
				counts[out.Grade]++
			}
		}
		s.Grades[prog.Config.Key()] = counts
	}
	log.Info().Str("workbook", path).Int("rows", s.Rows.Read).Int("accepted", s.Rows.Accepted).
		Int("rejected", s.Rows.Rejected).Int("errors", s.Errors).Msg("assessment written")
	return s, nil
}

// Validate reads and checks the input and writes the problems report to Out.
func Validate(ctx context.Context, o Options) (*Summary, error) {
	set, err := read(ctx, o, o.Log)
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
	o.Log.Info().Str("workbook", path).Int("rows", s.Rows.Read).Int("errors", s.Errors).Msg("validation written")
	return s, nil
}

// read ingests the input folder.
func read(ctx context.Context, o Options, log zerolog.Logger) (*dataset.Set, error) {
	if info, err := os.Stat(o.In); err != nil {
		return nil, &IOError{Op: "open input folder", Err: err}
	} else if !info.IsDir() {
		return nil, &IOError{Op: "open input folder", Err: fmt.Errorf("%s is not a folder", o.In)}
	}
	set, err := ingest.Read(ctx, o.Config, o.In, ingest.Options{Mem: o.Mem, Log: log})
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
