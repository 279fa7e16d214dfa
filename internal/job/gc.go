package job

import (
	"os"
	"runtime/debug"

	"assessor/dataset"
)

// largeRun is the number of input rows from which a run collects garbage at
// half the heap's growth (GOGC 50) rather than at its doubling: a run of
// hundreds of thousands of platforms, whose heap runs to gigabytes. There
// collecting at half growth lowered the peak by a sixth (4.5 to 3.7 GiB at
// a million platforms, about 3 million rows) for the same time. Below it
// the default stands: at 100,000 platforms (300,000 rows) half growth saved
// a fifth of 600 MB but cost a few per cent of the time, and on the small
// heap of a folder of per-platform forms it leaves the second reading
// worker nothing to gain.
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
