package samples

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// BenchYear is the year of the benchmark sets.
const BenchYear = 2025

// BenchSet returns the folder of a one-year benchmark set of n enclaves —
// the register, a roster of about 0.9 n rows, the expert scores — generating
// it on first use under the temporary folder, where bench/compare.sh keeps
// its own: $TMPDIR/assessor-bench/enclave-N. It is never committed.
func BenchSet(n int) (string, error) {
	dir := filepath.Join(os.TempDir(), "assessor-bench", fmt.Sprintf("enclave-%d", n))
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err == nil {
		return dir, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if _, err := Generate(dir, Options{Platforms: n, Only: "enclave", FirstYear: BenchYear, LastYear: BenchYear}); err != nil {
		return "", err
	}
	return dir, os.WriteFile(done, nil, 0o644)
}

// BenchRoster is the path of the enclave roster in a benchmark set.
func BenchRoster(dir string) string {
	return filepath.Join(dir, filepath.FromSlash(reportFileName(progEnclave, BenchYear)))
}

// BenchSizes are the set sizes benchmarks run at: ASSESSOR_BENCH_ROWS, a
// comma-separated list ("10000,100000,1000000" under make bench), or 10000.
func BenchSizes() ([]int, error) {
	spec := os.Getenv("ASSESSOR_BENCH_ROWS")
	if spec == "" {
		spec = "10000"
	}
	var out []int
	for _, f := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("ASSESSOR_BENCH_ROWS=%q: %q is not a row count", spec, f)
		}
		out = append(out, n)
	}
	return out, nil
}
