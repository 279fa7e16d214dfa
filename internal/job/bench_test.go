package job

import (
	"context"
	"fmt"
	"testing"

	"github.com/rs/zerolog"

	"assessor/assess"
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

// BenchmarkAssess assesses the generated year, read once beforehand.
func BenchmarkAssess(b *testing.B) {
	for _, n := range benchRows(b) {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			in := benchInput(b, n)
			cfg := testConfig(b)
			cfg.Run.FirstYear = sampleYear
			set, err := read(context.Background(), Options{Config: cfg, In: in, Log: zerolog.Nop()}, in, nil, zerolog.Nop())
			if err != nil {
				b.Fatal(err)
			}
			defer set.Release()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				res, err := assess.Run(cfg, set, sampleYear, nil)
				if err != nil {
					b.Fatal(err)
				}
				_ = res
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "platforms/s")
		})
	}
}
