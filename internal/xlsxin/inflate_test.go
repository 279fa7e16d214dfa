package xlsxin

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"strings"
	"testing"
)

// deflated compresses s with the standard library's deflate.
func deflated(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, s); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The pooled inflater reads stream after stream correctly, a reader kept
// after Close reads nothing more (not the next stream), and a damaged stream
// is refused as corrupt.
func TestInflateReuse(t *testing.T) {
	streams := []string{strings.Repeat("<row r=\"1\"/>", 5000), "short", "", strings.Repeat("科创飞地", 3000)}
	for round := range 3 {
		for i, s := range streams {
			r := inflate(bytes.NewReader(deflated(t, s)))
			got, err := io.ReadAll(r)
			if err != nil || string(got) != s {
				t.Fatalf("round %d stream %d: %d bytes, %v; want %d bytes", round, i, len(got), err, len(s))
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			if n, err := r.Read(make([]byte, 8)); n != 0 || err == nil {
				t.Fatalf("read after close: %d bytes, %v", n, err)
			}
			if err := r.Close(); err != nil {
				t.Fatalf("second close: %v", err)
			}
		}
	}
	// A block of the reserved type (BFINAL=1, BTYPE=11) is damage the
	// inflater must name, and the reader must call corrupt.
	r := inflate(bytes.NewReader([]byte{0x07, 0, 0, 0}))
	defer r.Close()
	_, err := io.ReadAll(r)
	if !isFlateError(err) {
		t.Fatalf("reserved block type: %v, want a corrupt-input error", err)
	}
	if perr := partError("xl/worksheets/sheet1.xml", 0, err); !errors.Is(perr, ErrCorrupt) {
		t.Errorf("partError = %v, want ErrCorrupt", perr)
	}
}
