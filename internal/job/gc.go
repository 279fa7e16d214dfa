package job

import (
	"os"
	"runtime/debug"

	"assessor/dataset"
)

// largeRun is the number of input rows from which a run holds its outcomes
// compactly (assess.RunOptions.Compact) and collects garbage at half the
// heap's growth (GOGC 50) rather than at its doubling. Past it the
// heap is what a run costs most of: collecting at half growth lowered the
// peak by a sixth at a million platforms (4.5 to 3.7 GiB when it was set).
// Below it the default's fewer collections are worth their memory: at
// 100,000 platforms (300,000 rows) GOGC 100 ran in 5.45 s against 5.60 s and
// 9.75 against 10.2 CPU seconds (medians of eight runs each, interleaved),
// for a peak of 495 MB instead of 440 MB. In a folder of per-platform forms
// the default's larger headroom on a small heap leaves the second core to
// the reading.
const largeRun = 500_000

// collectOften makes the collector run at half growth for a run of the
// given input rows, unless it is small or GOGC is set in the environment
// (the user's choice stands). The returned func restores the setting.
func collectOften(rows dataset.RowCount) (restore func()) {
	if rows.Read < largeRun {
		return func() {}
	}
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	prev := debug.SetGCPercent(50)
	return func() { debug.SetGCPercent(prev) }
}
