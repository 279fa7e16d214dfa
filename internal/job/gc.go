package job

import (
	"cmp"
	"os"
	"runtime/debug"

	"assessor/dataset"
)

// largeRun is the number of input rows from which a run holds its outcomes
// compactly (assess.RunOptions.Compact) and collects garbage once the heap
// has grown by a quarter (GOGC 25) rather than doubled. Past it the heap is
// what a run costs most of: at a million platforms GOGC 25 peaks at 1.78
// GiB against 2.01–2.21 at GOGC 50, for 80 s against 74–84 s and 139
// against 129 CPU seconds (GOGC 10: 1.51 GiB, but 113 s and 200 CPU
// seconds); GOGC 50 against the default lowered the peak by a sixth when
// the outcomes were structs (4.5 to 3.7 GiB).
// Below it the default's fewer collections are worth their memory: at
// 100,000 platforms (300,000 rows) GOGC 100 ran in 5.45 s against 5.60 s and
// 9.75 against 10.2 CPU seconds (medians of eight runs each, interleaved),
// for a peak of 495 MB instead of 440 MB. In a folder of per-platform forms
// the default's larger headroom on a small heap leaves the second core to
// the reading.
const largeRun = 500_000

// large reports whether a run of the given input rows is large: from
// largeRun rows, or from from rows when it is not 0 (tests).
func large(rows dataset.RowCount, from int) bool { return rows.Read >= cmp.Or(from, largeRun) }

// largeRunGC is the collector's setting (GOGC) for a large run.
const largeRunGC = 25

// collectOften makes the collector run at largeRunGC for a run of the
// given input rows, unless it is small or GOGC is set in the environment
// (the user's choice stands). The returned func restores the setting.
func collectOften(rows dataset.RowCount) (restore func()) {
	if !large(rows, 0) {
		return func() {}
	}
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	prev := debug.SetGCPercent(largeRunGC)
	return func() { debug.SetGCPercent(prev) }
}
