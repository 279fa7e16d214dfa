package assess

import (
	"errors"
	"fmt"
	"os"
	"slices"
)

// spill is where an outcome store keeps its records: a temporary file
// while the platforms are stepped, whose indexes and input are on the heap
// then, and afterwards, once those are gone, memory again (load): a
// national roster's outcomes are not on the heap at the same time as what
// they were made from, and they are read back, many times over, from
// memory. The file is removed as soon as it is made where the system
// allows (it is gone however the run ends), or else when the spill is
// closed.
type spill struct {
	f       *os.File
	path    string // to remove at close: the file could not be removed at once
	buf     []byte // records added and not yet written
	written int64  // bytes written to f
	// Once loaded, the records are in blocks, each of whole records, the
	// one starting at from[k] in blocks[k].
	blocks []string
	from   []int64
}

// spillBuffer is how much a spill gathers before it writes.
const spillBuffer = 1 << 20

// newSpill makes a spill in dir ("" for the system's temporary folder).
func newSpill(dir string) (*spill, error) {
	f, err := os.CreateTemp(dir, ".assessor-outcomes-*")
	if err != nil {
		return nil, fmt.Errorf("keep outcomes: %w", err)
	}
	s := &spill{f: f, buf: make([]byte, 0, spillBuffer)}
	if os.Remove(f.Name()) != nil {
		s.path = f.Name()
	}
	return s, nil
}

// size returns the bytes added.
func (s *spill) size() int64 { return s.written + int64(len(s.buf)) }

// add adds a record at the end.
func (s *spill) add(rec []byte) error {
	if len(s.buf)+len(rec) > cap(s.buf) {
		if err := s.flush(); err != nil {
			return err
		}
		if len(rec) > cap(s.buf) {
			return s.write(rec)
		}
	}
	s.buf = append(s.buf, rec...)
	return nil
}

// flush writes the records gathered.
func (s *spill) flush() error {
	err := s.write(s.buf)
	s.buf = s.buf[:0]
	return err
}

// write writes b at the end of the file.
func (s *spill) write(b []byte) error {
	n, err := s.f.Write(b)
	s.written += int64(n)
	if err != nil {
		return fmt.Errorf("keep outcomes: %w", err) // an *os.PathError naming the file
	}
	return nil
}

// finish writes the records gathered and gives back the memory they were
// gathered in: from then on every record is read from the file.
func (s *spill) finish() error {
	err := s.flush()
	s.buf = nil
	return err
}

// read returns the n bytes at off: a part of a loaded block, or else a
// copy.
func (s *spill) read(off int64, n int) (string, error) {
	if s.blocks != nil {
		k, found := slices.BinarySearch(s.from, off)
		if !found {
			k--
		}
		if k < 0 || off-s.from[k]+int64(n) > int64(len(s.blocks[k])) {
			return "", fmt.Errorf("read kept outcomes: %d bytes at %d: past the block", n, off)
		}
		return s.blocks[k][off-s.from[k]:][:n], nil
	}
	b, err := s.readBytes(off, n, nil)
	return string(b), err
}

// readBytes reads the n bytes at off into buf, which it returns resized.
func (s *spill) readBytes(off int64, n int, buf []byte) ([]byte, error) {
	buf = slices.Grow(buf[:0], n)[:n]
	if off >= s.written { // gathered, not yet written
		copy(buf, s.buf[off-s.written:])
		return buf, nil
	}
	if _, err := s.f.ReadAt(buf, off); err != nil {
		return buf, fmt.Errorf("read kept outcomes: %w", err)
	}
	return buf, nil
}

// load reads the file into memory and closes it, in blocks from each of
// starts (the first 0) to the next, or to the end. The blocks are strings,
// which a decoded outcome's texts are parts of: once loaded, an outcome is
// read without a copy.
func (s *spill) load(starts []int64) error {
	if err := s.finish(); err != nil {
		return err
	}
	blocks := make([]string, len(starts))
	var buf []byte
	for k, from := range starts {
		to := s.written
		if k+1 < len(starts) {
			to = starts[k+1]
		}
		var err error
		if buf, err = s.readBytes(from, int(to-from), buf); err != nil {
			return err
		}
		blocks[k] = string(buf)
	}
	err := s.close()
	s.blocks, s.from = blocks, starts
	return err
}

// close closes the file, and removes it if it could not be removed when
// made. Closing again does nothing; reading after is an error.
func (s *spill) close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	if s.path != "" {
		err = errors.Join(err, os.Remove(s.path))
	}
	s.f = nil
	return err
}
