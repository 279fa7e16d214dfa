package job

import (
	"context"
	"fmt"
	"testing"

	"github.com/rs/zerolog"

	"assessor/assess"
	"assessor/config"
	"assessor/dataset"
	"assessor/history"
	"assessor/report"
	"assessor/samples"
)

// benchRows are the sizes of the benchmark sets (samples.BenchSizes).
func benchRows(b *testing.B) []int {
	sizes, err := samples.BenchSizes()
	if err != nil {
		b.Fatal(err)
	}
	return sizes
}

// benchInput returns the benchmark set of n enclaves (samples.BenchSet).
func benchInput(b *testing.B, n int) string {
	b.Helper()
	dir, err := samples.BenchSet(n)
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkRun runs a year end to end — read, assess, write the workbook and
// the history — on generated rosters, reporting rows per second.
func BenchmarkRun(b *testing.B) {
	for _, n := range benchRows(b) {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			in := benchInput(b, n)
			cfg := testConfig(b)
			cfg.Run.FirstYear = sampleYear
			b.ReportAllocs()
			b.ResetTimer()
			rows := 0
			for range b.N {
				s, err := Run(context.Background(), Options{Config: cfg, Year: sampleYear, In: in, Out: b.TempDir(),
					State: b.TempDir(), Version: "bench", Log: zerolog.Nop()})
				if err != nil {
					b.Fatal(err)
				}
				rows = s.Rows.Read
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// benchRead reads the benchmark set of n enclaves with the test
// configuration; the set is released when the benchmark ends.
func benchRead(b *testing.B, n int) (*config.Config, *dataset.Set) {
	b.Helper()
	in := benchInput(b, n)
	cfg := testConfig(b)
	cfg.Run.FirstYear = sampleYear
	set, err := read(context.Background(), Options{Config: cfg, In: in, Log: zerolog.Nop()}, in, nil, zerolog.Nop())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(set.Release)
	return cfg, set
}

// benchAssess reads and assesses the benchmark set of n enclaves.
func benchAssess(b *testing.B, n int) (*config.Config, *dataset.Set, *assess.Result) {
	b.Helper()
	cfg, set := benchRead(b, n)
	res, err := assess.RunWith(cfg, set, sampleYear, nil, runOptions(set))
	if err != nil {
		b.Fatal(err)
	}
	return cfg, set, res
}

// runOptions holds the outcomes as a run of the set would.
func runOptions(set *dataset.Set) assess.RunOptions {
	return assess.RunOptions{Compact: large(summarize(set, nil).Rows, 0)}
}

// BenchmarkAssess assesses the generated year, read once beforehand.
func BenchmarkAssess(b *testing.B) {
	for _, n := range benchRows(b) {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			cfg, set := benchRead(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				res, err := assess.RunWith(cfg, set, sampleYear, nil, runOptions(set))
				if err != nil {
					b.Fatal(err)
				}
				_ = res
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "platforms/s")
		})
	}
}

// BenchmarkReport writes the year's workbooks (staged, then dropped) from a
// result assessed once beforehand: the report stage of a run.
func BenchmarkReport(b *testing.B) {
	for _, n := range benchRows(b) {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			cfg, set, res := benchAssess(b, n)
			dir := b.TempDir()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				staged, err := report.StageYear(dir, cfg, res, set, report.RunInfo{Version: "bench"})
				if err != nil {
					b.Fatal(err)
				}
				for _, st := range staged {
					st.Abort()
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "platforms/s")
		})
	}
}

// BenchmarkHistory writes the year's states to the history (staged, then
// dropped) from a result assessed once beforehand: the history part of the
// write stage, which a run does beside the workbooks.
func BenchmarkHistory(b *testing.B) {
	for _, n := range benchRows(b) {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			_, _, res := benchAssess(b, n)
			store, err := history.Open(context.Background(), b.TempDir(), history.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer store.Close()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				staged, err := store.Stage(sampleYear, res.States, history.Meta{Version: "bench"})
				if err != nil {
					b.Fatal(err)
				}
				staged.Abort()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "platforms/s")
		})
	}
}
