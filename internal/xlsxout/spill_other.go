//go:build !linux

package xlsxout

import "os"

// createSpill makes a temporary file for a spliced part's deflated bytes.
func createSpill() (f *os.File, unlinked bool, err error) { return createNamedSpill() }
