package report

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xuri/excelize/v2"

	"assessor/config"
)

// longTable is a table of n rows, materialised or streamed: the same cells
// either way. A streamed table of more than streamBatch rows has its first
// few rows kept and streams the rest. Its wrapped column's texts grow to
// past the column's widest, or, when short, stay well within it. With
// header above 0, every seventh row's first cell has that style, a header's,
// whose lines set the row's height.
func longTable(n int, streamed, short bool, header int) *table {
	cols := []column{{title: "编号"}, {title: "名称", wrap: true}, {title: "得分"}}
	longest := 37
	if short {
		longest = 5
	}
	idStyle := func(i int) int {
		if header > 0 && i%7 == 0 {
			return header
		}
		return 0
	}
	row := func(i int, buf []excelize.Cell) []excelize.Cell {
		name := fmt.Sprintf("平台%d%s", i, string(bytes.Repeat([]byte("长"), i%longest)))
		if i%5 == 0 {
			name += "\n第二行" + string(bytes.Repeat([]byte("长"), i%min(longest, 23)))
		}
		return append(buf, excelize.Cell{Value: fmt.Sprintf("P%06d", i), StyleID: idStyle(i)}, excelize.Cell{Value: name},
			excelize.Cell{Value: float64(i) / 7})
	}
	t := &table{columns: cols, footer: [][]excelize.Cell{{{Value: "合计"}, {}, {Value: float64(n)}}}}
	if streamed {
		kept := 0
		if n > streamBatch {
			kept = 3
		}
		for i := range kept {
			t.rows = append(t.rows, row(i, nil))
		}
		return t.streamed(n-kept, func(i int, buf []excelize.Cell) []excelize.Cell { return row(kept+i, buf) })
	}
	for i := range n {
		t.rows = append(t.rows, row(i, nil))
	}
	return t
}

// TestStreamedTableWritesAlike writes a long table with its rows kept and
// with its rows made on demand on one, two or three cores: deflated as they
// are measured (its wrapped texts long or short), or made again to be
// written (header-styled cells in a narrow column, whose heights the
// deflated rows had wrong). The sheets are the same, and the workbooks the
// same bytes on any number of cores.
func TestStreamedTableWritesAlike(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const n = 3*streamBatch*streamAhead + 17
	write := func(name string, streamed, short, headed bool, cores int) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(cores))
		w := workbook{title: "测试", year: 2025, version: "test", sheets: func(st *styles) []func() *sheet {
			header := 0
			if headed {
				header = st.header
			}
			return []func() *sheet{func() *sheet { return single("表", longTable(n, streamed, short, header)) }}
		}}
		path := filepath.Join(dir, name+".xlsx")
		staged, err := w.stage(path, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := staged.Commit(); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, tt := range []struct{ short, headed bool }{{false, false}, {true, false}, {true, true}} {
		kept := worksheetPart(t, write("kept", false, tt.short, tt.headed, 2))
		var first []byte
		for _, cores := range []int{1, 2, 3} {
			book := write(fmt.Sprintf("streamed-%d", cores), true, tt.short, tt.headed, cores)
			if got := worksheetPart(t, book); !bytes.Equal(got, kept) {
				t.Errorf("%+v, %d cores: the streamed table's sheet differs from the same rows kept", tt, cores)
			}
			if first == nil {
				first = book
			} else if !bytes.Equal(book, first) {
				t.Errorf("%+v: the workbook on %d cores differs from the one on 1", tt, cores)
			}
		}
	}
}

// worksheetPart is the first worksheet's part of a package.
func worksheetPart(t *testing.T, book []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r) // checks the part's checksum
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEachAheadStopsAtAnError: the rows come in order, and the first error
// ends the walk and is returned.
func TestEachAheadStopsAtAnError(t *testing.T) {
	stop := errors.New("stop")
	for _, n := range []int{0, 1, streamBatch, streamBatch + 1, 10 * streamBatch * streamAhead} {
		for _, failAt := range []int{-1, 0, n / 2, n} {
			tb := longTable(n, true, false, 0)
			seen := 0
			err := tb.each(func(row []excelize.Cell) error {
				if seen == failAt {
					return stop
				}
				want := fmt.Sprintf("P%06d", seen)
				if seen == n {
					want = "合计"
				}
				if row[0].Value != want {
					return fmt.Errorf("row %d starts %v, want %s", seen, row[0].Value, want)
				}
				seen++
				return nil
			})
			switch {
			case failAt >= 0 && failAt <= n && !errors.Is(err, stop):
				t.Errorf("n=%d fail at %d: err = %v, want stop", n, failAt, err)
			case failAt < 0 && err != nil:
				t.Errorf("n=%d: %v", n, err)
			case failAt < 0 && seen != n+1:
				t.Errorf("n=%d: %d rows seen, want %d", n, seen, n+1)
			}
		}
	}
}

// TestStreamedRowsMade: a streamed table alone on its sheet has each row
// made once, measured and deflated for the writing, unless a cell whose
// lines set its row's height ends in a column too narrow for the height it
// was deflated with; on a sheet of several tables each row is made twice,
// once to fit the widths and once to be written.
func TestStreamedRowsMade(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		title  string
		text   string // the wrapped column's
		headed bool   // the first column's cells styled as a header
		want   int32  // times each row is made
	}{
		{"alone", "", strings.Repeat("长", 40), false, 1},
		{"under a title", "汇总", strings.Repeat("长", 40), false, 2},
		{"alone, its wrapped texts short", "", "短", false, 1},
		{"alone, header-styled cells in a narrow column", "", "短", true, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			const n = 2*streamBatch + 5
			var made [n]atomic.Int32 // rows are measured on every core at once
			w := workbook{title: "测试", year: 2025, version: "test", sheets: func(st *styles) []func() *sheet {
				style := 0
				if tt.headed {
					style = st.header
				}
				tb := (&table{columns: []column{{title: "编号"}, {title: "说明", wrap: true}}}).streamed(n, func(i int, buf []excelize.Cell) []excelize.Cell {
					made[i].Add(1)
					return append(buf, excelize.Cell{Value: fmt.Sprintf("P%06d", i), StyleID: style}, excelize.Cell{Value: tt.text})
				})
				return []func() *sheet{func() *sheet {
					return &sheet{name: "表", title: tt.title, tables: []*table{tb}}
				}}
			}}
			staged, err := w.stage(filepath.Join(t.TempDir(), "w.xlsx"), cfg)
			if err != nil {
				t.Fatal(err)
			}
			staged.Abort()
			for i := range made {
				if got := made[i].Load(); got != tt.want {
					t.Fatalf("row %d made %d times, want %d", i, got, tt.want)
				}
			}
		})
	}
}

// runeWidth is displayWidth by decoding each character, as it was written
// first: the reference for valid UTF-8.
func runeWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x1100 {
			w += 2
		} else {
			w++
		}
	}
	return w
}

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		text string
		want float64
	}{
		{"", 0}, {"abc", 3}, {"科创飞地", 8}, {"（万元）", 8}, {"é", 1}, {"\u07ff", 1}, {"\u0800", 1},
		{"\u10ff", 1}, {"\u1100", 2}, {"\uffff", 2}, {"\U0001F600", 2}, {"A科b", 4},
		{"\xff", 2}, {"科\xe7", 4}, {"\xe7\xa7", 4}, // bytes that start no well-formed sequence: wide, one by one
	}
	for _, tt := range tests {
		if got := displayWidth(tt.text); got != tt.want {
			t.Errorf("displayWidth(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
	// On valid text it agrees with decoding character by character, at
	// every boundary of the byte lengths.
	runes := []rune{'a', '\n', 0x7f, 0x80, 0x7ff, 0x800, 0xfff, 0x1000, 0x10ff, 0x1100, 0x1fff, 0x2000, 0xd7ff, 0xe000,
		0xfffd, 0xffff, 0x10000, 0x10ffff, '科', '（'}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteRune(runes[rng.IntN(len(runes))])
		}
		if s := b.String(); displayWidth(s) != runeWidth(s) {
			t.Fatalf("displayWidth(%q) = %v, decoding gives %v", s, displayWidth(s), runeWidth(s))
		}
	}
}

func TestTextLines(t *testing.T) {
	tests := []struct {
		text   string
		width  float64
		lines  int
		widest float64
	}{
		{"", 10, 1, 0},
		{"abc", 10, 1, 3},
		{"\n", 10, 2, 0},
		{"ab\n", 10, 2, 2},
		{"科创飞地\n\nabc", 10, 3, 8},
		{"科创飞地科创飞地", 9.5, 2, 16},       // 16 wide on lines of 8: two
		{"科创飞地科创飞地x", 9.5, 3, 17},      // one character more: three
		{"a\n科创飞地科创飞地科创飞地", 1, 25, 24}, // a width below the margin takes one unit a line
	}
	for _, tt := range tests {
		lines, widest := textLines(tt.text, tt.width)
		if lines != tt.lines || widest != tt.widest {
			t.Errorf("textLines(%q, %v) = %d, %v, want %d, %v", tt.text, tt.width, lines, widest, tt.lines, tt.widest)
		}
	}
}
