package report

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/xuri/excelize/v2"

	"assessor/config"
)

// longTable is a table of n rows, materialised or streamed: the same cells
// either way. A streamed table of more than streamBatch rows has its first
// few rows kept and streams the rest.
func longTable(n int, streamed bool) *table {
	cols := []column{{title: "编号"}, {title: "名称", wrap: true}, {title: "得分"}}
	row := func(i int, buf []excelize.Cell) []excelize.Cell {
		name := fmt.Sprintf("平台%d%s", i, string(bytes.Repeat([]byte("长"), i%37)))
		if i%5 == 0 {
			name += "\n第二行" + string(bytes.Repeat([]byte("长"), i%23))
		}
		return append(buf, excelize.Cell{Value: fmt.Sprintf("P%06d", i)}, excelize.Cell{Value: name},
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
// with its rows made on demand (in batches ahead of the writing): the
// workbooks are the same bytes.
func TestStreamedTableWritesAlike(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// Kept rows; streamed rows all spooled, some spooled and the rest made
	// again, none spooled (a budget of 1 byte).
	budgets := []int64{0, 0, 60 << 10, 1}
	files := make([][]byte, len(budgets))
	for k, budget := range budgets {
		tb := longTable(3*streamBatch*streamAhead+17, k > 0)
		w := workbook{title: "测试", year: 2025, version: "test", sheets: func(*styles) []func() *sheet {
			return []func() *sheet{func() *sheet {
				s := single("表", tb)
				s.spoolBudget = budget
				return s
			}}
		}}
		path := filepath.Join(dir, fmt.Sprintf("%d.xlsx", k))
		staged, err := w.stage(path, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := staged.Commit(); err != nil {
			t.Fatal(err)
		}
		if files[k], err = os.ReadFile(path); err != nil {
			t.Fatal(err)
		}
	}
	for k := 1; k < len(files); k++ {
		if !bytes.Equal(files[0], files[k]) {
			t.Errorf("a streamed table with a spool budget of %d is written differently from the same rows kept", budgets[k])
		}
	}
}

// TestEachAheadStopsAtAnError: the rows come in order, and the first error
// ends the walk and is returned.
func TestEachAheadStopsAtAnError(t *testing.T) {
	stop := errors.New("stop")
	for _, n := range []int{0, 1, streamBatch, streamBatch + 1, 10 * streamBatch * streamAhead} {
		for _, failAt := range []int{-1, 0, n / 2, n} {
			tb := longTable(n, true)
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
// made once, measured and kept for the writing; on a sheet of several tables
// each row is made twice, once to fit the widths and once to be written.
func TestStreamedRowsMade(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		title  string
		budget int64
		want   int32 // times each row is made, 0 for some once and the rest twice
	}{{"alone", "", 0, 1}, {"under a title", "汇总", 0, 2}, {"alone, past its budget", "", 2 << 10, 0}} {
		t.Run(tt.name, func(t *testing.T) {
			const n = 2*streamBatch + 5
			var made [n]atomic.Int32 // rows are measured on every core at once
			tb := (&table{columns: []column{{title: "编号"}}}).streamed(n, func(i int, buf []excelize.Cell) []excelize.Cell {
				made[i].Add(1)
				return append(buf, excelize.Cell{Value: i})
			})
			w := workbook{title: "测试", year: 2025, version: "test", sheets: func(*styles) []func() *sheet {
				return []func() *sheet{func() *sheet {
					return &sheet{name: "表", title: tt.title, tables: []*table{tb}, spoolBudget: tt.budget}
				}}
			}}
			staged, err := w.stage(filepath.Join(t.TempDir(), "w.xlsx"), cfg)
			if err != nil {
				t.Fatal(err)
			}
			staged.Abort()
			once := 0
			for i := range made {
				got := made[i].Load()
				if tt.want > 0 && got != tt.want || tt.want == 0 && got != 1 && got != 2 {
					t.Fatalf("row %d made %d times, want %d", i, got, tt.want)
				}
				if got == 1 {
					once++
				}
			}
			if tt.want == 0 && (once == 0 || once == n) {
				t.Errorf("%d of %d rows made once, want some kept within the budget and the rest made again", once, n)
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

// TestSpooledHeight: a spooled row's height, read from the note made when it
// was spooled, is the height tableRow gives the same cells from their texts
// once the widths are known; a cut note is an error, not a panic.
func TestSpooledHeight(t *testing.T) {
	st := &styles{header: 3, text: 4, wrap: 5}
	tb := &table{columns: []column{{title: "编号"}, {title: "名称", wrap: true}, {title: "说明", wrap: true}}}
	long := strings.Repeat("说明文字", 30)
	rows := [][]excelize.Cell{
		{{Value: "P1"}, {Value: "平台"}, {Value: "短"}},
		{{Value: "P2"}, {Value: long}, {Value: "第一行\n第二行\n" + long}},
		{{Value: "P3"}, {Value: ""}, {Value: "\n\n"}},
		{{Value: "P4"}, {Value: 12.5}, {}},
		{{Value: strings.Repeat("表头", 40), StyleID: 3}, {Value: "x"}},
		{{Value: "P5"}, {Value: strings.Repeat("长", 5000)}}, // past Excel's highest row
	}
	for _, widths := range [][]float64{{8, 20, 40}, {12, 26, 50}, {8, 1, 1}} {
		for i, row := range rows {
			cells := tb.styled(nil, row, st)
			note := tb.lineNote(nil, st, cells)
			got, err := spooledHeight(note, widths)
			if err != nil {
				t.Fatalf("widths %v, row %d: %v", widths, i, err)
			}
			lines := 1 // as tableRow counts them, from the texts

			for k := range cells {
				if slack, ok := tb.wrapSlack(st, k, &cells[k]); ok {
					s, _ := cells[k].Value.(string)
					lines = max(lines, textLines(s, widths[k]-slack))
				}
			}
			if h := rowHeight(lines, 0); got != h {
				t.Errorf("widths %v, row %d: spooled height %v, tableRow's %v", widths, i, got, h)
			}
			for cut := range note { // every truncation: an error or a height, never a panic
				if _, err := spooledHeight(note[:cut], widths); err == nil && cut > 0 && note[cut-1] != 0 {
					t.Errorf("widths %v, row %d: a note cut at %d of %d read as whole", widths, i, cut, len(note))
				}
			}
		}
	}
}
