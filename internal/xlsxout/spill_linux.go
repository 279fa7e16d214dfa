package xlsxout

import (
	"os"

	"golang.org/x/sys/unix"
)

// createSpill makes a temporary file for a spliced part's deflated bytes. On
// Linux the file has no name at all (O_TMPFILE): nothing is left behind
// whichever way the process ends, even killed. Where the file system does not
// offer that, the file is made with a name that is removed at once, which
// leaves a window of a few instructions.
func createSpill() (f *os.File, unlinked bool, err error) {
	dir := os.TempDir()
	fd, err := unix.Open(dir, unix.O_RDWR|unix.O_TMPFILE|unix.O_CLOEXEC, 0o600)
	if err == nil {
		return os.NewFile(uintptr(fd), dir+"/assessor-part"), true, nil
	}
	return createNamedSpill()
}
