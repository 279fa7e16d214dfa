package ingest

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/rs/zerolog"
	"golang.org/x/sync/errgroup"

	"assessor/config"
	"assessor/dataset"
)

// Options are the reader's collaborators.
type Options struct {
	Mem memory.Allocator // Arrow allocator; nil means Go memory without alignment padding
	Log zerolog.Logger
	// Tables are the tables to look for; nil means a run's input tables
	// (config.Tables).
	Tables []config.Table
	// Progress, if set, is called once for every file found as it is
	// finished (read, refused or ignored), with the number finished so far
	// and the number found. Calls never overlap and done rises by one each.
	Progress func(done, total int)

	// pipelineMin overrides pipelineMinBytes in tests: a sheet of at least
	// this many bytes is decoded ahead (1 for every sheet); 0 is the default.
	pipelineMin int64
}

// reader holds what every file's reading shares; it is read-only once built.
type reader struct {
	cfg          *config.Config
	specs        []*tableSpec
	forms        []*tableSpec // the programmes' report tables, which may come as forms
	schemas      map[string]*arrow.Schema
	enums        map[string]map[string]string // kind → normalized spelling → code
	enumNames    map[string]map[string]string // kind → code → canonical name
	enumLists    map[string]string            // kind → accepted names, for messages
	missing      map[string]bool
	missingLen   int   // the longest missing marker, in bytes
	pipelineMin  int64 // sheets of this size or more are decoded ahead
	progress     func(done, total int)
	notePrefixes []string
	totals       map[string]bool
	labels       *labelCache
	mem          memory.Allocator
	log          zerolog.Logger
	// zeros are the bytes of every raw-text column that says nothing in a
	// batch (settled): offsets and validity bits all zero, shared.
	zeros []byte
}

func newReader(cfg *config.Config, opts Options) *reader {
	r := &reader{
		cfg:       cfg,
		labels:    newLabelCache(),
		schemas:   map[string]*arrow.Schema{},
		enums:     map[string]map[string]string{},
		enumNames: map[string]map[string]string{},
		enumLists: map[string]string{},
		missing:   map[string]bool{},
		totals:    map[string]bool{},
		mem:       opts.Mem,
		log:       opts.Log,
	}
	if r.mem == nil {
		r.mem = packedAllocator{}
	}
	r.zeros = make([]byte, (cfg.Ingest.BatchRows+1)*arrow.Int32SizeBytes)
	r.pipelineMin, r.progress = pipelineMinBytes, opts.Progress
	if opts.pipelineMin > 0 {
		r.pipelineMin = opts.pipelineMin
	}
	tables := opts.Tables
	if tables == nil {
		tables = cfg.Tables()
	}
	for _, t := range tables {
		spec := newTableSpec(t)
		r.specs = append(r.specs, spec)
		r.schemas[t.Key] = dataset.Schema(t)
		if _, ok := cfg.Programmes[t.Key]; ok {
			r.forms = append(r.forms, spec)
		}
	}
	for _, kind := range []string{config.KindProgramme, config.KindSubtype, config.KindLeague,
		config.KindEvent, config.KindGrade, config.KindStatus} {
		spellings, canonical := map[string]string{}, map[string]string{}
		var names []string
		for _, v := range cfg.EnumValues(kind) {
			names = append(names, v.Name)
			if _, seen := canonical[v.Code]; !seen {
				canonical[v.Code] = v.Name
			}
			for _, s := range append([]string{v.Name}, v.Aliases...) {
				spellings[config.NormalizeLabel(s)] = v.Code
			}
		}
		r.enums[kind] = spellings
		r.enumNames[kind] = canonical
		r.enumLists[kind] = strings.Join(names, "、")
	}
	for _, m := range cfg.Ingest.MissingMarkers {
		r.missing[config.NormalizeLabel(m)] = true
	}
	r.missingLen = maxMissingBytes(r.missing)
	for _, p := range cfg.Ingest.NotePrefixes {
		r.notePrefixes = append(r.notePrefixes, config.NormalizeLabel(p))
	}
	for _, t := range cfg.Ingest.TotalLabels {
		r.totals[config.NormalizeLabel(t)] = true
	}
	return r
}

// parser builds the parser of one column as found on a sheet.
func (r *reader) parser(col config.Column, factor float64, date1904 bool) *columnParser {
	return &columnParser{col: col, enum: r.enums[col.Kind], names: r.enumNames[col.Kind], enumList: r.enumLists[col.Kind],
		factor: factor, exp10: powerOfTen(factor), missing: r.missing, missingLen: r.missingLen, date1904: date1904}
}

func (r *reader) isNote(first string) bool {
	n := config.NormalizeLabel(first)
	for _, p := range r.notePrefixes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

func (r *reader) isTotal(first string) bool { return r.totals[config.NormalizeLabel(first)] }

// Read reads every workbook under dir into a dataset; dir may also be a single
// workbook. Files are read in parallel by a bounded pool of workers; the result
// does not depend on their timing. A file or sheet that cannot be read is a
// problem in the dataset, not an error: the error result is for a folder that
// cannot be listed, a cancelled context, or a failure of the engine itself.
func Read(ctx context.Context, cfg *config.Config, dir string, opts Options) (*dataset.Set, error) {
	return NewReader(cfg, opts).Read(ctx, dir)
}

// Reader reads workbooks as Read does, with what every read shares — the
// tables to match, built from the configuration — prepared once.
type Reader struct{ r *reader }

// NewReader prepares a Reader.
func NewReader(cfg *config.Config, opts Options) *Reader { return &Reader{r: newReader(cfg, opts)} }

// Read reads every workbook under dir, as the package's Read does.
func (rd *Reader) Read(ctx context.Context, dir string) (*dataset.Set, error) {
	r, cfg := rd.r, rd.r.cfg
	root := dir
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		root = filepath.Dir(dir) // a single file: its path is relative to its folder
	}
	workers := cfg.Ingest.Workers
	if workers == 0 {
		workers = runtime.NumCPU()
	}
	// The files are read as the walk finds them, so that listing a folder
	// overlaps reading it; progress is reported once the walk has counted
	// them, a call per file as before.
	var results []*fileResult
	var mu sync.Mutex
	done, total := 0, -1
	finished := func() {
		mu.Lock()
		defer mu.Unlock()
		done++
		if total >= 0 && r.progress != nil {
			r.progress(done, total)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	err := walkFiles(dir, func(f foundFile) {
		res := &fileResult{file: f.file}
		results = append(results, res)
		if f.verdict != nil {
			res.problems = []dataset.Problem{*f.verdict}
			finished()
			return
		}
		g.Go(func() error {
			*res = r.readFile(gctx, filepath.Join(root, filepath.FromSlash(f.file.Path)), f.file)
			finished()
			return gctx.Err()
		})
	})
	mu.Lock()
	total = len(results)
	for k := 1; r.progress != nil && k <= done; k++ { // the files finished during the walk
		r.progress(k, total)
	}
	mu.Unlock()
	werr := g.Wait()
	if werr != nil {
		werr = fmt.Errorf("read %s: %w", dir, werr)
	}
	if err := cmp.Or(werr, err); err != nil {
		for _, res := range results {
			res.release()
		}
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]fileResult, len(results))
	for i, res := range results {
		out[i] = *res
	}
	return r.merge(out), nil
}

// merge puts the files' results together in file order, numbering the sources and
// stamping each row with its source.
func (r *reader) merge(results []fileResult) *dataset.Set {
	set := &dataset.Set{Tables: map[string]arrow.Table{}}
	records := map[string][]arrow.Record{}
	for _, res := range results {
		set.Files = append(set.Files, res.file)
		set.Problems = append(set.Problems, res.problems...)
		for _, sh := range res.sheets {
			idx := int32(len(set.Sources))
			set.Sources = append(set.Sources, sh.source)
			for _, rej := range sh.rejected {
				rej.Source = idx
				set.Rejected = append(set.Rejected, rej)
			}
			for _, rec := range sh.records {
				stampSource(rec, idx)
				records[sh.source.Table] = append(records[sh.source.Table], rec)
			}
		}
	}
	for _, spec := range r.specs {
		key := spec.table.Key
		recs := records[key]
		if len(recs) == 0 {
			continue
		}
		set.Tables[key] = array.NewTableFromRecords(r.schemas[key], recs)
		for _, rec := range recs {
			rec.Release()
		}
	}
	r.log.Debug().Int("files", len(set.Files)).Int("sheets", len(set.Sources)).Int("problems", len(set.Problems)).Msg("input read")
	return set
}

// stampSource fills rec's _source column with idx, in place: a sheet's
// records are read with 0 there and are the reader's alone until merged, so
// stamping them costs no new column.
func stampSource(rec arrow.Record, idx int32) {
	src := rec.Column(0).(*array.Int32).Int32Values()
	for i := range src {
		src[i] = idx
	}
}

// foundFile is a file under the input folder, with a verdict when it is not read
// as a workbook.
type foundFile struct {
	file    dataset.File
	verdict *dataset.Problem
}

// walkFiles walks dir in lexical order (or takes dir itself, when it is a
// file). Workbooks (.xlsx, .xlsm) are to be read; every other file gets its
// verdict now: refused with a reason when it looks like a spreadsheet in
// another format, ignored otherwise. Each file is handed to fn as it is found.
func walkFiles(dir string, fn func(foundFile)) error {
	root := dir
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		root = filepath.Dir(dir)
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("list input folder: %w", err)
		}
		if d.IsDir() {
			if path != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return fmt.Errorf("list input folder: %w", err)
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("list input folder: %w", err)
		}
		f := foundFile{file: dataset.File{Path: filepath.ToSlash(rel), Size: info.Size(), Status: dataset.FileRead}}
		if p := classify(f.file.Path, d); p != nil {
			f.verdict = p
			f.file.Status = dataset.FileIgnored
			if p.Severity == dataset.Error {
				f.file.Status = dataset.FileRejected
			}
		}
		fn(f)
		return nil
	})
	return err
}

// classify returns the verdict on a file that is not to be read as a workbook,
// or nil for a workbook.
func classify(rel string, d fs.DirEntry) *dataset.Problem {
	name := d.Name()
	loc := dataset.Location{File: rel}
	ignore := func(reason string) *dataset.Problem {
		return &dataset.Problem{Location: loc, Severity: dataset.Info, Code: "file_ignored", Reason: reason}
	}
	refuse := func(reason string) *dataset.Problem {
		return &dataset.Problem{Location: loc, Severity: dataset.Error, Code: "unsupported_format", Reason: reason}
	}
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case !d.Type().IsRegular():
		return ignore("不是普通文件，已忽略")
	case strings.HasPrefix(name, "~$"):
		return ignore("Excel 或 WPS 打开文件时生成的临时文件，已忽略")
	case strings.HasPrefix(name, "."):
		return ignore("隐藏文件，已忽略")
	case ext == ".xlsx" || ext == ".xlsm":
		return nil
	case ext == ".xls" || ext == ".et":
		return refuse("旧版二进制表格格式，请另存为 .xlsx 后重新提交")
	case ext == ".xlsb" || ext == ".ods" || ext == ".csv" || ext == ".numbers":
		return refuse(ext + " 格式不受支持，请另存为 .xlsx 后重新提交")
	default:
		return ignore("不是工作簿文件，已忽略")
	}
}
