package history

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// lockName is the lock file in the state folder.
const lockName = ".lock"

// Polling bounds for Options.Wait: flock has no way to cancel a blocking
// call, so a waiting Open retries a non-blocking one until the context ends.
const (
	firstPoll = 10 * time.Millisecond
	maxPoll   = 500 * time.Millisecond
)

// lock takes an exclusive flock on path and records the holder in it. The
// lock file is written in place rather than through atomicfile: a rename
// would put a new, unlocked inode under the name and let a second run lock
// that one. Its content is only for error messages.
func lock(ctx context.Context, path string, wait bool) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := acquire(ctx, f, wait); err != nil {
		_ = f.Close()
		return nil, err
	}
	if err := writeHolder(f); err != nil {
		_ = unlock(f)
		return nil, fmt.Errorf("write lock file %s: %w", path, err)
	}
	return f, nil
}

// acquire flocks f, retrying with backoff while wait is set and ctx lives.
func acquire(ctx context.Context, f *os.File, wait bool) error {
	delay := firstPoll
	for {
		err := flock(f, syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("lock %s: %w", f.Name(), err)
		}
		if !wait {
			return ErrLocked
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		delay = min(2*delay, maxPoll)
	}
}

// flock calls flock(2), retrying when a signal interrupts it.
func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// writeHolder replaces the lock file's content with "<pid> <start time>".
func writeHolder(f *os.File) error {
	line := strconv.Itoa(os.Getpid()) + " " + time.Now().Format(time.RFC3339) + "\n"
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt([]byte(line), 0); err != nil {
		return err
	}
	return nil
}

// unlock empties the lock file, so that nobody reads a former holder from it,
// then releases the lock and closes the file.
func unlock(f *os.File) error {
	errTrunc := f.Truncate(0)
	errUnlock := flock(f, syscall.LOCK_UN)
	errClose := f.Close()
	if err := errors.Join(errTrunc, errUnlock, errClose); err != nil {
		return fmt.Errorf("unlock %s: %w", f.Name(), err)
	}
	return nil
}

// holder describes the run that holds the lock file at path, as
// "pid 1234 since 2026-12-01T02:00:00+08:00", or says it is unknown (the
// holder may have locked the file and not yet written it).
func holder(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "another run"
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 256))
	if err != nil {
		return "another run"
	}
	fields := strings.Fields(string(b))
	if len(fields) != 2 {
		return "another run"
	}
	if _, err := strconv.Atoi(fields[0]); err != nil {
		return "another run"
	}
	return "pid " + fields[0] + " since " + fields[1]
}
