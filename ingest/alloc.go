package ingest

import "github.com/apache/arrow/go/v17/arrow/memory"

// packedAllocator is the Arrow allocator the reader uses by default: Go
// memory like memory.GoAllocator's, but without the 64 bytes it adds to
// every buffer to align it to 64. Arrow's Go builders do not need that
// alignment (the garbage collector's own, 8 bytes and more, is enough for
// every type they cast to), and the padding is dear: a column batch of
// 4096 float64s asks for 32,768 bytes, and the padded 32,832 take 40,960
// (a whole page more) where the unpadded take 32,768.
type packedAllocator struct{}

// Allocate returns a zeroed buffer of size bytes.
func (packedAllocator) Allocate(size int) []byte { return make([]byte, size) }

// Reallocate returns b resized to size bytes, its contents kept.
func (a packedAllocator) Reallocate(size int, b []byte) []byte {
	if cap(b) >= size {
		return b[:size]
	}
	out := a.Allocate(size)
	copy(out, b)
	return out
}

// Free does nothing: the garbage collector frees the buffer once it is
// no longer reachable.
func (packedAllocator) Free([]byte) {}

var _ memory.Allocator = packedAllocator{}
