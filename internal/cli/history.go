package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"assessor/dataset"
	"assessor/internal/job"
	"assessor/report"
)

func (a *app) explainCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "explain --year Y ID",
		Short: "Explain how one platform's year was decided",
		Long: `explain assesses the year exactly as run does, from the same input and history, and
prints for one platform: each indicator (value, target, attainment, weight, points),
each assessment with its expert panel and every grade rule, each gate with its
values, the status transition and its clause, the funds with their inputs, and the
reasons. It writes nothing.

` + exitStatusHelp,
		Example: "  assessor explain --year 2025 JSZX-2020-003",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.loadConfig(cmd, runFlagKeys)
			if err != nil {
				return err
			}
			res, err := job.Explain(cmd.Context(), a.jobOptions(cfg))
			if err != nil {
				return jobError(err)
			}
			if err := report.WriteExplanation(a.stdout, cfg, res, args[0]); err != nil {
				if errors.Is(err, report.ErrNotFound) {
					return fail(ExitUsage, err)
				}
				return fail(ExitIO, err)
			}
			return nil
		},
	}
	addRunFlags(cmd)
	return cmd
}

func (a *app) historyCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "history", Short: "Seed or look into the history of past results"}
	var replace, wait bool
	imp := &cobra.Command{
		Use:   "import FILE.xlsx",
		Short: "Seed the history from a workbook of published results",
		Long: `import reads a workbook of past published results (历年评估结果: 平台编号, 平台类别,
年度, 等次, 状态) and writes each year it holds to the history, so that assessment can
start in any year: run the year after the last one imported. A year the history
already has is refused unless --replace is given.

` + exitStatusHelp,
		Example: "  assessor history import samples/history/2021年度评估结果（已公布）.xlsx",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.loadConfig(cmd, map[string]string{"state": "run.state"})
			if err != nil {
				return err
			}
			o := a.jobOptions(cfg)
			o.Wait = wait
			s, err := job.Import(cmd.Context(), o, args[0], replace)
			if s != nil {
				infos := 0
				for _, p := range s.Problems {
					if p.Severity == dataset.Info {
						infos++
						continue
					}
					fmt.Fprintf(a.stderr, "  %s: %s\n", p.Severity, p.Error())
				}
				if infos > 0 {
					fmt.Fprintf(a.stderr, "  (%d notes, such as unused columns and note rows, not shown)\n", infos)
				}
			}
			if err != nil {
				return jobError(err)
			}
			for y, n := range s.Years {
				fmt.Fprintf(a.stdout, "%d: %d platforms imported\n", y, n)
			}
			if s.Errors > 0 {
				return fail(ExitRejected, nil)
			}
			return nil
		},
	}
	imp.Flags().String("state", "", "state folder: history and lock (config run.state)")
	imp.Flags().BoolVar(&replace, "replace", false, "replace years the history already has")
	imp.Flags().BoolVar(&wait, "wait", false, "wait for another run to release the state folder instead of failing")

	show := &cobra.Command{
		Use:     "show ID",
		Short:   "Print a platform's years from the history",
		Example: "  assessor history show FD-2022-013",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.loadConfig(cmd, map[string]string{"state": "run.state"})
			if err != nil {
				return err
			}
			states, err := job.Show(job.Options{Config: cfg, State: cfg.Run.State}, args[0])
			if err != nil {
				return jobError(err)
			}
			if len(states) == 0 {
				return fail(ExitUsage, fmt.Errorf("%s: not in the history of %s", args[0], cfg.Run.State))
			}
			fmt.Fprintf(a.stdout, "%-6s %-10s %-11s %-12s %-16s %s\n", "year", "programme", "status", "since→review", "outcome/source", "grades (scores)")
			for _, s := range states {
				var grades []string
				for _, en := range s.Grades { // in key order
					g := en.Key + "=" + en.Value
					if sc, ok := s.Scores.Get(en.Key); ok {
						g += fmt.Sprintf(" (%g)", sc)
					}
					grades = append(grades, g)
				}
				window := ""
				if s.Since > 0 {
					window = fmt.Sprint(s.Since)
					if s.Review > 0 {
						window += fmt.Sprintf("→%d", s.Review)
					}
				}
				fmt.Fprintf(a.stdout, "%-6d %-10s %-11s %-12s %-16s %s\n", s.Year, s.Programme, s.Status, window, s.Outcome+"/"+s.Source, strings.Join(grades, ", "))
			}
			return nil
		},
	}
	show.Flags().String("state", "", "state folder: history and lock (config run.state)")
	cmd.AddCommand(imp, show)
	return cmd
}
