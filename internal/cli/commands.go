package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"assessor/config"
	"assessor/internal/job"
	"assessor/samples"
)

func (a *app) runCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Assess a year and write the ranked result workbook",
		Long: `run reads every workbook under --in (the platform register and the programmes'
annual report tables), assesses the year and writes <out>/<year>/ with the result
workbook: a summary, one ranked sheet per programme, the input accounting and
every problem found.

` + exitStatusHelp,
		Example: "  assessor run --year 2025 --in samples/data --out out",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd, map[string]string{"year": "run.year", "in": "run.in", "out": "run.out"})
			if err != nil {
				return err
			}
			year := cfg.Run.Year
			if year == 0 {
				year = time.Now().In(cfg.Location()).Year()
			}
			log := a.logger(cfg)
			s, err := job.Run(cmd.Context(), job.Options{
				Config: cfg, Year: year, In: cfg.Run.In, Out: cfg.Run.Out, Version: version, Log: log,
			})
			if err != nil {
				return jobError(err)
			}
			fmt.Fprintf(a.stdout, "%s\n  %d files, %d data rows: %d accepted, %d rejected, %d skipped; %d errors, %d warnings\n",
				s.Workbook, s.Files, s.Rows.Read, s.Rows.Accepted, s.Rows.Rejected, s.Rows.Skipped, s.Errors, s.Warnings)
			for _, key := range cfg.ProgrammeKeys() {
				p := cfg.Programmes[key]
				fmt.Fprintf(a.stdout, "  %s:", p.Name)
				for _, g := range p.Grades {
					fmt.Fprintf(a.stdout, " %s %d", g.Name, s.Grades[key][g.Code])
				}
				fmt.Fprintln(a.stdout)
			}
			if s.Errors > 0 {
				return fail(ExitRejected, nil)
			}
			return nil
		},
	}
	cmd.Flags().Int("year", 0, "assessment year (config run.year; default: the current year in run.timezone)")
	cmd.Flags().String("in", "", "input folder of workbooks (config run.in)")
	cmd.Flags().String("out", "", "output folder; results go to <out>/<year>/ (config run.out)")
	return cmd
}

func (a *app) validateCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the input workbooks and write the problems report",
		Long: `validate reads every workbook under --in and runs the checks of an assessment —
every cell that cannot be accepted, unknown or repeated platforms — without
grading, and writes <out>/` + job.ProblemsWorkbook + `.

` + exitStatusHelp,
		Example: "  assessor validate --in samples/data --out out",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig(cmd, map[string]string{"in": "run.in", "out": "run.out"})
			if err != nil {
				return err
			}
			s, err := job.Validate(cmd.Context(), job.Options{
				Config: cfg, In: cfg.Run.In, Out: cfg.Run.Out, Version: version, Log: a.logger(cfg),
			})
			if err != nil {
				return jobError(err)
			}
			fmt.Fprintf(a.stdout, "%s\n  %d files, %d data rows: %d accepted, %d rejected, %d skipped; %d errors, %d warnings\n",
				s.Workbook, s.Files, s.Rows.Read, s.Rows.Accepted, s.Rows.Rejected, s.Rows.Skipped, s.Errors, s.Warnings)
			if s.Errors > 0 {
				return fail(ExitRejected, nil)
			}
			return nil
		},
	}
	cmd.Flags().String("in", "", "input folder of workbooks (config run.in)")
	cmd.Flags().String("out", "", "folder for the problems report (config run.out)")
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
		Example: "  assessor samples --out samples/data\n  assessor samples --out /tmp/big --platforms 100000",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := samples.Generate(out, opts)
			if err != nil {
				return fail(ExitIO, err)
			}
			fmt.Fprintf(a.stdout, "%s: %d files, %d report rows\n", out, len(s.Files), s.ReportRows)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "folder to write the workbooks to (required)")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", samples.DefaultSeed, "random seed")
	cmd.Flags().IntVar(&opts.Platforms, "platforms", samples.DefaultPlatforms, "number of platforms (60:6:30 enclaves, demo zones, centres)")
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
