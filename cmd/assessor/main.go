// Command assessor runs the annual performance assessment of innovation
// platforms. See README.md, or run assessor --help.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"assessor/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
