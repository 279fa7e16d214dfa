package ingest

import (
	"bytes"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
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

// TestWithoutEmptyRaws checks that a batch's raw-text column of nulls is
// made over the reader's shared zeros, and every other column is left as
// it was, values and memory.
func TestWithoutEmptyRaws(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r := newReader(defaultConfig(t), Options{Mem: mem})
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "value#raw", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "other#raw", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	b.Field(0).(*array.Float64Builder).AppendValues([]float64{1, 2, 3}, nil)
	b.Field(1).AppendNull()
	b.Field(1).AppendNull()
	b.Field(1).AppendNull()
	b.Field(2).(*array.StringBuilder).AppendValues([]string{"", "5,600", ""}, []bool{false, true, false})
	rec := r.withoutEmptyRaws(b.NewRecord(), []int{1, 2})
	defer rec.Release()

	raw := rec.Column(1).(*array.String)
	if raw.Len() != 3 || raw.NullN() != 3 {
		t.Fatalf("empty raw column: %d rows, %d nulls; want 3 and 3", raw.Len(), raw.NullN())
	}
	if offsets := raw.Data().Buffers()[1].Bytes(); &offsets[0] != &r.zeros[0] {
		t.Error("the empty raw column has offsets of its own, not the reader's zeros")
	}
	other := rec.Column(2).(*array.String)
	if other.NullN() != 2 || other.Value(1) != "5,600" {
		t.Errorf("raw column with a text: %d nulls, row 1 %q; want 2 and 5,600", other.NullN(), other.Value(1))
	}
	if v := rec.Column(0).(*array.Float64).Float64Values(); !slices.Equal(v, []float64{1, 2, 3}) {
		t.Errorf("values %v, want 1 2 3", v)
	}
}
