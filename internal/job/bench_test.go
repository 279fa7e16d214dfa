package job

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"assessor/assess"
	"assessor/samples"
)

// benchRows are the roster sizes of the end-to-end benchmarks:
// ASSESSOR_BENCH_ROWS="10000,100000,1000000" (make bench sets it), or 10k only.
func benchRows(b *testing.B) []int {
	spec := os.Getenv("ASSESSOR_BENCH_ROWS")
	if spec == "" {
		spec = "10000"
	}
	var out []int
	for _, f := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			b.Fatalf("ASSESSOR_BENCH_ROWS=%q: %q is not a row count", spec, f)
		}
		out = append(out, n)
	}
	return out
}

var benchInputs sync.Map // rows → folder

// benchInput generates (once per process, cached on disk across runs) a
// one-year input of n enclaves: the register and one annual report roster of
// about n rows, with the expert scores of the enclaves due a comprehensive
// evaluation. It is never committed.
func benchInput(b *testing.B, n int) string {
	b.Helper()
	if dir, ok := benchInputs.Load(n); ok {
		return dir.(string)
	}
	dir := filepath.Join(os.TempDir(), "assessor-bench", fmt.Sprintf("enclave-%d", n))
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err != nil {
		os.RemoveAll(dir)
		if _, err := samples.Generate(dir, samples.Options{Platforms: n, Only: "enclave", FirstYear: sampleYear, LastYear: sampleYear}); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, ".complete"), nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	benchInputs.Store(n, dir)
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
