package ingest

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"assessor/dataset"
	"assessor/internal/golden"
)

// producerGolden says which golden file a producer fixture is checked
// against: the one of its table (roster_tic, register …), shared by every
// producer and variant that writes the same content, or its own where the
// content differs on purpose.
func producerGolden(name string) string {
	switch name {
	case "register_numeric_id", // the 18-digit id typed into a General cell: a number
		"roster_enclave_nostyles": // no styles part, so 0.95 has no percent format
		return name
	}
	for _, table := range []string{"roster_tic", "roster_enclave", "register", "form_tic", "form_enclave"} {
		if name == table || strings.HasPrefix(name, table+"_") {
			return table
		}
	}
	return ""
}

// TestProducersReadAlike reads every producer fixture that holds a table —
// the same content written by openpyxl, XlsxWriter, SheetJS, ExcelJS,
// excelize (plain and streaming), LibreOffice and by hand with twists — and
// requires the tables and problems of each to equal its golden file: the
// same rows from every producer, values and raw texts alike.
func TestProducersReadAlike(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "producers", "*", "*.xlsx"))
	byGolden := map[string][]string{}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".xlsx")
		if g := producerGolden(name); g != "" {
			byGolden[g] = append(byGolden[g], path)
		}
	}
	if n := len(slices.Concat(slices.Collect(maps.Values(byGolden))...)); n < 45 {
		t.Fatalf("only %d producer fixtures with tables", n)
	}
	cfg := defaultConfig(t)
	for g, paths := range byGolden {
		slices.Sort(paths)
		t.Run(g, func(t *testing.T) {
			first := ""
			for _, path := range paths {
				got := renderSet(t, readDir(t, cfg, path))
				if first == "" {
					first = got
					golden.Check(t, filepath.Join("producers", g+".golden"), got)
					continue
				}
				if got != first {
					t.Errorf("%s reads differently from %s:\n%s", path, paths[0], got)
				}
			}
		})
	}
}

// renderSet writes a dataset's tables (every column but the source index)
// and problems as text, one row or problem a line.
func renderSet(t *testing.T, set *dataset.Set) string {
	t.Helper()
	var b strings.Builder
	keys := slices.Sorted(maps.Keys(set.Tables))
	for _, key := range keys {
		fmt.Fprintf(&b, "table %s\n", key)
		for _, row := range rows(t, set, key) {
			var cols []string
			for _, f := range set.Tables[key].Schema().Fields() {
				if f.Name == "_source" || row[f.Name] == nil {
					continue
				}
				v := row[f.Name]
				if raw, ok := v.(string); ok && strings.HasSuffix(f.Name, "#raw") {
					if _, err := strconv.ParseFloat(raw, 64); err == nil {
						continue // a number as the producer stored it: 943.81 or 943.8099999999999
					}
				}
				if d, ok := v.(arrow.Date32); ok {
					v = d.FormattedString()
				}
				cols = append(cols, fmt.Sprintf("%s=%v", f.Name, v))
			}
			fmt.Fprintf(&b, "  %s\n", strings.Join(cols, " "))
		}
	}
	for _, src := range set.Sources {
		fmt.Fprintf(&b, "sheet %s header row %d rows %+v\n", src.Sheet, src.HeaderRow, src.Rows)
		cells := slices.Sorted(maps.Keys(src.Cells))
		for _, k := range cells {
			fmt.Fprintf(&b, "  %s at %s\n", k, src.Cells[k])
		}
	}
	for _, p := range set.Problems {
		fmt.Fprintf(&b, "problem %s %s %s %s %q\n", p.Severity, p.Code, p.Sheet, p.Cell, p.Raw)
	}
	return b.String()
}

// TestProducerFixturesPresent guards against the fixtures going missing,
// which would make the tests above pass on nothing.
// TestPipelineReadsAlike reads every sheet decoded ahead in a goroutine of
// its own, as big sheets are, and in step, as small ones are: the producer
// fixtures, and a roster long enough to fill several batches with a bad
// value in the last, must give the same tables and problems both ways.
func TestPipelineReadsAlike(t *testing.T) {
	dir := t.TempDir()
	long := ticSheet()
	data := long.rows[3] // the first data row, under the title and the two-row header
	long.rows = slices.Clone(long.rows[:3])
	for i := 0; i < 3*pipelineBatchRows; i++ {
		row := slices.Clone(data)
		row[0], row[1] = i+1, fmt.Sprintf("JSZX-2020-%04d", i)
		long.rows = append(long.rows, row)
	}
	long.rows[len(long.rows)-1][4] = "十二" // refused in the last batch
	writeWorkbook(t, filepath.Join(dir, "long.xlsx"), long)
	paths, _ := filepath.Glob(filepath.Join("testdata", "producers", "*", "*.xlsx"))
	paths = append(paths, filepath.Join(dir, "long.xlsx"))
	cfg := defaultConfig(t)
	for _, path := range paths {
		var got [2]string
		for i, min := range []int64{0, 1} {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			set, err := Read(context.Background(), cfg, path, Options{Mem: mem, pipelineMin: min})
			if err != nil {
				t.Fatal(err)
			}
			got[i] = renderSet(t, set)
			set.Release()
			mem.AssertSize(t, 0)
		}
		if got[0] != got[1] {
			t.Errorf("%s: in step\n%s\ndecoded ahead\n%s", path, got[0], got[1])
		}
	}
}
