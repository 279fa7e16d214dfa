package ingest

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"assessor/config"
)

func TestPackedAllocator(t *testing.T) {
	var a packedAllocator
	for _, size := range []int{0, 64, 32768, 40000} {
		b := a.Allocate(size)
		if len(b) != size || cap(b) != size {
			t.Errorf("Allocate(%d): len %d cap %d, want both %d (no padding)", size, len(b), cap(b), size)
		}
		if !bytes.Equal(b, make([]byte, size)) {
			t.Errorf("Allocate(%d) is not zeroed", size)
		}
	}
	b := a.Allocate(64)
	copy(b, "abcdef")
	grown := a.Reallocate(128, b)
	if len(grown) != 128 || string(grown[:6]) != "abcdef" || !bytes.Equal(grown[64:], make([]byte, 64)) {
		t.Errorf("Reallocate(128) = %q..., want the old bytes kept and the rest zero", grown[:8])
	}
	shrunk := a.Reallocate(8, grown)
	if len(shrunk) != 8 || &shrunk[0] != &grown[0] {
		t.Errorf("Reallocate(8) of a larger buffer: len %d, moved %v; want it resliced in place", len(shrunk), &shrunk[0] != &grown[0])
	}
}

// TestSettled checks that a batch's raw-text column of nulls is made over
// the reader's shared zeros, that a column with room to spare in its
// buffers is copied into buffers of its size, values kept, and that every
// other column is left as it was, values and memory.
func TestSettled(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r := newReader(defaultConfig(t), Options{Mem: mem})
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "value#raw", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "other#raw", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	const n = 32 // Arrow's least builder: its buffers are then the size they fill
	values := make([]float64, n)
	for i := range values {
		values[i] = float64(i + 1)
	}
	b.Field(0).Resize(n) // exactly: AppendValues alone would reserve twice the room
	b.Field(0).(*array.Float64Builder).AppendValues(values, nil)
	b.Field(1).AppendNulls(n)
	texts, valid := make([]string, n), make([]bool, n)
	texts[1], valid[1] = "5,600", true
	b.Field(2).(*array.StringBuilder).AppendValues(texts, valid)
	names := b.Field(3).(*array.StringBuilder)
	names.ReserveData(4096) // far more than the names take
	names.AppendValues([]string{"稀土中心", "", "乳业中心"}, []bool{true, false, true})
	names.AppendNulls(n - 3)
	built := b.NewRecord()
	value := &built.Column(0).Data().Buffers()[1].Bytes()[0]
	rec := r.settled(built, []int{1, 2, -1})
	defer rec.Release()

	raw := rec.Column(1).(*array.String)
	if raw.Len() != n || raw.NullN() != n {
		t.Fatalf("empty raw column: %d rows, %d nulls; want %d and %[3]d", raw.Len(), raw.NullN(), n)
	}
	if offsets := raw.Data().Buffers()[1].Bytes(); &offsets[0] != &r.zeros[0] {
		t.Error("the empty raw column has offsets of its own, not the reader's zeros")
	}
	other := rec.Column(2).(*array.String)
	if other.NullN() != n-1 || other.Value(1) != "5,600" {
		t.Errorf("raw column with a text: %d nulls, row 1 %q; want %d and 5,600", other.NullN(), other.Value(1), n-1)
	}
	if v := rec.Column(0).(*array.Float64).Float64Values(); !slices.Equal(v, values) {
		t.Errorf("values %v, want %v", v, values)
	}
	if &rec.Column(0).Data().Buffers()[1].Bytes()[0] != value {
		t.Error("the values column was copied, though its buffers have no room to spare")
	}
	name := rec.Column(3).(*array.String)
	if name.NullN() != n-2 || name.Value(0) != "稀土中心" || name.Value(2) != "乳业中心" || !name.IsNull(1) {
		t.Errorf("names after packing: %d nulls, %q %q", name.NullN(), name.Value(0), name.Value(2))
	}
	if data := name.Data().Buffers()[2]; cap(data.Bytes()) > 64 {
		t.Errorf("the names' text buffer: %d bytes of room for %d, want it packed", cap(data.Bytes()), data.Len())
	}
}

// TestBatchesFillTheirMemory reads a register in many batches, each
// batch's names longer than the last's (so that each outgrows the room the
// last one's size reserved), and checks that no buffer of any batch has
// more room than a 16th past what it fills: Arrow's Reserve once gave every
// full batch twice its size.
func TestBatchesFillTheirMemory(t *testing.T) {
	dir := t.TempDir()
	sh := registerSheet()
	rows := sh.rows[:2:2]
	for i := range 1000 {
		rows = append(rows, []any{i + 1, fmt.Sprintf("FD-2022-%04d", i), strings.Repeat("飞", 1+i/100) + "地",
			"科创飞地", "政府主导型", "包头市", "2022-04-01", "某公司"})
	}
	writeWorkbook(t, filepath.Join(dir, "平台名录.xlsx"), sheetSpec{name: sh.name, rows: rows})
	cfg := defaultConfig(t)
	cfg.Ingest.BatchRows = 100
	set := readDir(t, cfg, dir)
	tbl := set.Tables[config.TableRegister]
	if tbl == nil || tbl.NumRows() != 1000 {
		t.Fatalf("register: %v, want 1000 rows", tbl)
	}
	for c := range int(tbl.NumCols()) {
		for k, chunk := range tbl.Column(c).Data().Chunks() {
			if chunk.NullN() == chunk.Len() {
				continue // over the reader's shared zeros (TestSettled)
			}
			for j, b := range chunk.Data().Buffers() {
				if b == nil {
					continue
				}
				if room := cap(b.Bytes()) - b.Len(); room > max(64, b.Len()/16) {
					t.Errorf("column %s, batch %d, buffer %d: %d bytes filled, %d more of room",
						tbl.Schema().Field(c).Name, k, j, b.Len(), room)
				}
			}
		}
	}
}
