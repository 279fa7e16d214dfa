package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"assessor/config"
	"assessor/internal/job"
)

// version is the engine version, stamped at build time with
// -ldflags "-X assessor/internal/cli.version=...".
var version = "dev"

// Exit statuses. They are part of the interface: schedulers act on them.
const (
	ExitOK        = 0 // done; every input row accepted
	ExitRejected  = 1 // done, results written, but some input was rejected: see the 问题清单 sheet
	ExitUsage     = 2 // bad command line or configuration, or nothing to assess for the year
	ExitIO        = 3 // input folder unreadable or results unwritable
	ExitInternal  = 4 // a fault of the engine itself
	ExitLocked    = 5 // another run holds the state folder
	ExitCancelled = 6 // stopped by SIGINT or SIGTERM; outputs and history left as they were
)

// exitStatusHelp documents the exit statuses in --help.
const exitStatusHelp = `Exit status:
  0  done; every input row was accepted
  1  done and results written, but some input was rejected (see the 问题清单 sheet)
  2  bad command line or configuration, no report for the year in the input,
     or the year before missing from the history
  3  the input folder could not be read or the results could not be written
  4  internal error
  5  another run holds the state folder (see --wait)
  6  stopped by SIGINT or SIGTERM; outputs and history left as they were`

// exitError carries an exit status with the error that caused it.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// fail wraps err with an exit status.
func fail(code int, err error) error { return &exitError{code: code, err: err} }

// app is what every command shares.
type app struct {
	stdout, stderr io.Writer
	configFile     string
	logLevel       string
	logFormat      string

	runID    string               // on every log line and in the run's records
	terminal func(io.Writer) bool // whether a writer is a terminal; replaced in tests
	now      func() time.Time     // the clock, for the default year; replaced in tests
	log      *zerolog.Logger      // the command's logger, once built
	progress *progress            // the progress bar, on a terminal
}

// Main runs the command line and returns the exit status. Errors are printed to
// stderr, as a log line once the command has its logger; a run that rejected
// some input prints its summary only.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return newApp(stdout, stderr).main(ctx, args)
}

// newApp is a command line writing to stdout and stderr, with a new run id.
func newApp(stdout, stderr io.Writer) *app {
	return &app{stdout: stdout, stderr: stderr, runID: newRunID(), terminal: isTerminal, now: time.Now}
}

// main runs the command line given by args and returns the exit status.
func (a *app) main(ctx context.Context, args []string) int {
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	err := root.ExecuteContext(ctx)
	if a.progress != nil {
		a.progress.finish()
	}
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		// Cobra's own errors: unknown commands and flags, wrong arguments.
		fmt.Fprintf(a.stderr, "assessor: %v\nRun 'assessor --help' for usage.\n", err)
		return ExitUsage
	}
	switch {
	case ee.err == nil:
	case a.log != nil:
		// Once the logger is built, the error is a log line like the others:
		// JSON when the log is, and with the run id.
		a.log.Error().Int("exit_status", ee.code).Msg(ee.err.Error())
	default:
		fmt.Fprintf(a.stderr, "assessor: %v\n", ee.err)
	}
	return ee.code
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "assessor",
		Short: "Annual performance assessment of innovation platforms",
		Long: `assessor reads the annual report workbooks of Inner Mongolia's innovation
platforms (科创飞地, 科技成果转移转化示范区, 技术创新中心), applies each programme's
rules and writes ranked result workbooks.

` + exitStatusHelp,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.PersistentFlags().StringVarP(&a.configFile, "config", "c", "", "configuration file overriding the defaults (YAML; default $"+config.FileEnv+")")
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "", "log level: debug, info, warn, error (config log.level)")
	root.PersistentFlags().StringVar(&a.logFormat, "log-format", "", "log format: auto, json, console (config log.format)")
	root.AddCommand(a.runCommand(), a.validateCommand(), a.explainCommand(), a.historyCommand(), a.templateCommand(),
		a.samplesCommand(), a.configCommand(), a.versionCommand())
	return root
}

// loadConfig loads the configuration with the command's flags applied.
func (a *app) loadConfig(cmd *cobra.Command, flagKeys map[string]string) (*config.Config, error) {
	keys := map[string]string{"log-level": "log.level", "log-format": "log.format"}
	for k, v := range flagKeys {
		keys[k] = v
	}
	cfg, err := config.Load(config.Options{File: a.configFile, Flags: cmd.Flags(), FlagKeys: keys})
	if err != nil {
		return nil, fail(ExitUsage, err)
	}
	return cfg, nil
}

// exitStatus is the exit status that a job's summary or error ends in.
func exitStatus(s *job.Summary, err error) int {
	var ee *exitError
	if errors.As(jobError(err), &ee) {
		return ee.code
	}
	if s != nil && s.Errors > 0 {
		return ExitRejected
	}
	return ExitOK
}

// done is the outcome of a job that finished: some input rejected, or none.
func done(s *job.Summary) error {
	if code := exitStatus(s, nil); code != ExitOK {
		return fail(code, nil)
	}
	return nil
}

// jobError maps an error of package job to an exit status; nil stays nil.
func jobError(err error) error {
	var ioErr *job.IOError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return fail(ExitCancelled, errors.New("cancelled: outputs and history left as they were"))
	case errors.Is(err, job.ErrLocked):
		return fail(ExitLocked, err)
	case errors.As(err, &ioErr):
		return fail(ExitIO, err)
	case errors.Is(err, job.ErrNothingToAssess), errors.Is(err, job.ErrNoHistory), errors.Is(err, job.ErrHistoryExists):
		return fail(ExitUsage, err)
	default:
		return fail(ExitInternal, err)
	}
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the engine version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(a.stdout, "assessor", version)
			return nil
		},
	}
}
