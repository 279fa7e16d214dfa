package xlsxout

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/xuri/excelize/v2"
)

// RowSpool keeps rows whose cells are encoded before their heights are
// known, to be written later through a RowWriter in the order they were
// added: a long table's rows can then be made once, both to measure its
// columns and to be written, rather than made again for the writing. The
// encoded rows go to a temporary file with no name (see createSpill), not
// memory. With each row the caller keeps a note of its own, such as the
// widths of the texts that set the row's height.
//
// A RowSpool is used by one goroutine at a time; Close releases its file.
type RowSpool struct {
	enc   RowWriter // encodes cells only
	file  *os.File
	named bool // the file kept its name: Close removes it
	w     *bufio.Writer
	cells []byte // a row's encoded cells, reused
	head  []byte // a record's lengths, reused
	rows  int
	size  int64 // bytes added
	err   error
}

// spoolBuffer is the size of a spool's write and read buffers.
const spoolBuffer = 256 << 10

// NewRowSpool makes an empty spool.
func NewRowSpool() (*RowSpool, error) {
	f, unlinked, err := createSpill()
	if err != nil {
		return nil, fmt.Errorf("xlsxout: temporary file for rows: %w", err)
	}
	return &RowSpool{file: f, named: !unlinked, w: bufio.NewWriterSize(f, spoolBuffer)}, nil
}

// Add encodes row num's cells, as RowWriter.Row would write them, and keeps
// them with note. A row refused (see RowWriter.Row) leaves the spool as it
// was.
func (s *RowSpool) Add(num int, cells []excelize.Cell, note []byte) error {
	if s.err != nil {
		return s.err
	}
	if s.w == nil {
		return errSpoolRead
	}
	// A record: the row's number, its cells' length and bytes, its note's
	// length and bytes.
	encoded, err := s.enc.AppendCells(s.cells[:0], num, cells)
	s.cells = encoded[:0]
	if err != nil {
		return err
	}
	head := binary.AppendUvarint(s.head[:0], uint64(num))
	head = binary.AppendUvarint(head, uint64(len(encoded)))
	mid := len(head)
	head = binary.AppendUvarint(head, uint64(len(note)))
	s.head = head
	s.w.Write(head[:mid])
	s.w.Write(encoded)
	s.w.Write(head[mid:])
	if _, err := s.w.Write(note); err != nil { // a bufio.Writer's error stays: the last write reports any
		s.err = fmt.Errorf("xlsxout: temporary file for rows: %w", err)
		return s.err
	}
	s.rows++
	s.size += int64(len(head) + len(encoded) + len(note))
	return nil
}

// Rows is the number of rows added.
func (s *RowSpool) Rows() int { return s.rows }

// Size is the number of bytes the rows added take in the spool's file.
func (s *RowSpool) Size() int64 { return s.size }

// errSpoolRead is Add's error once the spool has been written out.
var errSpoolRead = errors.New("xlsxout: rows added to a spool already written")

// WriteTo writes the rows kept, in the order added, through w, each with the
// height in points that height gives for its number and note (0 for the
// default), stopping at height's first error. It can be called once.
func (s *RowSpool) WriteTo(w *RowWriter, height func(num int, note []byte) (float64, error)) error {
	if s.err != nil {
		return s.err
	}
	if s.w == nil {
		return errors.New("xlsxout: a spool's rows written twice")
	}
	fail := func(err error) error {
		s.err = fmt.Errorf("xlsxout: temporary file for rows: %w", err)
		return s.err
	}
	if err := s.w.Flush(); err != nil {
		return fail(err)
	}
	s.w = nil
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return fail(err)
	}
	r := bufio.NewReaderSize(s.file, spoolBuffer)
	var cells, note []byte
	for range s.rows {
		num, err := binary.ReadUvarint(r)
		if err != nil {
			return fail(err)
		}
		if cells, err = readField(r, cells); err != nil {
			return fail(err)
		}
		if note, err = readField(r, note); err != nil {
			return fail(err)
		}
		h, err := height(int(num), note)
		if err != nil {
			return fmt.Errorf("row %d: %w", num, err)
		}
		if err := w.EncodedRow(int(num), cells, h); err != nil {
			return err
		}
	}
	return nil
}

// readField reads a length and that many bytes into buf's space.
func readField(r *bufio.Reader, buf []byte) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return buf, err
	}
	if n > uint64(maxSpoolField) {
		return buf, fmt.Errorf("a field of %d bytes", n)
	}
	if uint64(cap(buf)) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	_, err = io.ReadFull(r, buf)
	return buf, err
}

// maxSpoolField bounds a field read back, against a damaged file: a row of
// Excel's most columns, each holding its longest text with every character
// escaped (at most 6 bytes), is shorter.
const maxSpoolField = 1 << 32

// Close releases the spool's file. It can be called more than once.
func (s *RowSpool) Close() error {
	if s.file == nil {
		return nil
	}
	err := s.file.Close()
	if s.named {
		os.Remove(s.file.Name())
	}
	s.file, s.w = nil, nil
	return err
}
