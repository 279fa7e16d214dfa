package job

import (
	"os"
	"runtime/debug"
	"testing"

	"assessor/dataset"
)

// gcPercent returns the collector's setting, leaving it as it was.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestCollectOften requires a large run to collect at a quarter's growth
// while it runs and to restore the setting after, and a small run, or one with GOGC
// in its environment, to leave the setting alone.
func TestCollectOften(t *testing.T) {
	before := gcPercent()
	tests := []struct {
		name string
		rows int
		gogc string // "" for unset
		want int
	}{
		{"large run", largeRun, "", 25},
		{"small run", largeRun - 1, "", before},
		{"GOGC set", 10 * largeRun, "200", before},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOGC", tt.gogc) // restored after the test
			if tt.gogc == "" {
				os.Unsetenv("GOGC")
			}
			restore := collectOften(dataset.RowCount{Read: tt.rows})
			got := gcPercent()
			restore()
			if got != tt.want {
				t.Errorf("GC percent during the run = %d, want %d", got, tt.want)
			}
			if after := gcPercent(); after != before {
				t.Errorf("GC percent after the run = %d, want %d as before", after, before)
			}
		})
	}
}

// TestLarge checks where a run becomes large: at largeRun input rows, or
// at the rows a test sets.
func TestLarge(t *testing.T) {
	for _, tt := range []struct {
		rows, from int
		want       bool
	}{
		{largeRun - 1, 0, false}, {largeRun, 0, true}, {1, 1, true}, {0, 1, false}, {largeRun, largeRun + 1, false},
	} {
		if got := large(dataset.RowCount{Read: tt.rows}, tt.from); got != tt.want {
			t.Errorf("large(%d rows, from %d) = %v, want %v", tt.rows, tt.from, got, tt.want)
		}
	}
}
