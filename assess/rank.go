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
		rank(scored, k, a, tieBreakIndices(prog.Config))
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
func rank(outs []*Outcome, k int, _ *config.Assessment, tieBreak []int) {
	tieValue := func(o *Outcome, i int) float64 {
		if i < len(o.Indicators) && o.Indicators[i].Present {
			return o.Indicators[i].Value
		}
		return -1 // a missing value ranks below any reported one
	}
	compare := func(a, b *Outcome) int {
		if c := cmp.Compare(b.Assessments[k].Score, a.Assessments[k].Score); c != 0 {
			return c
		}
		for _, i := range tieBreak {
			if c := cmp.Compare(tieValue(b, i), tieValue(a, i)); c != 0 {
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

// tieBreakIndices is where the programme's tie-break indicators are among its
// indicators, in tie-break order; a key that names none is left out (the
// configuration refuses one).
func tieBreakIndices(p *config.Programme) []int {
	var out []int
	for _, key := range p.TieBreak {
		if i := slices.IndexFunc(p.Indicators, func(ind config.Indicator) bool { return ind.Key == key }); i >= 0 {
			out = append(out, i)
		}
	}
	return out
}
