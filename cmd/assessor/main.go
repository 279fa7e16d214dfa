// Command assessor runs the annual performance assessment of innovation
// platforms. See README.md, or run assessor --help.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"assessor/internal/cli"
)

func main() {
	// The garbage collector runs when the heap has grown by half since the
	// last collection rather than doubled (GOGC=50, not Go's 100), unless
	// GOGC is set: a run holds every platform's outcome until its workbooks
	// are written, and at a million platforms this keeps the peak a quarter
	// lower (6.2 GiB against 8.2) for about the same time (README,
	// Performance and scale).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
