package job

import (
	"math"
	"os"
	"runtime/debug"
	"testing"

	"assessor/dataset"
)

// memoryLimit returns the collector's soft memory limit, leaving it as it
// was.
func memoryLimit() int64 { return debug.SetMemoryLimit(-1) }

// TestLimitMemory requires a run to set the configured memory limit while
// it runs and to restore the limit after, and a run with no limit
// configured, or with GOMEMLIMIT in its environment, to leave it alone.
func TestLimitMemory(t *testing.T) {
	before := memoryLimit()
	tests := []struct {
		name       string
		mib        int
		gomemlimit string // "" for unset
		want       int64
	}{
		{"configured", 900, "", 900 << 20},
		{"none", 0, "", before},
		{"GOMEMLIMIT set", 900, "2GiB", before},
		{"past what a limit holds", math.MaxInt, "", math.MaxInt64 >> 20 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", tt.gomemlimit) // restored after the test
			if tt.gomemlimit == "" {
				os.Unsetenv("GOMEMLIMIT")
			}
			restore := limitMemory(tt.mib)
			got := memoryLimit()
			restore()
			if got != tt.want {
				t.Errorf("memory limit during the run = %d, want %d", got, tt.want)
			}
			if after := memoryLimit(); after != before {
				t.Errorf("memory limit after the run = %d, want %d as before", after, before)
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
