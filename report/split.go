package report

import (
	"strconv"
	"strings"

	"assessor/assess"
	"assessor/dataset"
)

// leagueResult cuts the year's result to one 盟市's platforms: their
// outcomes, in the same order and with their region-wide ranks, and their
// changes. The problems stay whole, for leagueProblems to choose from. ok is
// false when the 盟市 has no platform.
func leagueResult(res *assess.Result, league string) (_ *assess.Result, ok bool) {
	out := &assess.Result{Year: res.Year, Problems: res.Problems, Unused: res.Unused}
	found := false
	for _, prog := range res.Programmes {
		lp := prog.Select(func(o *assess.Outcome) bool { return o.League == league })
		found = found || lp.Len() > 0
		out.Programmes = append(out.Programmes, lp)
	}
	for _, c := range res.Changes {
		if c.League == league {
			out.Changes = append(out.Changes, c)
		}
	}
	return out, found
}

// leagueProblems keeps the problems found in the report rows of the result's
// platforms: the row each outcome was read from, and the refused rows that
// carry one of their ids.
func leagueProblems(res *assess.Result, set *dataset.Set, problems []dataset.Problem) []dataset.Problem {
	rows := map[[3]string]bool{}
	ids := map[string]bool{}
	for _, prog := range res.Programmes {
		for _, o := range prog.Outcomes() {
			ids[o.ID] = true
			if at := o.Report; at.Row > 0 && int(at.Source) < len(set.Sources) {
				src := set.Sources[at.Source]
				rows[[3]string{src.File, src.Sheet, strconv.Itoa(int(at.Row))}] = true
			}
		}
	}
	for _, r := range set.Rejected {
		if ids[r.ID] && int(r.Source) < len(set.Sources) {
			src := set.Sources[r.Source]
			rows[[3]string{src.File, src.Sheet, strconv.Itoa(int(r.Row))}] = true
		}
	}
	var out []dataset.Problem
	for _, p := range problems {
		if rows[rowKey(p.Location)] {
			out = append(out, p)
		}
	}
	return out
}

// rowKey is the file, sheet and row of a location ("K16" and "16:16" are both
// row 16); the row is "" for a whole file or sheet.
func rowKey(l dataset.Location) [3]string {
	row, _, _ := strings.Cut(strings.TrimLeft(l.Cell, "ABCDEFGHIJKLMNOPQRSTUVWXYZ$"), ":")
	return [3]string{l.File, l.Sheet, row}
}
