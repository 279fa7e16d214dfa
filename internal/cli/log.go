package cli

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"os"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/term"

	"assessor/config"
)

// runIDField names the run id on every log line.
const runIDField = "run_id"

// newRunID returns a short random id that tells one run's log lines, manifest
// and run record from another's.
func newRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (it crashes the program instead)
	return hex.EncodeToString(b[:])
}

// newLogger writes JSON lines to w, or the human-readable console format.
// Every line carries the run id.
func newLogger(w io.Writer, level string, console bool, runID string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil {
		lvl = zerolog.InfoLevel
	}
	if console {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Str(runIDField, runID).Logger()
}

// logger builds the command's logger on stderr: the console format when
// log.format is "console", or "auto" and stderr is a terminal; JSON lines
// otherwise. On a terminal in the console format it also sets up the
// progress bar, which the log lines then pass through.
func (a *app) logger(cfg *config.Config) zerolog.Logger {
	console, bar := logStyle(cfg.Log.Format, a.terminal(a.stderr))
	w := a.stderr
	if bar {
		a.progress = newProgress(a.stderr)
		w = a.progress
	}
	log := newLogger(w, cfg.Log.Level, console, a.runID)
	a.log = &log
	return log
}

// logStyle says whether the log is in the console format, and whether a
// progress bar is drawn: only on a terminal, and never in JSON mode.
func logStyle(format string, terminal bool) (console, bar bool) {
	console = format == config.LogFormatConsole || format == config.LogFormatAuto && terminal
	return console, console && terminal
}

// progressFunc is the ingest progress callback: nil without a progress bar.
func (a *app) progressFunc() func(done, total int) {
	if a.progress == nil {
		return nil
	}
	return a.progress.report
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
