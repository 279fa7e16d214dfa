package job

import (
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"

	"assessor/dataset"
	"assessor/history"
	"assessor/internal/atomicfile"
	"assessor/internal/manifest"
	"assessor/report"
)

// record is the run's manifest as the run fills it in.
type record struct {
	m    manifest.Manifest
	last time.Time // end of the previous step
}

// newRecord starts the record of a run.
func newRecord(o Options) *record {
	now := time.Now()
	host, _ := os.Hostname()
	hash, _ := o.Config.Hash() // an error here fails the run, later
	return &record{last: now, m: manifest.Manifest{
		Format: manifest.Format, Year: o.Year, EngineVersion: o.Version, ConfigHash: hash,
		Run: manifest.Run{ID: o.RunID, Host: host, DryRun: o.DryRun, Started: now,
			Folders:     manifest.Folders{In: o.In, Out: o.Out, State: o.State},
			DurationsMS: map[string]int64{}},
	}}
}

// step records the time a step took since the previous one ended.
func (r *record) step(name string) {
	now := time.Now()
	r.m.Run.DurationsMS[name] = now.Sub(r.last).Milliseconds()
	r.last = now
}

// inputs records the files read: every file found in the input folder and the
// previous year's history file.
func (r *record) inputs(o Options, set *dataset.Set, store *history.Store, prevYear int) error {
	root := o.In
	if info, err := os.Stat(root); err == nil && !info.IsDir() {
		root = filepath.Dir(root) // a single workbook: paths are relative to its folder
	}
	for _, f := range set.Files {
		file, err := manifest.HashFile(manifest.FolderIn, root, f.Path)
		if err != nil {
			return &IOError{Op: "hash input", Err: err}
		}
		r.m.Inputs = append(r.m.Inputs, file)
	}
	if prevYear != 0 {
		rel, err := filepath.Rel(o.State, store.Path(prevYear))
		if err != nil {
			return &IOError{Op: "hash history", Err: err}
		}
		file, err := manifest.HashFile(manifest.FolderState, o.State, filepath.ToSlash(rel))
		if err != nil {
			return &IOError{Op: "hash history", Err: err}
		}
		r.m.Inputs = append(r.m.Inputs, file)
	}
	return nil
}

// inputFiles are the input files recorded, for the workbooks' run
// information.
func (r *record) inputFiles() []report.InputFile {
	var out []report.InputFile
	for _, f := range r.m.Inputs {
		if f.Folder == manifest.FolderIn {
			out = append(out, report.InputFile{Path: f.Path, Size: f.Bytes, SHA256: f.SHA256})
		}
	}
	return out
}

// output records a staged output file that goes under root, one of the run's
// folders.
func (r *record) output(folder, root string, st *atomicfile.Staged) error {
	file, err := manifest.Staged(folder, root, st)
	if err != nil {
		return err
	}
	r.m.Outputs = append(r.m.Outputs, file)
	return nil
}

// counts records the summary's counts.
func (r *record) counts(s *Summary) {
	c := &manifest.Counts{Files: s.Files, Errors: s.Errors, Warnings: s.Warnings,
		Rows:   manifest.Rows{Read: s.Rows.Read, Accepted: s.Rows.Accepted, Rejected: s.Rows.Rejected, Skipped: s.Rows.Skipped},
		Grades: s.Grades, Changes: map[string]int{}}
	for _, grades := range s.Grades {
		for _, n := range grades {
			c.Assessed += n
		}
	}
	for kind, n := range s.Changes {
		c.Changes[string(kind)] = n
	}
	r.m.Counts = c
}

// status records how the run ended.
func (r *record) status(o Options, s *Summary, err error) {
	if o.ExitStatus != nil {
		code := o.ExitStatus(s, err)
		r.m.ExitStatus = &code
	}
	if err != nil {
		r.m.Error = err.Error()
	}
	r.m.Run.Finished = time.Now()
	r.m.Run.DurationsMS["total"] = r.m.Run.Finished.Sub(r.m.Run.Started).Milliseconds()
}

// compare logs whether the run reproduced the outputs of the previous run
// recorded at path, or what changed.
func (r *record) compare(path string, log zerolog.Logger) {
	prev, err := manifest.Read(path)
	if errors.Is(err, os.ErrNotExist) {
		log.Info().Msg("first run of the year into this output folder: no previous manifest to compare with")
		return
	}
	if err != nil {
		log.Warn().Err(err).Msg("the previous manifest cannot be read: outputs not compared")
		return
	}
	d := manifest.Compare(prev, &r.m)
	unchanged, changed := "outputs unchanged", "outputs changed"
	if r.m.Run.DryRun {
		unchanged, changed = "dry run: outputs would be unchanged", "dry run: outputs would change"
	}
	log = log.With().Str("previous_run", prev.Run.ID).Logger()
	switch {
	case d.Reproduced() && d.SameInputs():
		log.Info().Msg(unchanged + ": same inputs, rules and engine as the previous run, same outputs byte for byte")
	case d.Reproduced():
		log.Info().Strs("inputs_changed", d.Inputs).Bool("rules_changed", d.Config).Bool("engine_changed", d.Engine).
			Msg(unchanged + ": the inputs changed, yet the outputs are byte for byte the previous run's")
	case d.SameInputs():
		log.Warn().Strs("outputs_changed", d.Outputs).Msg(changed + " although the inputs, rules and engine did not")
	default:
		log.Info().Strs("outputs_changed", d.Outputs).Strs("inputs_changed", d.Inputs).Bool("rules_changed", d.Config).
			Bool("engine_changed", d.Engine).Msg(changed)
	}
}

// keep writes the record to the state folder's records, which keep every run
// but dry runs, failed ones included; a failure to write it is logged, not
// returned, since the run's outcome is decided.
func (r *record) keep(o Options, log zerolog.Logger) {
	if o.DryRun || o.State == "" {
		return
	}
	path, err := manifest.WriteRecord(filepath.Join(o.State, manifest.RecordsFolder), &r.m)
	if err != nil {
		log.Warn().Err(err).Msg("the run record could not be written")
		return
	}
	log.Debug().Str("record", path).Msg("run record written")
}
