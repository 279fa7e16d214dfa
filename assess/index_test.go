package assess

import "testing"

// A report record is released once the platforms of all its rows are
// stepped, not when the programme is done: a roster's columns are given
// back while it is assessed.
func TestReportRecordsReleasedAsStepped(t *testing.T) {
	b := newBuilder(t, defaultConfig(t))
	b.batch = 2 // records A B, C D, E
	for _, id := range []string{"A", "B", "C", "D", "E"} {
		b.add("tic", ticReport(id, 2023, 1))
	}
	b.add("tic", ticReport("A", 2022, 1)) // another year's row: not indexed
	set := b.build()
	reps, err := readReports(set, "tic", 2023)
	if err != nil {
		t.Fatal(err)
	}
	set.Release() // the index holds the records now
	if len(reps.records) != 3 {
		t.Fatalf("%d records held, want 3 (the last holds only another year's row beside E)", len(reps.records))
	}
	size := b.mem.CurrentAlloc()
	steps := []struct {
		id      string
		release bool // the step frees a record
	}{
		{"B", false}, // A is left in its record
		{"D", false},
		{"A", true},
		{"E", true}, // the other year's row does not hold it
		{"C", true},
	}
	for _, s := range steps {
		reps.done(reps.byID.get(s.id))
		now := b.mem.CurrentAlloc()
		if freed := now < size; freed != s.release {
			t.Errorf("after %s: memory freed %v, want %v (%d → %d bytes)", s.id, freed, s.release, size, now)
		}
		size = now
	}
	if size != 0 {
		t.Errorf("%d bytes held once every platform is stepped, want 0", size)
	}
	reps.release() // releases nothing twice (the allocator would go below 0)
	b.mem.AssertSize(t, 0)
}

// Records whose platforms are never stepped (unknown ids, another
// programme's) are released with the index.
func TestReportRecordsReleasedWithIndex(t *testing.T) {
	b := newBuilder(t, defaultConfig(t))
	b.batch = 1
	b.add("tic", ticReport("A", 2023, 1), ticReport("B", 2023, 1))
	set := b.build()
	reps, err := readReports(set, "tic", 2023)
	if err != nil {
		t.Fatal(err)
	}
	set.Release()
	reps.done(reps.byID.get("A"))
	if b.mem.CurrentAlloc() == 0 {
		t.Fatal("B's record was released before B was stepped")
	}
	reps.release()
	b.mem.AssertSize(t, 0)
	reps.release() // again: nothing
	b.mem.AssertSize(t, 0)
}
