package job

import (
	"cmp"
	"math"
	"os"
	"runtime/debug"

	"assessor/dataset"
)

// largeRun is the number of input rows from which a run holds its outcomes
// compactly (assess.RunOptions.Compact): on disk while the platforms are
// stepped, encoded in memory after. Below it the outcomes as structs are
// few enough, and faster to read.
const largeRun = 500_000

// large reports whether a run of the given input rows is large: from
// largeRun rows, or from from rows when it is not 0 (tests).
func large(rows dataset.RowCount, from int) bool { return rows.Read >= cmp.Or(from, largeRun) }

// limitMemory sets the collector's soft memory limit to mib MiB
// (config run.memory_limit_mib) for a run, unless mib is 0 or GOMEMLIMIT
// is set in the environment (the user's choice stands). The returned func
// restores the previous limit.
//
// Under the limit the collector keeps its default pace, letting the heap
// grow to twice what is live; near it, it collects as often as it takes
// to stay under it. At a million platforms (2.96M input rows) a limit of
// 900 MiB peaked at 0.91 GiB of resident memory in 66-71 s, where a
// collector run at a quarter's growth throughout (GOGC 25, this job's
// setting for large runs before) peaked at 1.07 GiB in 71 s, and the
// default's at about twice the live heap. A regional run never nears it.
func limitMemory(mib int) (restore func()) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set || mib <= 0 {
		return func() {}
	}
	prev := debug.SetMemoryLimit(min(int64(mib), math.MaxInt64>>20) << 20)
	return func() { debug.SetMemoryLimit(prev) }
}
