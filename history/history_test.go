package history

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"assessor/dataset"
)

// newMem returns an allocator that fails the test if any Arrow buffer is
// left unreleased when the test ends.
func newMem(t *testing.T) memory.Allocator {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

// openT opens dir for writing with a checked allocator and closes it when
// the test ends.
func openT(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := open(context.Background(), dir, Options{}, newMem(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// yearPath is where the store keeps the year's file.
func yearPath(dir string, year int) string {
	return filepath.Join(dir, "history", strconv.Itoa(year)+".parquet")
}

// state returns a state of the year with all its maps filled.
func state(id, programme string, year int) dataset.State {
	return dataset.State{
		ID: id, Programme: programme, Year: year,
		Status: dataset.Rectifying, Since: year - 1, Review: year + 1, FailStreak: 2,
		Outcome: "assessed", Source: dataset.SourceRun,
		Grades: dataset.Entries[string]{{Key: "annual", Value: "C"}, {Key: "term", Value: "B"}},
		Scores: dataset.Entries[float64]{{Key: "annual", Value: 58.5}, {Key: "term", Value: 71.25}},
		Grants: dataset.Entries[int]{{Key: "bonus", Value: 3}, {Key: "startup", Value: 1}},
		Values: dataset.Entries[float64]{{Key: "patents", Value: 7}, {Key: "rd_spend", Value: 1234.5}, {Key: "staff", Value: 0}},
	}
}

// byID indexes states as Load returns them.
func byID(states []dataset.State) dataset.History {
	h := dataset.History{}
	for _, st := range states {
		h[st.ID] = st
	}
	return h
}

func TestRoundTrip(t *testing.T) {
	empty := state("p-empty", "lab", 2025)
	empty.Grades, empty.Scores = dataset.Entries[string]{}, dataset.Entries[float64]{}
	empty.Grants, empty.Values = dataset.Entries[int]{}, dataset.Entries[float64]{}
	nilMaps := dataset.State{ID: "p-nil", Programme: "lab", Year: 2025, Status: dataset.Active,
		Outcome: "no_report", Source: dataset.SourceImport}
	mixed := state("p-mixed", "centre", 2025)
	mixed.Grades, mixed.Values = nil, dataset.Entries[float64]{}
	unicode := state("蒙-001", "重点实验室", 2025)
	unicode.Grades = dataset.Entries[string]{{Key: "", Value: "x"}, {Key: "年度", Value: "优秀"}}

	tests := []struct {
		name   string
		states []dataset.State
	}{
		{"no states", nil},
		{"full maps", []dataset.State{state("p1", "lab", 2025), state("p2", "centre", 2025)}},
		{"empty maps stay empty", []dataset.State{empty}},
		{"nil maps stay nil", []dataset.State{nilMaps}},
		{"nil and empty in one state", []dataset.State{mixed}},
		{"unicode and empty keys", []dataset.State{unicode}},
		{"all together", []dataset.State{nilMaps, empty, mixed, unicode, state("p1", "lab", 2025)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openT(t, t.TempDir())
			meta := Meta{ConfigHash: "sha256:abc", Version: "v1.2.3"}
			if err := s.Save(2025, dataset.StateList(tt.states), meta); err != nil {
				t.Fatalf("Save: %v", err)
			}
			got, err := s.Load(2025)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if want := byID(tt.states); !reflect.DeepEqual(got, want) {
				t.Errorf("Load:\n got %#v\nwant %#v", got, want)
			}
			if gotMeta, err := s.Meta(2025); err != nil || gotMeta != meta {
				t.Errorf("Meta = %+v, %v; want %+v", gotMeta, err, meta)
			}
		})
	}
}

// TestNilAndEmptyMaps spells out what TestRoundTrip checks with DeepEqual: a
// nil map comes back nil and an empty map comes back empty, not nil.
func TestNilAndEmptyMaps(t *testing.T) {
	s := openT(t, t.TempDir())
	st := dataset.State{ID: "p", Year: 2025, Grades: dataset.Entries[string]{}}
	if err := s.Save(2025, dataset.StateList{st}, Meta{}); err != nil {
		t.Fatal(err)
	}
	h, err := s.Load(2025)
	if err != nil {
		t.Fatal(err)
	}
	got := h["p"]
	if got.Grades == nil || len(got.Grades) != 0 {
		t.Errorf("empty Grades came back as %#v, want an empty map", got.Grades)
	}
	if got.Scores != nil || got.Grants != nil || got.Values != nil {
		t.Errorf("nil maps came back as %#v, %#v, %#v; want nil", got.Scores, got.Grants, got.Values)
	}
}

// TestEveryField sets every field of State, found by reflection, so that a
// field added to State and not to the file layout fails here.
func TestEveryField(t *testing.T) {
	var st dataset.State
	v := reflect.ValueOf(&st).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		name := v.Type().Field(i).Name
		switch f.Kind() {
		case reflect.String:
			f.SetString("value of " + name)
		case reflect.Int:
			f.SetInt(int64(100 + i))
		case reflect.Slice: // dataset.Entries: one entry {Key: "k", Value: …}
			entry := reflect.New(f.Type().Elem()).Elem()
			entry.FieldByName("Key").SetString("k")
			val := entry.FieldByName("Value")
			switch val.Kind() {
			case reflect.String:
				val.SetString("v")
			case reflect.Int:
				val.SetInt(int64(i))
			case reflect.Float64:
				val.SetFloat(float64(i) + 0.5)
			default:
				t.Fatalf("State.%s: entries of %s not covered by this test", name, val.Kind())
			}
			f.Set(reflect.Append(reflect.MakeSlice(f.Type(), 0, 1), entry))
		default:
			t.Fatalf("State.%s: kind %s not covered by this test", name, f.Kind())
		}
	}
	st.Year = 2025
	s := openT(t, t.TempDir())
	if err := s.Save(2025, dataset.StateList{st}, Meta{}); err != nil {
		t.Fatal(err)
	}
	h, err := s.Load(2025)
	if err != nil {
		t.Fatal(err)
	}
	if got := h[st.ID]; !reflect.DeepEqual(got, st) {
		t.Errorf("round trip lost a field:\n got %#v\nwant %#v", got, st)
	}
}

func TestYearsAndPlatform(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	saved := map[int][]dataset.State{
		2023: {state("p1", "lab", 2023)},
		2025: {state("p1", "lab", 2025), state("p2", "lab", 2025)},
		2024: {state("p2", "lab", 2024), state("p1", "lab", 2024)},
	}
	for _, year := range []int{2025, 2023, 2024} {
		if err := s.Save(year, dataset.StateList(saved[year]), Meta{Version: strconv.Itoa(year)}); err != nil {
			t.Fatalf("Save %d: %v", year, err)
		}
	}
	// Files that are not year files are ignored.
	for _, name := range []string{"notes.txt", "02024.parquet", "2024.parquet.bak", "x.parquet"} {
		if err := os.WriteFile(filepath.Join(dir, "history", name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	years, err := s.Years()
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{2023, 2024, 2025}; !slices.Equal(years, want) {
		t.Errorf("Years = %v, want %v", years, want)
	}

	tests := []struct {
		id   string
		want []dataset.State
	}{
		{"p1", []dataset.State{saved[2023][0], saved[2024][1], saved[2025][0]}},
		{"p2", []dataset.State{saved[2024][0], saved[2025][1]}},
		{"nobody", nil},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, err := s.Platform(tt.id)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Platform(%s):\n got %#v\nwant %#v", tt.id, got, tt.want)
			}
		})
	}

	if m, err := s.Meta(2024); err != nil || m.Version != "2024" {
		t.Errorf("Meta(2024) = %+v, %v", m, err)
	}
}

func TestDeterminism(t *testing.T) {
	states := []dataset.State{state("p1", "lab", 2025), state("p2", "centre", 2025), state("p0", "lab", 2025)}
	states[1].Grades = nil
	// The same states in another order, with maps filled in another order.
	reordered := make([]dataset.State, 0, len(states))
	for _, st := range slices.Backward(states) {
		st.Values = nil
		for _, k := range []string{"staff", "patents", "rd_spend"} {
			v, _ := states[0].Values.Get(k)
			st.Values.Set(k, v)
		}
		st.Grants = nil
		st.Grants.Set("bonus", 3)
		st.Grants.Set("startup", 1)
		reordered = append(reordered, st)
	}
	meta := Meta{ConfigHash: "h", Version: "v"}

	var sums [][32]byte
	for _, ss := range [][]dataset.State{states, reordered, states} {
		dir := t.TempDir()
		s := openT(t, dir)
		if err := s.Save(2025, dataset.StateList(ss), meta); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(yearPath(dir, 2025))
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, sha256.Sum256(b))
	}
	for i := 1; i < len(sums); i++ {
		if sums[i] != sums[0] {
			t.Errorf("save %d: sha256 %x, save 1: %x", i+1, sums[i], sums[0])
		}
	}
}

func TestStageAndCommit(t *testing.T) {
	dir := t.TempDir()
	states := []dataset.State{state("p1", "lab", 2025)}

	s, err := open(context.Background(), dir, Options{}, newMem(t))
	if err != nil {
		t.Fatal(err)
	}
	staged, err := s.Stage(2025, dataset.StateList(states), Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if staged.Path() != yearPath(dir, 2025) {
		t.Errorf("staged for %s, want %s", staged.Path(), yearPath(dir, 2025))
	}
	// Not committed: as if the run were killed here.
	if _, err := os.Stat(yearPath(dir, 2025)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("year file visible before Commit: %v", err)
	}
	if years, err := s.Years(); err != nil || len(years) != 0 {
		t.Errorf("Years before Commit = %v, %v; want none", years, err)
	}
	if _, err := s.Load(2025); !errors.Is(err, ErrNoYear) {
		t.Errorf("Load before Commit: %v, want ErrNoYear", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := openT(t, dir)
	cleaned := s2.Cleaned()
	if len(cleaned) != 1 || !strings.HasPrefix(cleaned[0], ".2025.parquet.") || !strings.HasSuffix(cleaned[0], ".tmp") {
		t.Fatalf("Cleaned = %q, want the one staged file", cleaned)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "history")); len(entries) != 0 {
		t.Errorf("history folder not empty after cleaning: %v", entries)
	}

	// Abort leaves nothing; Commit makes the year visible.
	aborted, err := s2.Stage(2025, dataset.StateList(states), Meta{})
	if err != nil {
		t.Fatal(err)
	}
	aborted.Abort()
	committed, err := s2.Stage(2025, dataset.StateList(states), Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := committed.Commit(); err != nil {
		t.Fatal(err)
	}
	if h, err := s2.Load(2025); err != nil || !reflect.DeepEqual(h, byID(states)) {
		t.Errorf("Load after Commit = %v, %v", h, err)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "history")); len(entries) != 1 {
		t.Errorf("history folder after Abort and Commit: %v, want the year file only", entries)
	}
}

func TestStageRefused(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	ok := state("p1", "lab", 2025)
	overflow := state("p2", "lab", 2025)
	overflow.Grants.Set("bonus", 1<<40)
	unsorted := state("p3", "lab", 2025)
	unsorted.Values = dataset.Entries[float64]{{Key: "staff", Value: 1}, {Key: "patents", Value: 2}}
	tests := []struct {
		name   string
		year   int
		states []dataset.State
		want   string
	}{
		{"state of another year", 2025, []dataset.State{ok, state("p2", "lab", 2024)}, "platform p2: state of year 2024"},
		{"id twice", 2025, []dataset.State{ok, state("p1", "centre", 2025)}, "platform p1: two states"},
		{"no id", 2025, []dataset.State{state("", "lab", 2025)}, `programme "lab" has no id`},
		{"grant count too large", 2025, []dataset.State{overflow}, "grants[bonus]"},
		{"entries out of order", 2025, []dataset.State{unsorted}, `values keys "staff" and "patents" out of order`},
		{"year out of range", 0, nil, "year 0 out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Stage(tt.year, dataset.StateList(tt.states), Meta{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Stage: %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "history")); len(entries) != 0 {
		t.Errorf("refused stages left files: %v", entries)
	}

	ro, err := openReadOnly(dir, newMem(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := ro.Save(2025, dataset.StateList{ok}, Meta{}); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("Save on a read-only store: %v", err)
	}
	closed, err := open(context.Background(), t.TempDir(), Options{}, newMem(t))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // Close twice is fine
		if err := closed.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	if err := closed.Save(2025, dataset.StateList{ok}, Meta{}); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Save on a closed store: %v", err)
	}
}

func TestOpenReadOnly(t *testing.T) {
	dir := t.TempDir()
	if _, err := OpenReadOnly(filepath.Join(dir, "missing")); err == nil {
		t.Error("OpenReadOnly of a missing folder: no error")
	}
	f := filepath.Join(dir, "file")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenReadOnly(f); err == nil {
		t.Error("OpenReadOnly of a file: no error")
	}
	// A folder that never had a run has no years.
	s, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if years, err := s.Years(); err != nil || len(years) != 0 {
		t.Errorf("Years = %v, %v; want none", years, err)
	}
	if s.Dir() != dir {
		t.Errorf("Dir = %s, want %s", s.Dir(), dir)
	}
}

func TestLock(t *testing.T) {
	dir := t.TempDir()
	first := openT(t, dir)
	if err := first.Save(2025, dataset.StateList{state("p1", "lab", 2025)}, Meta{}); err != nil {
		t.Fatal(err)
	}

	t.Run("second open fails fast", func(t *testing.T) {
		start := time.Now()
		_, err := Open(context.Background(), dir, Options{})
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("second Open: %v, want ErrLocked", err)
		}
		want := "state folder " + dir + " is locked by pid " + strconv.Itoa(os.Getpid()) + " since "
		if !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %q does not start with %q", err, want)
		}
		since := strings.TrimPrefix(err.Error(), want)
		if _, perr := time.Parse(time.RFC3339, since); perr != nil {
			t.Errorf("error %q: start time: %v", err, perr)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("second Open took %v", d)
		}
	})

	t.Run("read-only open ignores the lock", func(t *testing.T) {
		ro, err := openReadOnly(dir, newMem(t))
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		if _, err := ro.Load(2025); err != nil {
			t.Errorf("Load: %v", err)
		}
	})

	t.Run("cancelled wait", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			s, err := Open(ctx, dir, Options{Wait: true})
			if err == nil {
				_ = s.Close()
			}
			done <- err
		}()
		time.Sleep(50 * time.Millisecond)
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("cancelled Open: %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("cancelling the context did not end the wait")
		}
	})

	t.Run("wait until closed", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		done := make(chan error, 1)
		go func() {
			s, err := open(ctx, dir, Options{Wait: true}, memory.DefaultAllocator)
			if err == nil {
				err = s.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			t.Fatalf("waiting Open returned while the lock was held: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
		if err := first.Close(); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("waiting Open: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("waiting Open did not get the lock after Close")
		}
	})
}

// lockDirEnv tells the test binary, run again by TestLockAcrossProcesses, to
// hold the lock on the folder it names.
const lockDirEnv = "HISTORY_TEST_HOLD_LOCK"

// TestHoldLock is the child of TestLockAcrossProcesses: it locks the folder,
// says so on stdout and holds the lock until stdin closes or it is killed.
func TestHoldLock(t *testing.T) {
	dir := os.Getenv(lockDirEnv)
	if dir == "" {
		t.Skip("only run by TestLockAcrossProcesses")
	}
	s, err := Open(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stdout.WriteString("locked\n"); err != nil {
		t.Fatal(err)
	}
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
}

func TestLockAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	child := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHoldLock$", "-test.count=1")
	child.Env = append(os.Environ(), lockDirEnv+"="+dir)
	child.Stderr = os.Stderr
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "locked\n" {
		_ = child.Process.Kill()
		_ = child.Wait()
		t.Fatalf("child: %q, %v", line, err)
	}

	_, err = Open(context.Background(), dir, Options{})
	if !errors.Is(err, ErrLocked) {
		t.Errorf("Open while the child holds the lock: %v, want ErrLocked", err)
	} else if want := "pid " + strconv.Itoa(child.Process.Pid) + " since"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name the child (%s)", err, want)
	}

	// A killed holder closes nothing itself: the kernel releases the lock.
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := child.Wait(); err == nil {
		t.Error("child exited cleanly, want killed")
	}
	s := openT(t, dir)
	if len(s.Cleaned()) != 0 {
		t.Errorf("Cleaned = %v", s.Cleaned())
	}
}

// writeParquet writes a parquet file of one string column "id" with the
// given key-value metadata, for layouts Stage never writes.
func writeParquet(t *testing.T, path string, md map[string]string) {
	t.Helper()
	mem := newMem(t)
	meta := arrow.MetadataFrom(md)
	sc := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.BinaryTypes.String}}, &meta)
	b := array.NewRecordBuilder(mem, sc)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).Append("p1")
	rec := b.NewRecord()
	defer rec.Release()
	tbl := array.NewTableFromRecords(sc, []arrow.Record{rec})
	defer tbl.Release()
	var buf bytes.Buffer
	if err := pqarrow.WriteTable(tbl, &buf, 1024, nil, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// encodeFile writes states to path as a year file of the given year,
// without Stage's checks.
func encodeFile(t *testing.T, path string, year int, states []dataset.State) {
	t.Helper()
	var buf bytes.Buffer
	sorted := make([]int, len(states)) // by (programme, id), as order sorts them, without its checks
	for i := range sorted {
		sorted[i] = i
	}
	slices.SortStableFunc(sorted, func(a, b int) int {
		return cmp.Or(cmp.Compare(states[a].Programme, states[b].Programme), cmp.Compare(states[a].ID, states[b].ID))
	})
	if err := encode(&buf, year, dataset.StateList(states), sorted, Meta{}, newMem(t), nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCorruption(t *testing.T) {
	good := []dataset.State{state("p1", "lab", 2025), state("p2", "lab", 2025)}
	tests := []struct {
		name  string
		write func(t *testing.T, path string)
		want  string
	}{
		{"truncated", func(t *testing.T, path string) {
			encodeFile(t, path, 2025, good)
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, fi.Size()/2); err != nil {
				t.Fatal(err)
			}
		}, "read parquet"},
		{"truncated to nothing", func(t *testing.T, path string) {
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, "file too small"},
		{"not parquet", func(t *testing.T, path string) {
			if err := os.WriteFile(path, bytes.Repeat([]byte("assessor "), 100), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "read parquet"},
		{"metadata of another year", func(t *testing.T, path string) {
			encodeFile(t, path, 2024, []dataset.State{state("p1", "lab", 2024)})
		}, `assessor.year metadata is "2024", but the file is named for 2025`},
		{"no year metadata", func(t *testing.T, path string) {
			writeParquet(t, path, nil)
		}, "no assessor.year metadata"},
		{"row of another year", func(t *testing.T, path string) {
			encodeFile(t, path, 2025, []dataset.State{state("p1", "lab", 2025), state("p2", "lab", 2023)})
		}, "row 2 (platform p2): year 2023"},
		{"platform twice", func(t *testing.T, path string) {
			encodeFile(t, path, 2025, []dataset.State{state("p1", "lab", 2025), state("p1", "lab", 2025)})
		}, `platform "p1" twice`},
		{"other columns", func(t *testing.T, path string) {
			writeParquet(t, path, map[string]string{"assessor.year": "2025"})
		}, "1 columns, want 13"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := openT(t, dir)
			path := yearPath(dir, 2025)
			tt.write(t, path)

			_, err := s.Load(2025)
			if err == nil {
				t.Fatal("Load: no error")
			}
			if errors.Is(err, ErrNoYear) {
				t.Errorf("Load: %v; a corrupt file is not a missing year", err)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load: %v\nwant the file %s and %q", err, path, tt.want)
			}
			if _, err := s.Platform("p1"); err == nil {
				t.Error("Platform: no error")
			}
		})
	}
}

func TestNoYear(t *testing.T) {
	s := openT(t, t.TempDir())
	if _, err := s.Load(2025); !errors.Is(err, ErrNoYear) {
		t.Errorf("Load: %v, want ErrNoYear", err)
	}
	if _, err := s.Meta(2025); !errors.Is(err, ErrNoYear) {
		t.Errorf("Meta: %v, want ErrNoYear", err)
	}
	if states, err := s.Platform("p1"); err != nil || states != nil {
		t.Errorf("Platform = %v, %v; want none", states, err)
	}
}

// A year of more states than a row group holds is written in several groups
// and reads back whole, in order.
func TestRowGroups(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	n := rowGroupRows + rowGroupRows/2
	states := make([]dataset.State, n)
	for i := range states {
		states[i] = dataset.State{ID: fmt.Sprintf("p%06d", n-i), Programme: "lab", Year: 2025, FailStreak: i} // in reverse: the file sorts them
		if i%1000 == 0 {
			states[i] = state(states[i].ID, "lab", 2025) // some with every field
		}
	}
	if err := s.Save(2025, dataset.StateList(states), Meta{}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(2025)
	if err != nil {
		t.Fatal(err)
	}
	if want := byID(states); !reflect.DeepEqual(got, want) {
		t.Fatalf("%d states came back as %d, or changed", len(want), len(got))
	}
	f, err := os.Open(yearPath(dir, 2025))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pf, err := file.NewParquetReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if groups := pf.NumRowGroups(); groups != 2 {
		t.Errorf("%d row groups, want 2", groups)
	}
}
