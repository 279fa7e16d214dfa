package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"assessor/assess"
	"assessor/config"
	"assessor/forms"
	"assessor/internal/job"
	"assessor/internal/manifest"
	"assessor/report"
	"assessor/samples"
)

// runFlagKeys binds the run flags to their configuration keys.
var runFlagKeys = map[string]string{"year": "run.year", "first-year": "run.first_year", "in": "run.in", "out": "run.out", "state": "run.state",
	"split-by": "run.split_by", "memory-limit-mib": "run.memory_limit_mib"}

func (a *app) runCommand() *cobra.Command {
	var wait, dryRun bool
	var profile string
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Assess a year and write the ranked result workbook",
		Long: `run reads every workbook under --in (the platform register, the programmes'
annual report tables, the events and expert-score sheets), starts from the previous
year's results in the history (--state), assesses the year and writes
<out>/<year>/ with the result workbook, each programme's public notice (公示名单),
with --split-by league one workbook per 盟市 under <out>/<year>/按盟市/, and the
run's manifest (` + manifest.FileName + `:
inputs and outputs with their SHA-256, counts, exit status), and the year's
results to the history. Each run also leaves a record in <state>/` + manifest.RecordsFolder + `/, failed
runs included. Run the years in order; the first year of the history is set
with --first-year (or seeded with 'assessor history import'). Re-running a
year replaces it, and says whether its outputs changed.

--dry-run does all of it but write: it takes no lock, writes nothing under
--out or --state, and ends with the exit status the run would end with.

--profile DIR writes the run's profiles for 'go tool pprof' into DIR: the
processor's over the whole run (cpu.pprof) and the live heap once the input
is read (heap-read.pprof) and once the year is assessed (heap-assess.pprof).

` + exitStatusHelp,
		Example: "  assessor run --year 2022 --first-year 2022 --in samples/data --out out\n  assessor run --year 2023 --in samples/data --out out",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd, runFlagKeys)
			if err != nil {
				return err
			}
			o := a.jobOptions(cfg)
			o.Wait, o.DryRun, o.ExitStatus, o.ProfileDir = wait, dryRun, exitStatus, profile
			s, err := job.Run(cmd.Context(), o)
			if err != nil {
				return jobError(err)
			}
			if dryRun {
				fmt.Fprint(a.stdout, "dry run, nothing written: ")
			}
			fmt.Fprintf(a.stdout, "%s\n  %d files, %d data rows: %d accepted, %d rejected, %d skipped; %d errors, %d warnings\n",
				s.Workbook, s.Files, s.Rows.Read, s.Rows.Accepted, s.Rows.Rejected, s.Rows.Skipped, s.Errors, s.Warnings)
			for _, path := range s.Workbooks[1:] {
				fmt.Fprintf(a.stdout, "  + %s\n", path)
			}
			for _, key := range cfg.ProgrammeKeys() {
				p := cfg.Programmes[key]
				fmt.Fprintf(a.stdout, "  %s:", p.Name)
				for _, g := range p.StatusAssessment().Grades {
					fmt.Fprintf(a.stdout, " %s %d", g.Name, s.Grades[key][g.Code])
				}
				fmt.Fprintln(a.stdout)
			}
			fmt.Fprintf(a.stdout, "  changes:")
			for _, k := range []assess.ChangeKind{assess.ChangeRectification, assess.ChangeRestored, assess.ChangeRevoked, assess.ChangeNotDue} {
				fmt.Fprintf(a.stdout, " %s %d", report.ChangeName(k), s.Changes[k])
			}
			fmt.Fprintln(a.stdout)
			return done(s)
		},
	}
	addRunFlags(cmd)
	cmd.Flags().BoolVar(&wait, "wait", false, "wait for another run to release the state folder instead of failing")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "do everything but write: no lock, nothing written under --out or --state")
	cmd.Flags().StringVar(&profile, "profile", "", "write processor and heap profiles of the run into this folder (for go tool pprof)")
	cmd.Flags().String("split-by", "", "also write the results split into one workbook per value: league (config run.split_by)")
	cmd.Flags().Int("memory-limit-mib", 0, "soft limit on the run's memory in MiB, 0 for none (config run.memory_limit_mib; GOMEMLIMIT stands if set)")
	return cmd
}

// addRunFlags adds the flags that say which year to assess from what.
func addRunFlags(cmd *cobra.Command) {
	cmd.Flags().Int("year", 0, "assessment year (config run.year; default: the current year in run.timezone)")
	cmd.Flags().Int("first-year", 0, "the first year of the history: it needs no previous year (config run.first_year)")
	cmd.Flags().String("in", "", "input folder of workbooks (config run.in)")
	cmd.Flags().String("out", "", "output folder; results go to <out>/<year>/ (config run.out)")
	cmd.Flags().String("state", "", "state folder: history and lock (config run.state)")
}

// jobOptions are what every job is given: the configuration with its year and
// folders, the engine version, the logger and the progress bar.
func (a *app) jobOptions(cfg *config.Config) job.Options {
	log := a.logger(cfg)
	return job.Options{Config: cfg, Year: a.year(cfg), In: cfg.Run.In, Out: cfg.Run.Out, State: cfg.Run.State,
		Version: version, Log: log, Progress: a.progressFunc(), RunID: a.runID}
}

// year is the assessment year: configured, or the current year in the
// configured time zone.
func (a *app) year(cfg *config.Config) int {
	if cfg.Run.Year != 0 {
		return cfg.Run.Year
	}
	return a.now().In(cfg.Location()).Year()
}

func (a *app) validateCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the input workbooks and write the problems report",
		Long: `validate reads every workbook under --in and runs the checks of an assessment —
every cell that cannot be accepted, unknown or repeated platforms — without
grading, and writes <out>/` + job.ProblemsWorkbook + `, and under <out>/` + job.AnnotatedFolder + `/ a copy of
each workbook with problems, its problem cells highlighted and commented, ready
to send back to the platform.

` + exitStatusHelp,
		Example: "  assessor validate --in samples/data --out out",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd, map[string]string{"in": "run.in", "out": "run.out"})
			if err != nil {
				return err
			}
			s, err := job.Validate(cmd.Context(), a.jobOptions(cfg))
			if err != nil {
				return jobError(err)
			}
			fmt.Fprintf(a.stdout, "%s\n  %d files, %d data rows: %d accepted, %d rejected, %d skipped; %d errors, %d warnings\n",
				s.Workbook, s.Files, s.Rows.Read, s.Rows.Accepted, s.Rows.Rejected, s.Rows.Skipped, s.Errors, s.Warnings)
			for _, path := range s.Annotated {
				fmt.Fprintf(a.stdout, "  %s\n", path)
			}
			return done(s)
		},
	}
	cmd.Flags().String("in", "", "input folder of workbooks (config run.in)")
	cmd.Flags().String("out", "", "folder for the problems report and the annotated copies (config run.out)")
	return cmd
}

func (a *app) samplesCommand() *cobra.Command {
	var opts samples.Options
	var out string
	cmd := &cobra.Command{
		Use:   "samples",
		Short: "Generate realistic sample input workbooks",
		Long: `samples writes a deterministic set of input workbooks as platforms and evaluators
fill them in — a platform register and, for each year, one annual report roster per
programme — complete with title rows, merged headers, units, numbers stored as text,
notes rows and a handful of genuinely bad values. The same seed gives the same
files; --platforms scales the set for benchmarks.`,
		Example: "  assessor samples --out samples/data\n  assessor samples --out /tmp/big --platforms 100000\n" +
			"  assessor samples --out /tmp/roster --platforms 1000000 --only enclave --first-year 2025 --last-year 2025",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := samples.Generate(out, opts)
			if err != nil {
				return fail(ExitIO, err)
			}
			fmt.Fprintf(a.stdout, "%s: %d files, %d report rows\n", out, len(s.Files), s.ReportRows)
			for _, p := range s.Published {
				fmt.Fprintf(a.stdout, "%s\n", filepath.Join(opts.PublishedDir, p))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "folder to write the workbooks to (required)")
	cmd.Flags().StringVar(&opts.PublishedDir, "published", "", "also write the published results of the year before the first, to seed the history, into this folder")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", samples.DefaultSeed, "random seed")
	cmd.Flags().IntVar(&opts.Platforms, "platforms", samples.DefaultPlatforms, "number of platforms (60:6:30 enclaves, demo zones, centres)")
	cmd.Flags().StringVar(&opts.Only, "only", "", "make every platform one of this programme (enclave, demo_zone or tic): one roster a year as long as the register")
	cmd.Flags().IntVar(&opts.FirstYear, "first-year", samples.DefaultFirstYear, "first report year")
	cmd.Flags().IntVar(&opts.LastYear, "last-year", samples.DefaultLastYear, "last report year")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func (a *app) templateCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "template",
		Short: "Write the blank annual-report forms for a year",
		Long: `template writes, for each programme, the blank annual-report form that platforms
fill in: labels with their units, input cells validated (whole numbers, value
ranges, percentages, drop-down lists) and unlocked, the rest protected, and an
instructions sheet. A filled-in form is read back by run and validate as it is.

` + exitStatusHelp,
		Example: "  assessor template --year 2026 --out forms/",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd, map[string]string{"year": "run.year"})
			if err != nil {
				return err
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return fail(ExitIO, err)
			}
			names, err := forms.Write(out, cfg, a.year(cfg))
			if err != nil {
				return fail(ExitIO, err)
			}
			for _, n := range names {
				fmt.Fprintln(a.stdout, filepath.Join(out, n))
			}
			return nil
		},
	}
	cmd.Flags().Int("year", 0, "the year the forms are for (default: the current year in run.timezone)")
	cmd.Flags().StringVar(&out, "out", "", "folder to write the forms to (required)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func (a *app) configCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Show the configuration"}
	var defaults bool
	show := &cobra.Command{
		Use:   "show",
		Short: "Print the effective configuration (defaults, file, environment, flags)",
		Long: `show prints the effective configuration as YAML: the embedded defaults overridden
by --config FILE and ASSESSOR_* environment variables. With --defaults it prints the
commented default file instead, a starting point for your own.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if defaults {
				_, err := a.stdout.Write(config.DefaultYAML())
				return err
			}
			cfg, err := a.loadConfig(cmd, nil)
			if err != nil {
				return err
			}
			out, err := cfg.YAML()
			if err != nil {
				return fail(ExitInternal, err)
			}
			_, err = a.stdout.Write(out)
			return err
		},
	}
	show.Flags().BoolVar(&defaults, "defaults", false, "print the commented defaults")
	cmd.AddCommand(show)
	return cmd
}
