package manifest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"assessor/internal/atomicfile"
)

// FileName is the manifest's name in a year's output folder.
const FileName = "run-manifest.json"

// Format is the version of the manifest's layout, raised when a field changes
// meaning or goes away.
const Format = 1

// Folders of the run that the paths of Files are relative to.
const (
	FolderIn    = "in"
	FolderOut   = "out"
	FolderState = "state"
)

// Manifest is the record of one run. Everything but Run is the same for two
// runs of the same inputs, rules and engine.
type Manifest struct {
	Format        int    `json:"format"`
	Year          int    `json:"year"`
	EngineVersion string `json:"engine_version"`
	ConfigHash    string `json:"config_hash"`            // SHA-256 of the effective rules
	PreviousYear  int    `json:"previous_year,omitzero"` // the history year started from; 0 for a first year
	// Inputs, Outputs and Counts are missing from the record of a run that
	// failed before it knew them.
	Inputs  []File  `json:"inputs,omitzero"`
	Outputs []File  `json:"outputs,omitzero"`
	Counts  *Counts `json:"counts,omitzero"`
	// ExitStatus is the process's exit status; nil when not known.
	ExitStatus *int `json:"exit_status,omitzero"`
	// Error says why a failed run failed.
	Error string `json:"error,omitzero"`
	Run   Run    `json:"run"`
}

// File is one input or output file.
type File struct {
	Folder string `json:"folder"` // FolderIn, FolderOut or FolderState
	Path   string `json:"path"`   // slash-separated, relative to the folder
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Counts says how much was read and how it was assessed.
type Counts struct {
	Files    int  `json:"files"` // files found in the input folder
	Rows     Rows `json:"rows"`  // data rows, over all sheets
	Errors   int  `json:"errors"`
	Warnings int  `json:"warnings"`
	// Assessed is the number of platforms graded on their programme's status
	// assessment; Grades splits it by programme key and grade code.
	Assessed int                       `json:"assessed"`
	Grades   map[string]map[string]int `json:"grades"`
	Changes  map[string]int            `json:"changes"` // the year's status changes by kind
}

// Rows counts data rows: read = accepted + rejected + skipped.
type Rows struct {
	Read     int `json:"read"`
	Accepted int `json:"accepted"`
	Rejected int `json:"rejected"`
	Skipped  int `json:"skipped"`
}

// Run is what differs from one run to the next.
type Run struct {
	ID       string    `json:"id"`
	Host     string    `json:"host,omitzero"`
	DryRun   bool      `json:"dry_run,omitzero"`
	Folders  Folders   `json:"folders"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	// DurationsMS times the steps, in milliseconds: read, assess, write, total.
	DurationsMS map[string]int64 `json:"durations_ms,omitzero"`
}

// Folders are the run's folders as it was given them.
type Folders struct {
	In    string `json:"in"`
	Out   string `json:"out"`
	State string `json:"state"`
}

// HashFile describes the file at root/rel (rel slash-separated) as a File of
// the given folder.
func HashFile(folder, root, rel string) (File, error) {
	f, err := os.Open(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return File{}, fmt.Errorf("hash %s: %w", rel, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return File{}, fmt.Errorf("hash %s: %w", rel, err)
	}
	return File{Folder: folder, Path: rel, Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// Staged describes a staged output file, which goes to path under root.
func Staged(folder, root string, st *atomicfile.Staged) (File, error) {
	rel, err := filepath.Rel(root, st.Path())
	if err != nil {
		return File{}, fmt.Errorf("output %s: %w", st.Path(), err)
	}
	return File{Folder: folder, Path: filepath.ToSlash(rel), Bytes: st.Size(), SHA256: st.SHA256()}, nil
}

// RecordsFolder is the folder of the state folder that keeps a record of
// every run, failed ones included.
const RecordsFolder = "runs"

// WriteRecord writes m to dir as "<started>-<run id>.json", the start in UTC
// (20251215T020000Z), so that the records list in the order the runs
// started; it returns the file's path.
func WriteRecord(dir string, m *Manifest) (string, error) {
	b, err := Encode(m)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("write run record: %w", err)
	}
	path := filepath.Join(dir, m.Run.Started.UTC().Format("20060102T150405Z")+"-"+m.Run.ID+".json")
	err = atomicfile.Write(path, writeBytes(b))
	if err != nil {
		return "", fmt.Errorf("write run record: %w", err)
	}
	return path, nil
}

// Encode renders m as indented JSON ending in a newline.
func Encode(m *Manifest) ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	return append(b, '\n'), nil
}

// Stage writes m to path through atomicfile: nothing is visible there until
// the caller commits it with the outputs it describes.
func Stage(path string, m *Manifest) (*atomicfile.Staged, error) {
	b, err := Encode(m)
	if err != nil {
		return nil, err
	}
	st, err := atomicfile.Stage(path, writeBytes(b))
	if err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	return st, nil
}

// writeBytes is an atomicfile content function writing b.
func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	}
}

// Read reads the manifest at path; the error wraps os.ErrNotExist when there
// is none.
func Read(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read manifest %s: %w", path, err)
	}
	return &m, nil
}

// Diff is what changed from one run's manifest to the next's, each file
// named "<folder>:<path>".
type Diff struct {
	Inputs  []string // inputs added, removed or changed
	Outputs []string // outputs added, removed or changed
	Config  bool     // the rules changed (their hash)
	Engine  bool     // the engine version changed
}

// Reproduced reports whether the outputs are byte for byte the previous ones.
func (d Diff) Reproduced() bool { return len(d.Outputs) == 0 }

// SameInputs reports whether the run read the same files with the same rules
// and engine.
func (d Diff) SameInputs() bool { return len(d.Inputs) == 0 && !d.Config && !d.Engine }

// Compare returns what changed from prev to cur; Run is not compared.
func Compare(prev, cur *Manifest) Diff {
	return Diff{
		Inputs:  changedFiles(prev.Inputs, cur.Inputs),
		Outputs: changedFiles(prev.Outputs, cur.Outputs),
		Config:  prev.ConfigHash != cur.ConfigHash,
		Engine:  prev.EngineVersion != cur.EngineVersion,
	}
}

// changedFiles lists the files added, removed or changed from a to b, sorted.
func changedFiles(a, b []File) []string {
	key := func(f File) string { return f.Folder + ":" + f.Path }
	before := map[string]File{}
	for _, f := range a {
		before[key(f)] = f
	}
	changed := map[string]bool{}
	for _, f := range b {
		k := key(f)
		if old, ok := before[k]; !ok || old.SHA256 != f.SHA256 || old.Bytes != f.Bytes {
			changed[k] = true
		}
		delete(before, k)
	}
	for k := range before {
		changed[k] = true
	}
	return slices.Sorted(maps.Keys(changed))
}
