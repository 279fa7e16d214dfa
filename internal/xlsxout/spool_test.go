package xlsxout

import (
	"bytes"
	"cmp"
	"errors"
	"os"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Rows kept in a spool and written out give the bytes Row gives for the same
// cells and heights, each row's height read from the note kept with it, and
// nothing shows in TMPDIR meanwhile.
func TestRowSpoolWritesAsRow(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	rows := sampleRows()
	for len(rows) < 300 { // more than the spool's buffers hold, with the long texts
		rows = append(rows, rows...)
	}
	var want bytes.Buffer
	ref := NewRowWriter(&want)
	for i, r := range rows {
		if err := ref.Row(i+2, r.cells, r.height); err != nil {
			t.Fatal(err)
		}
	}
	if err := ref.Flush(); err != nil {
		t.Fatal(err)
	}

	s, err := NewRowSpool()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, r := range rows {
		if err := s.Add(i+2, r.cells, strconv.AppendFloat(nil, r.height, 'g', -1, 64)); err != nil {
			t.Fatal(err)
		}
	}
	if s.Rows() != len(rows) {
		t.Errorf("Rows = %d, want %d", s.Rows(), len(rows))
	}
	if err := s.w.Flush(); err != nil {
		t.Fatal(err)
	}
	info, err := s.file.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() != s.Size() {
		t.Errorf("Size = %d, the file holds %d bytes", s.Size(), info.Size())
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("TMPDIR holds %s while the spool is open", entries[0].Name())
	}
	var got bytes.Buffer
	w := NewRowWriter(&got)
	next := 2
	err = s.WriteTo(w, func(num int, note []byte) (float64, error) {
		if num != next {
			t.Fatalf("row %d given, want %d", num, next)
		}
		next++
		return strconv.ParseFloat(string(note), 64)
	})
	if err := cmp.Or(err, w.Flush()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("spooled rows differ from Row's: %d bytes against %d", got.Len(), want.Len())
	}
	if err := s.WriteTo(w, func(int, []byte) (float64, error) { return 0, nil }); err == nil {
		t.Error("a spool written twice gives no error")
	}
	if err := s.Add(1, nil, nil); err == nil {
		t.Error("a row added after the spool was written gives no error")
	}
	if err := cmp.Or(s.Close(), s.Close()); err != nil {
		t.Errorf("Close = %v, want nil, twice", err)
	}
}

// A row the spool refuses leaves the rows before it as they were, and a
// height refused when the rows are written stops the writing with its row.
func TestRowSpoolRefuses(t *testing.T) {
	s, err := NewRowSpool()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	kept := []excelize.Cell{{Value: "kept"}}
	if err := s.Add(1, kept, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(2, []excelize.Cell{{Value: "a"}, {Formula: "A1"}}, nil); !errors.Is(err, ErrUnsupportedValue) {
		t.Fatalf("Add = %v, want %v", err, ErrUnsupportedValue)
	}
	if err := s.Add(0, kept, nil); !errors.Is(err, excelize.ErrCoordinates) {
		t.Fatalf("Add of row 0 = %v, want %v", err, excelize.ErrCoordinates)
	}
	if err := s.Add(3, kept, []byte("high")); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	ref := NewRowWriter(&want)
	if err := cmp.Or(ref.Row(1, kept, 0), ref.Flush()); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	w := NewRowWriter(&got)
	err = s.WriteTo(w, func(_ int, note []byte) (float64, error) {
		if string(note) == "high" {
			return 410, nil
		}
		return 0, nil
	})
	if !errors.Is(err, excelize.ErrMaxRowHeight) {
		t.Fatalf("WriteTo = %v, want %v", err, excelize.ErrMaxRowHeight)
	}
	if err := w.Flush(); err != nil || got.String() != want.String() {
		t.Errorf("wrote %q (%v), want %q", got.String(), err, want.String())
	}
}
