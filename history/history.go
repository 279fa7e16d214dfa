package history

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"assessor/dataset"
	"assessor/internal/atomicfile"
)

// ErrLocked is returned by Open when another process holds the state folder.
var ErrLocked = errors.New("state folder is locked by another run")

// ErrNoYear is returned by Load when the history has no file for the year.
var ErrNoYear = errors.New("no history for the year")

// historyDir is the subfolder of the state folder that holds the year files.
const historyDir = "history"

// fileExt ends every year file's name.
const fileExt = ".parquet"

// Options for Open.
type Options struct {
	// Wait blocks until the lock is free instead of failing with ErrLocked;
	// cancelling the context ends the wait.
	Wait bool
}

// Store is an open state folder. Its methods may be called concurrently.
type Store struct {
	dir      string
	readOnly bool
	mem      memory.Allocator // Arrow buffers; a checked allocator in tests
	cleaned  []string

	mu       sync.Mutex
	lockFile *os.File // nil when read-only or closed
	closed   bool
}

// lockedError names the run that holds a state folder; it is ErrLocked.
type lockedError struct{ dir, holder string }

func (e *lockedError) Error() string {
	return fmt.Sprintf("state folder %s is locked by %s", e.dir, e.holder)
}

func (e *lockedError) Unwrap() error { return ErrLocked }

// Open creates the state folder and its history subfolder if needed, locks
// the folder against other runs (see Options.Wait) and removes the temporary
// files a killed run left in the history (see Cleaned). Close releases the
// lock; the operating system releases it if the process dies.
func Open(ctx context.Context, dir string, opts Options) (*Store, error) {
	return open(ctx, dir, opts, memory.DefaultAllocator)
}

// open is Open with the allocator for Arrow buffers.
func open(ctx context.Context, dir string, opts Options, mem memory.Allocator) (*Store, error) {
	hist := filepath.Join(dir, historyDir)
	if err := os.MkdirAll(hist, 0o755); err != nil {
		return nil, fmt.Errorf("create state folder: %w", err)
	}
	lockPath := filepath.Join(dir, lockName)
	f, err := lock(ctx, lockPath, opts.Wait)
	if errors.Is(err, ErrLocked) {
		return nil, &lockedError{dir: dir, holder: holder(lockPath)}
	}
	if err != nil {
		return nil, fmt.Errorf("state folder %s: %w", dir, err)
	}
	cleaned, err := atomicfile.CleanStale(hist)
	if err != nil {
		_ = unlock(f)
		return nil, fmt.Errorf("state folder %s: %w", dir, err)
	}
	return &Store{dir: dir, mem: mem, cleaned: cleaned, lockFile: f}, nil
}

// OpenReadOnly opens an existing state folder for reading (history show,
// explain) without the lock: year files are only ever replaced by rename, so
// every read sees a whole file. Stage and Save are refused.
func OpenReadOnly(dir string) (*Store, error) {
	return openReadOnly(dir, memory.DefaultAllocator)
}

// openReadOnly is OpenReadOnly with the allocator for Arrow buffers.
func openReadOnly(dir string, mem memory.Allocator) (*Store, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open state folder: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("open state folder: %s is not a folder", dir)
	}
	return &Store{dir: dir, readOnly: true, mem: mem}, nil
}

// Close releases the lock. It is safe to call more than once; after it the
// store refuses Stage and Save.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.lockFile == nil {
		return nil
	}
	f := s.lockFile
	s.lockFile = nil
	return unlock(f)
}

// Cleaned returns the names of the stale temporary files that Open removed
// from the history folder.
func (s *Store) Cleaned() []string { return slices.Clone(s.cleaned) }

// Dir is the state folder.
func (s *Store) Dir() string { return s.dir }

// Path is the file that holds the year's states, whether or not it exists.
func (s *Store) Path(year int) string { return s.path(year) }

// path is the year's history file.
func (s *Store) path(year int) string {
	return filepath.Join(s.dir, historyDir, strconv.Itoa(year)+fileExt)
}

// Years lists the years with a history file, ascending.
func (s *Store) Years() ([]int, error) {
	entries, err := os.ReadDir(filepath.Join(s.dir, historyDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil // a read-only store on a folder that never had a run
	}
	if err != nil {
		return nil, fmt.Errorf("list history: %w", err)
	}
	var years []int
	for _, e := range entries {
		if y, ok := yearOf(e.Name()); ok && e.Type().IsRegular() {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	return years, nil
}

// yearOf parses a year file's name, "<year>.parquet" with the year written
// as path writes it; anything else (temporary files included) is not one.
func yearOf(name string) (int, bool) {
	digits, ok := strings.CutSuffix(name, fileExt)
	if !ok {
		return 0, false
	}
	y, err := strconv.Atoi(digits)
	if err != nil || !validYear(y) || strconv.Itoa(y) != digits {
		return 0, false
	}
	return y, true
}

// validYear bounds the years a file name and the int32 columns can hold.
func validYear(y int) bool { return y >= 1 && y <= 9999 }

// Load reads one year's states by platform id; the error wraps ErrNoYear if
// the history has no file for the year. A file that cannot be read or does
// not hold the year's states is an error naming the file.
func (s *Store) Load(year int) (dataset.History, error) {
	states, err := s.read(year)
	if err != nil {
		return nil, err
	}
	h := make(dataset.History, len(states))
	for _, st := range states {
		h[st.ID] = st
	}
	return h, nil
}

// Meta reads what Stage wrote into the year's file besides the states.
func (s *Store) Meta(year int) (Meta, error) {
	path := s.path(year)
	f, err := openYear(path)
	if err != nil {
		return Meta{}, err
	}
	defer f.Close()
	m, err := readMeta(f, year)
	if err != nil {
		return Meta{}, fmt.Errorf("history %s: %w", path, err)
	}
	return m, nil
}

// read opens, decodes and validates the year's file.
func (s *Store) read(year int) ([]dataset.State, error) {
	path := s.path(year)
	f, err := openYear(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	states, err := decode(f, year, s.mem)
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", path, err)
	}
	return states, nil
}

// openYear opens a year file; its absence is ErrNoYear.
func openYear(path string) (*os.File, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, ErrNoYear)
	}
	if err != nil {
		return nil, fmt.Errorf("open history: %w", err)
	}
	return f, nil
}

// Stage writes one year's states to a temporary file beside the year's file
// and returns it; the caller commits it (after its other outputs, and before
// Close releases the lock) or aborts it. The states must all be of the year, with distinct non-empty ids; their
// order and the order their maps were filled in do not matter.
func (s *Store) Stage(year int, states dataset.States, meta Meta) (*atomicfile.Staged, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.readOnly:
		return nil, fmt.Errorf("save history %d: state folder %s is open read-only", year, s.dir)
	case s.closed:
		return nil, fmt.Errorf("save history %d: state folder %s is closed", year, s.dir)
	case !validYear(year):
		return nil, fmt.Errorf("save history %d: year %d out of range", year, year)
	}
	sorted, err := order(states)
	if err != nil {
		return nil, fmt.Errorf("save history %d: %w", year, err)
	}
	path := s.path(year)
	staged, err := atomicfile.Stage(path, func(w io.Writer) error {
		return encode(w, year, states, sorted, meta, s.mem, func(st *dataset.State) error { return checkState(year, st) })
	})
	if err != nil {
		return nil, fmt.Errorf("save history %s: %w", path, err)
	}
	return staged, nil
}

// Save writes one year's states, replacing any earlier file for the year.
func (s *Store) Save(year int, states dataset.States, meta Meta) error {
	staged, err := s.Stage(year, states, meta)
	if err != nil {
		return err
	}
	if err := staged.Commit(); err != nil {
		staged.Abort()
		return fmt.Errorf("save history %d: %w", year, err)
	}
	return nil
}

// Platform returns one platform's states over all years, ascending by year;
// none if the history never saw it.
func (s *Store) Platform(id string) ([]dataset.State, error) {
	years, err := s.Years()
	if err != nil {
		return nil, err
	}
	var out []dataset.State
	for _, y := range years {
		states, err := s.read(y)
		if err != nil {
			return nil, err
		}
		for _, st := range states {
			if st.ID == id {
				out = append(out, st)
				break
			}
		}
	}
	return out, nil
}

// order returns the positions of the states sorted by (programme, id), as
// the year file keeps them, after checking that every state has an id and
// that no id has two.
func order(states dataset.States) ([]int, error) {
	type key struct {
		programme, id string
		at            int
	}
	keys := make([]key, states.Len())
	for i := range keys {
		keys[i].programme, keys[i].id = states.Key(i)
		keys[i].at = i
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Compare(a.id, b.id) })
	for i, k := range keys {
		switch {
		case k.id == "":
			return nil, fmt.Errorf("a state of programme %q has no id", k.programme)
		case i > 0 && keys[i-1].id == k.id:
			return nil, fmt.Errorf("platform %s: two states", k.id)
		}
	}
	slices.SortStableFunc(keys, func(a, b key) int { return cmp.Compare(a.programme, b.programme) })
	sorted := make([]int, len(keys))
	for i, k := range keys {
		sorted[i] = k.at
	}
	return sorted, nil
}

// checkState refuses a state that Load could not give back as it is.
func checkState(year int, st *dataset.State) error {
	switch {
	case st.Year != year:
		return fmt.Errorf("platform %s: state of year %d", st.ID, st.Year)
	case !fitsInt32(st.Since) || !fitsInt32(st.Review) || !fitsInt32(st.FailStreak):
		return fmt.Errorf("platform %s: since %d, review %d or fail streak %d out of range",
			st.ID, st.Since, st.Review, st.FailStreak)
	}
	for _, g := range st.Grants {
		if !fitsInt32(g.Value) {
			return fmt.Errorf("platform %s: grants[%s] = %d out of range", st.ID, g.Key, g.Value)
		}
	}
	return cmp.Or(inKeyOrder(st.ID, "grades", st.Grades), inKeyOrder(st.ID, "scores", st.Scores),
		inKeyOrder(st.ID, "grants", st.Grants), inKeyOrder(st.ID, "values", st.Values))
}

// inKeyOrder refuses entries (the named map of platform id) whose keys are
// out of order or repeated.
func inKeyOrder[V any](id, name string, e dataset.Entries[V]) error {
	for i := 1; i < len(e); i++ {
		if e[i-1].Key >= e[i].Key {
			return fmt.Errorf("platform %s: %s keys %q and %q out of order or repeated", id, name, e[i-1].Key, e[i].Key)
		}
	}
	return nil
}
