package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"assessor/internal/xlsxin"
	"assessor/samples"
)

// The benchmarks here read one generated enclave roster (samples --only
// enclave, one year) of each size in ASSESSOR_BENCH_ROWS ("10000" unless set;
// make bench sets "10000,100000,1000000"), never committed, through:
//
//	Floor/inflate   zip inflate of the worksheet part only (stdlib)
//	Floor/bytescan  inflate and a hand-written byte scan that extracts every value
//	Excelize        excelize Rows + Columns with raw values (the reference reader)
//	Xlsxin          the fast reader: every row's values, types and styles
//	Ingest          the whole of ingest: header, conversion, Arrow tables
//
// so that the ratios are measured side by side in one run.

func benchRowCounts(b *testing.B) []int {
	sizes, err := samples.BenchSizes()
	if err != nil {
		b.Fatal(err)
	}
	return sizes
}

// benchRoster returns the enclave roster of the benchmark set of n platforms.
func benchRoster(b *testing.B, n int) string {
	b.Helper()
	dir, err := samples.BenchSet(n)
	if err != nil {
		b.Fatal(err)
	}
	return samples.BenchRoster(dir)
}

// sheetPart opens the first worksheet part of a package.
func sheetPart(b *testing.B, zr *zip.ReadCloser) io.ReadCloser {
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			rc, err := f.Open()
			if err != nil {
				b.Fatal(err)
			}
			return rc
		}
	}
	b.Fatal("no xl/worksheets/sheet1.xml")
	return nil
}

// byteScan extracts every <v> and inline <t> value of a worksheet stream
// with bytes.Index, knowing nothing of XML beyond those tags: the floor a
// reader can hope for. It returns the number of values and their bytes.
func byteScan(r io.Reader) (values, size int) {
	br := bufio.NewReaderSize(r, 64<<10)
	buf := make([]byte, 0, 128<<10)
	chunk := make([]byte, 64<<10)
	open := [][]byte{[]byte("<v>"), []byte("<t>")}
	for {
		n, err := br.Read(chunk)
		buf = append(buf, chunk[:n]...)
		consumed := 0
		for {
			i := -1
			var tag []byte
			for _, t := range open {
				if j := bytes.Index(buf[consumed:], t); j >= 0 && (i < 0 || j < i) {
					i, tag = j, t
				}
			}
			if i < 0 {
				break
			}
			start := consumed + i + len(tag)
			end := bytes.IndexByte(buf[start:], '<')
			if end < 0 {
				break
			}
			values++
			size += end
			consumed = start + end
		}
		if keep := len(buf) - consumed; keep > 0 && consumed > 0 {
			copy(buf, buf[consumed:])
			buf = buf[:keep]
		} else if consumed > 0 {
			buf = buf[:0]
		}
		if err != nil {
			return values, size
		}
	}
}

func BenchmarkRoster(b *testing.B) {
	for _, n := range benchRowCounts(b) {
		path := benchRoster(b, n)
		rows := 0
		b.Run(fmt.Sprintf("rows=%d/Floor/inflate", n), func(b *testing.B) {
			for range b.N {
				zr, err := zip.OpenReader(path)
				if err != nil {
					b.Fatal(err)
				}
				rc := sheetPart(b, zr)
				m, _ := io.Copy(io.Discard, rc)
				rc.Close()
				zr.Close()
				b.SetBytes(m)
			}
		})
		b.Run(fmt.Sprintf("rows=%d/Floor/bytescan", n), func(b *testing.B) {
			for range b.N {
				zr, err := zip.OpenReader(path)
				if err != nil {
					b.Fatal(err)
				}
				rc := sheetPart(b, zr)
				byteScan(rc)
				rc.Close()
				zr.Close()
			}
		})
		b.Run(fmt.Sprintf("rows=%d/Xlsxin", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				wb, err := xlsxin.Open(path, xlsxin.Limits{})
				if err != nil {
					b.Fatal(err)
				}
				r, err := wb.Rows(0)
				if err != nil {
					b.Fatal(err)
				}
				rows = 0
				for r.Next() {
					rows++
				}
				if r.Err() != nil {
					b.Fatal(r.Err())
				}
				wb.Close()
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
		if n <= 100000 || os.Getenv("ASSESSOR_BENCH_EXCELIZE") != "" {
			b.Run(fmt.Sprintf("rows=%d/Excelize", n), func(b *testing.B) {
				b.ReportAllocs()
				for range b.N {
					f, err := excelize.OpenFile(path)
					if err != nil {
						b.Fatal(err)
					}
					r, err := f.Rows(f.GetSheetList()[0])
					if err != nil {
						b.Fatal(err)
					}
					for r.Next() {
						if _, err := r.Columns(excelize.Options{RawCellValue: true}); err != nil {
							b.Fatal(err)
						}
					}
					r.Close()
					f.Close()
				}
			})
		}
		b.Run(fmt.Sprintf("rows=%d/Ingest", n), func(b *testing.B) {
			cfg := defaultConfig(b)
			b.ReportAllocs()
			accepted := 0
			for range b.N {
				set, err := Read(context.Background(), cfg, path, Options{})
				if err != nil {
					b.Fatal(err)
				}
				accepted = set.Sources[0].Rows.Accepted
				set.Release()
			}
			b.ReportMetric(float64(accepted)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkFiles reads 8 per-platform form workbooks — a centre's filled-in
// annual report each, as platforms send them — with one worker and with one
// per core, in turns within each iteration so that both meet the same
// machine, and reports the speed-up: the files are independent, so two
// cores should read them in nearly half the time. The readers are prepared
// once, as a run prepares its own.
func BenchmarkFiles(b *testing.B) {
	dir := b.TempDir()
	for i := range 8 {
		path := filepath.Join(dir, fmt.Sprintf("中心%d.xlsx", i))
		writeWorkbook(b, path, ticForm(fmt.Sprintf("%d,379.42", i+1)))
	}
	var readers [2]*Reader
	for i := range readers {
		cfg := defaultConfig(b)
		cfg.Ingest.Workers = i + 1
		readers[i] = NewReader(cfg, Options{})
	}
	// Each iteration reads the files 50 times each way, so that a single
	// iteration (make bench runs one) measures something.
	const rounds = 50
	var spent [2]time.Duration
	b.ResetTimer()
	for range b.N * rounds {
		for i, rd := range readers {
			start := time.Now()
			set, err := rd.Read(context.Background(), dir)
			if err != nil {
				b.Fatal(err)
			}
			spent[i] += time.Since(start)
			if len(set.Sources) != 8 {
				b.Fatalf("%d forms read", len(set.Sources))
			}
			set.Release()
		}
	}
	b.ReportMetric(float64(spent[0].Nanoseconds())/float64(b.N*rounds), "ns/read-1-worker")
	b.ReportMetric(float64(spent[1].Nanoseconds())/float64(b.N*rounds), "ns/read-2-workers")
	b.ReportMetric(spent[0].Seconds()/spent[1].Seconds(), "speedup")
}
