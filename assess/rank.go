package assess

import (
	"cmp"
	"slices"

	"assessor/config"
)

// rankAll ranks each assessment's scored platforms and orders the programme's
// outcomes: ranked by the status assessment first, then the others by outcome
// and id.
func rankAll(prog *Programme) {
	for k, a := range prog.Config.AssessmentList() {
		var scored []*Outcome
		for _, o := range prog.Outcomes {
			if o.Assessments[k].Scored {
				scored = append(scored, o)
			}
		}
		rank(scored, k, a, prog.Config.TieBreak)
	}
	slices.SortFunc(prog.Outcomes, func(a, b *Outcome) int { // a total order: ids are unique
		ra, rb := a.Main().Rank, b.Main().Rank
		switch {
		case ra > 0 && rb > 0:
			if c := cmp.Compare(ra, rb); c != 0 {
				return c
			}
		case ra > 0:
			return -1
		case rb > 0:
			return 1
		default:
			if c := cmp.Compare(statusOrder[a.Status], statusOrder[b.Status]); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// rank ranks outcomes on assessment k: by score (already rounded to the
// configured precision, so 84.996 and 85.004 tie at 85.00), then by the
// programme's tie-break indicators, all descending. Outcomes equal on all of
// these share a rank (1, 2, 2, 4) and are listed by id.
func rank(outs []*Outcome, k int, _ *config.Assessment, tieBreak []string) {
	tieValue := func(o *Outcome, key string) float64 {
		for _, ind := range o.Indicators {
			if ind.Key == key && ind.Present {
				return ind.Value
			}
		}
		return -1 // a missing value ranks below any reported one
	}
	compare := func(a, b *Outcome) int {
		if c := cmp.Compare(b.Assessments[k].Score, a.Assessments[k].Score); c != 0 {
			return c
		}
		for _, key := range tieBreak {
			if c := cmp.Compare(tieValue(b, key), tieValue(a, key)); c != 0 {
				return c
			}
		}
		return 0
	}
	slices.SortFunc(outs, func(a, b *Outcome) int { // a total order: ids are unique
		if c := compare(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	for i, o := range outs {
		ar := o.Assessments[k]
		if i > 0 && compare(outs[i-1], o) == 0 {
			prev := outs[i-1].Assessments[k]
			ar.Rank, ar.Tied, prev.Tied = prev.Rank, true, true
		} else {
			ar.Rank = i + 1
		}
	}
}
