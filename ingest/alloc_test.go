package ingest

import (
	"bytes"
	"testing"
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
