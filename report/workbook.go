package report

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/sync/errgroup"

	"assessor/assess"
	"assessor/config"
	"assessor/dataset"
	"assessor/internal/atomicfile"
	"assessor/internal/xlsxout"
)

// RunInfo describes the run for the 运行信息 sheet.
type RunInfo struct {
	Version    string
	ConfigHash string
	// PreviousYear is the history year the run started from; 0 when the year
	// was the first of the history.
	PreviousYear int
	// Inputs are the input files as the run read them, in path order.
	Inputs []InputFile
}

// InputFile is one input file, identified by its content.
type InputFile struct {
	Path   string // relative to the input folder, with /
	Size   int64
	SHA256 string // hex
}

// StageYear writes a year's result workbooks under dir without renaming them
// into place (see atomicfile.Stage): the region-wide workbook first
// (output.workbook), then each programme's public notice (output.notice) and,
// when run.split_by is league, one workbook per 盟市 with platforms
// (output.league_workbook). Folders the names call for are created. The
// caller commits or aborts every file returned; on error nothing is left
// staged. The same inputs give the same bytes.
func StageYear(dir string, cfg *config.Config, res *assess.Result, set *dataset.Set, info RunInfo) (_ []*atomicfile.Staged, err error) {
	// The workbooks to write, in order: their paths are settled first, the
	// writing then shared out over the cores, the staged files kept in order.
	type job struct {
		path string
		w    workbook
	}
	var jobs []job
	add := func(tmpl, programme, league string, w workbook) error {
		path, err := outputPath(dir, tmpl, res.Year, programme, league)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(jobs, func(j job) bool { return j.path == path }) {
			return fmt.Errorf("output file %s would be written twice: names made safe for files are no longer distinct", path)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("create folder for %s: %w", path, err)
		}
		jobs = append(jobs, job{path, w})
		return nil
	}
	region := &book{cfg: cfg, res: res, set: set, info: info}
	if err := add(cfg.Output.Workbook, "", "", region.workbook()); err != nil {
		return nil, err
	}
	if cfg.Output.Notice != "" {
		for _, prog := range res.Programmes {
			if w, ok := notice(cfg, res.Year, prog, info.Version); ok {
				if err := add(cfg.Output.Notice, prog.Config.Name, "", w); err != nil {
					return nil, err
				}
			}
		}
	}
	if cfg.Run.SplitBy == config.SplitLeague {
		for _, l := range cfg.Leagues {
			lres, ok := leagueResult(res, l.Code)
			if !ok {
				continue
			}
			b := &book{cfg: cfg, res: lres, set: set, info: info, league: l}
			if err := add(cfg.Output.LeagueWorkbook, "", l.Name, b.workbook()); err != nil {
				return nil, err
			}
		}
	}
	staged := make([]*atomicfile.Staged, len(jobs))
	var g errgroup.Group
	g.SetLimit(runtime.NumCPU())
	for i, j := range jobs {
		g.Go(func() error {
			s, err := j.w.stage(j.path, cfg)
			staged[i] = s
			return err
		})
	}
	if err := g.Wait(); err != nil {
		for _, s := range staged {
			if s != nil {
				s.Abort()
			}
		}
		return nil, err
	}
	return staged, nil
}

// drain waits for a sheet being built, when one is, so that no builder
// outlives the workbook's writing.
func drain(built <-chan *sheet, building bool) {
	if building {
		<-built
	}
}

// WriteYear stages and commits a year's result workbooks, and returns their
// paths.
func WriteYear(dir string, cfg *config.Config, res *assess.Result, set *dataset.Set, info RunInfo) ([]string, error) {
	staged, err := StageYear(dir, cfg, res, set, info)
	if err != nil {
		return nil, err
	}
	var paths []string
	for i, s := range staged {
		if err := s.Commit(); err != nil {
			for _, rest := range staged[i+1:] {
				rest.Abort()
			}
			return paths, err
		}
		paths = append(paths, s.Path())
	}
	return paths, nil
}

// WriteProblems writes the problems report of a validation: every problem found
// in the input and the account of every file and row, ready to send back to
// whoever filled in the workbooks.
func WriteProblems(path string, cfg *config.Config, set *dataset.Set, found []dataset.Problem, version string) error {
	b := &book{cfg: cfg, set: set, problems: append(append([]dataset.Problem(nil), set.Problems...), found...)}
	dataset.SortProblems(b.problems)
	s, err := workbook{title: "输入数据问题清单", version: version, sheets: func(st *styles) []func() *sheet {
		b.st = st
		return []func() *sheet{b.issues, b.accounting}
	}}.stage(path, cfg)
	if err != nil {
		return err
	}
	return s.Commit()
}

// workbook is a workbook to write: its title and year, for the document
// properties and the printed page header, and its sheets, made with the
// workbook's styles.
type workbook struct {
	title   string
	year    int // 0 for a workbook of no year
	version string
	// sheets returns the builders of the sheets, in order: each sheet is
	// built while the one before it is written, so that at most two are
	// held at a time — apart from the long tables written while the
	// workbook is saved, whose rows are made then, not held.
	sheets func(*styles) []func() *sheet
}

// stage writes the workbook beside path, reproducibly: styles are created in
// a fixed order, the document's dates are fixed (output.created, else 31
// December of the year) and xlsxout packs the parts in a canonical order.
func (w workbook) stage(path string, cfg *config.Config) (*atomicfile.Staged, error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f, cfg)
	if err != nil {
		return nil, err
	}
	builders := w.sheets(st)
	built := make(chan *sheet, 1)
	build := func(i int) { go func() { built <- builders[i]() }() }
	if len(builders) > 0 {
		build(0)
	}
	seen := map[string]bool{}
	var spliced []xlsxout.SheetRows // the long tables' rows, written while saving
	var written []*sheet            // each holding its spliced rows until the workbook is saved
	defer func() {
		for _, s := range written {
			s.release()
		}
	}()
	for i := range builders {
		s := <-built
		written = append(written, s)
		if i+1 < len(builders) {
			build(i + 1) // the next sheet is built while this one is written
		}
		s.name = sheetName(s.name)
		if seen[strings.ToLower(s.name)] {
			drain(built, i+1 < len(builders))
			return nil, fmt.Errorf("two sheets would be named %s: configured names must differ in their first %d characters", s.name, maxSheetName)
		}
		seen[strings.ToLower(s.name)] = true
		if i == 0 {
			err = f.SetSheetName("Sheet1", s.name)
			f.SetActiveSheet(0) // before streaming: afterwards it would read every sheet back
		} else {
			_, err = f.NewSheet(s.name)
		}
		if err != nil {
			drain(built, i+1 < len(builders))
			return nil, fmt.Errorf("sheet %s: %w", s.name, err)
		}
		rows, err := s.write(f, st, w.title)
		if err != nil {
			drain(built, i+1 < len(builders))
			return nil, err
		}
		if rows != nil {
			spliced = append(spliced, *rows)
		}
	}
	created := cfg.Output.Created
	switch {
	case created == "" && w.year > 0:
		created = fmt.Sprintf("%d-12-31T00:00:00Z", w.year)
	case created == "":
		created = "2000-01-01T00:00:00Z" // a fixed date keeps the file reproducible
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: w.title, Creator: cfg.Output.Author, LastModifiedBy: cfg.Output.Author,
		Created: created, Modified: created, Description: "assessor " + w.version, Language: "zh-CN",
	}); err != nil {
		return nil, fmt.Errorf("document properties: %w", err)
	}
	s, err := xlsxout.Stage(f, path, spliced...)
	if err != nil {
		return nil, fmt.Errorf("save %s: %w", path, err)
	}
	return s, nil
}
