package atomicfile

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// tmpSuffix ends every temporary file name, which starts with a dot and the
// target's name: ".<name>.<random>.tmp".
const tmpSuffix = ".tmp"

// Staged is a file written and synced beside its target, waiting to be renamed
// into place.
type Staged struct {
	tmp, path string
	sum       string // SHA-256 of the content, in hex
	size      int64
	done      bool
}

// Stage writes a file's content to a temporary file beside path and syncs it.
// Nothing is visible at path until Commit. On error nothing is left behind.
func Stage(path string, write func(io.Writer) error) (_ *Staged, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*"+tmpSuffix)
	if err != nil {
		return nil, fmt.Errorf("create temporary file: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	hw := &hashWriter{w: tmp, h: sha256.New()}
	if err = write(hw); err != nil {
		return nil, err
	}
	if err = tmp.Sync(); err != nil {
		return nil, fmt.Errorf("sync %s: %w", tmp.Name(), err)
	}
	if err = tmp.Close(); err != nil {
		return nil, fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return nil, fmt.Errorf("chmod %s: %w", tmp.Name(), err)
	}
	return &Staged{tmp: tmp.Name(), path: path, sum: hex.EncodeToString(hw.h.Sum(nil)), size: hw.n}, nil
}

// Path is where the file goes on Commit.
func (s *Staged) Path() string { return s.path }

// SHA256 is the hex SHA-256 of the staged content.
func (s *Staged) SHA256() string { return s.sum }

// Size is the staged content's length in bytes.
func (s *Staged) Size() int64 { return s.size }

// hashWriter writes to w, hashing and counting what it writes.
type hashWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (hw *hashWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

// Commit renames the staged file into place and syncs the folder.
func (s *Staged) Commit() error {
	if s.done {
		return fmt.Errorf("%s: already committed or aborted", s.path)
	}
	if err := os.Rename(s.tmp, s.path); err != nil {
		return fmt.Errorf("rename into %s: %w", s.path, err)
	}
	s.done = true
	return syncDir(filepath.Dir(s.path))
}

// Abort removes the staged file; it does nothing after Commit.
func (s *Staged) Abort() {
	if !s.done {
		_ = os.Remove(s.tmp)
		s.done = true
	}
}

// Write stages and commits in one step.
func Write(path string, write func(io.Writer) error) error {
	s, err := Stage(path, write)
	if err != nil {
		return err
	}
	return s.Commit()
}

// CleanStale removes the temporary files that a process killed between Stage
// and Commit left in dir, and returns their names. Only call it while holding
// whatever lock keeps other writers out of dir.
func CleanStale(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("clean %s: %w", dir, err)
	}
	var removed []string
	for _, e := range entries {
		name := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(name, ".") && strings.HasSuffix(name, tmpSuffix) {
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return removed, fmt.Errorf("clean %s: %w", dir, err)
			}
			removed = append(removed, name)
		}
	}
	return removed, nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync folder %s: %w", dir, err)
	}
	return nil
}
