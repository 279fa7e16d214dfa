package assess

import (
	"cmp"
	"slices"
	"sync"

	"assessor/config"
)

// rankAll ranks each assessment's scored platforms and orders the programme's
// outcomes: ranked by the status assessment first, then the others by outcome
// and id. The sorts run on keys copied out of the outcomes, side by side in
// memory, rather than reaching into every outcome at every comparison.
func rankAll(prog *Programme) {
	ties := tieBreakIndices(prog.Config)
	var wg sync.WaitGroup // each assessment's ranks at the same time: each writes its own results
	for k, a := range prog.Config.AssessmentList() {
		wg.Go(func() {
			var scored []*Outcome
			for _, o := range prog.outcomes {
				if o.Assessments[k].Scored {
					scored = append(scored, o)
				}
			}
			rank(scored, k, a, ties)
		})
	}
	wg.Wait()
	type orderKey struct {
		rank   int // 0 when not ranked
		status int
		id     string
		o      *Outcome
	}
	keys := make([]orderKey, len(prog.outcomes))
	for i, o := range prog.outcomes {
		keys[i] = orderKey{rank: o.Main().Rank, status: statusOrder[o.Status], id: o.ID, o: o}
	}
	slices.SortFunc(keys, func(a, b orderKey) int { // a total order: ids are unique
		switch {
		case a.rank > 0 && b.rank > 0:
			if c := cmp.Compare(a.rank, b.rank); c != 0 {
				return c
			}
		case a.rank > 0:
			return -1
		case b.rank > 0:
			return 1
		default:
			if c := cmp.Compare(a.status, b.status); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.id, b.id)
	})
	for i, key := range keys {
		prog.outcomes[i] = key.o
	}
	if prog.Config.SubtypeRules() {
		rankSubtypes(prog)
	}
}

// rankSubtypes ranks the platforms ranked on the status assessment within
// their sub-type (SubtypeRank). The outcomes are in rank order, the ranked
// first, so a platform's sub-type rank is 1 + the number of its sub-type's
// platforms seen before the first with its rank.
func rankSubtypes(prog *Programme) {
	type seen struct {
		n    int               // the sub-type's ranked platforms so far
		last *AssessmentResult // the last of them
	}
	bySubtype := map[string]*seen{}
	for _, o := range prog.outcomes {
		ar := o.Main()
		if ar.Rank == 0 {
			break
		}
		s := bySubtype[o.Subtype]
		if s == nil {
			s = &seen{}
			bySubtype[o.Subtype] = s
		}
		if s.last != nil && s.last.Rank == ar.Rank {
			ar.SubtypeRank, ar.SubtypeTied, s.last.SubtypeTied = s.last.SubtypeRank, true, true
		} else {
			ar.SubtypeRank = s.n + 1
		}
		s.n++
		s.last = ar
	}
}

// rank ranks outcomes on assessment k: by score (already rounded to the
// configured precision, so 84.996 and 85.004 tie at 85.00), then by the
// programme's tie-break indicators (by index), all descending. Outcomes equal
// on all of these share a rank (1, 2, 2, 4) and are listed by id.
func rank(outs []*Outcome, k int, _ *config.Assessment, tieBreak []int) {
	type rankKey struct {
		score float64
		ties  []float64 // the tie-break values; a missing one is -1, below any reported
		id    string
		o     *Outcome
	}
	tieValues := make([]float64, len(outs)*len(tieBreak))
	keys := make([]rankKey, len(outs))
	for n, o := range outs {
		ties := tieValues[n*len(tieBreak) : (n+1)*len(tieBreak)]
		for j, i := range tieBreak {
			ties[j] = -1
			if v, ok := o.Indicator(i); ok && v.Present {
				ties[j] = v.Value
			}
		}
		keys[n] = rankKey{score: o.Assessments[k].Score, ties: ties, id: o.ID, o: o}
	}
	compare := func(a, b rankKey) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return slices.CompareFunc(b.ties, a.ties, cmp.Compare[float64])
	}
	slices.SortFunc(keys, func(a, b rankKey) int { // a total order: ids are unique
		return cmp.Or(compare(a, b), cmp.Compare(a.id, b.id))
	})
	for n, key := range keys {
		outs[n] = key.o
		ar := key.o.Assessments[k]
		if n > 0 && compare(keys[n-1], key) == 0 {
			prev := keys[n-1].o.Assessments[k]
			ar.Rank, ar.Tied, prev.Tied = prev.Rank, true, true
		} else {
			ar.Rank = n + 1
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
