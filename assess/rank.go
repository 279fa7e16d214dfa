package assess

import (
	"cmp"
	"slices"
	"sync"

	"assessor/config"
)

// rankKeys are what ranking reads of a programme's outcomes, by the order
// they were stepped in: side by side in memory, rather than reached for in
// every outcome at every comparison (and an outcome held compactly is not
// at hand at all).
type rankKeys struct {
	ids []string
	// subtypes are by outcome its sub-type's number in subtypeCodes (a
	// programme has a few); statuses its status's place in the unranked
	// order (statusOrder).
	subtypes     []code
	subtypeCodes numbering[code]
	statuses     []uint8
	// scored and scores are by outcome and assessment: outcome g's result
	// on assessment k at g*assessments+k.
	scored []bool
	scores []float64
	// ties are by outcome the tie-break indicators' values, -1 for a
	// missing one (below any reported), len(tieBreak) to an outcome.
	ties []float64
}

// add appends outcome o's keys; tieBreak are the programme's tie-break
// indicators (tieBreakIndices).
func (k *rankKeys) add(o *Outcome, tieBreak []int) {
	k.ids, k.statuses = append(k.ids, o.ID), append(k.statuses, uint8(statusOrder[o.Status]))
	k.subtypes = append(k.subtypes, k.subtypeCodes.number(o.Subtype))
	for _, ar := range o.Assessments {
		k.scored, k.scores = append(k.scored, ar.Scored), append(k.scores, ar.Score)
	}
	for _, i := range tieBreak {
		t := -1.0
		if v, ok := o.Indicator(i); ok && v.Present {
			t = v.Value
		}
		k.ties = append(k.ties, t)
	}
}

// join appends more's keys.
func (k *rankKeys) join(more *rankKeys) {
	k.ids, k.statuses = append(k.ids, more.ids...), append(k.statuses, more.statuses...)
	for _, n := range more.subtypes {
		k.subtypes = append(k.subtypes, k.subtypeCodes.number(more.subtypeCodes.name(n)))
	}
	k.scored, k.scores, k.ties = append(k.scored, more.scored...), append(k.scores, more.scores...), append(k.ties, more.ties...)
}

// ranks are the ranks of a programme's outcomes, by the order stepped.
type ranks struct {
	assessments int
	rank        []int32 // outcome g's rank on assessment k at g*assessments+k; 0 unranked
	tied        []bool
	subtypeRank []int32 // on the status assessment, within the sub-type
	subtypeTied []bool
}

// set gives ar, outcome g's result on assessment k, its ranks.
func (r *ranks) set(ar *AssessmentResult, g, k int) {
	at := g*r.assessments + k
	ar.Rank, ar.Tied = int(r.rank[at]), r.tied[at]
	if k == 0 && r.subtypeRank != nil {
		ar.SubtypeRank, ar.SubtypeTied = int(r.subtypeRank[g]), r.subtypeTied[g]
	}
}

// rankAll ranks each assessment's scored platforms and orders the
// outcomes: ranked by the status assessment first, then the others by
// outcome and id. It returns the ranks and the list order (the order
// stepped of each place in the list).
func rankAll(p *config.Programme, keys *rankKeys) (*ranks, []int32) {
	assessments := p.AssessmentList()
	n, na := len(keys.ids), len(assessments)
	r := &ranks{assessments: na, rank: make([]int32, n*na), tied: make([]bool, n*na)}
	ties := len(tieBreakIndices(p))
	var wg sync.WaitGroup // each assessment's ranks at the same time: each writes its own places
	for k := range assessments {
		wg.Go(func() { rankOn(keys, r, k, ties) })
	}
	wg.Wait()
	type orderKey struct {
		rank   int32 // 0 when not ranked
		status int
		id     string
		g      int32
	}
	order := make([]orderKey, n)
	for g := range n {
		order[g] = orderKey{rank: r.rank[g*na], status: int(keys.statuses[g]), id: keys.ids[g], g: int32(g)}
	}
	slices.SortFunc(order, func(a, b orderKey) int { // a total order: ids are unique
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
	list := make([]int32, n)
	for i, key := range order {
		list[i] = key.g
	}
	if p.SubtypeRules() {
		rankSubtypes(keys, r, list)
	}
	return r, list
}

// rankOn ranks the outcomes scored on assessment k: by score (already
// rounded to the configured precision, so 84.996 and 85.004 tie at 85.00),
// then by the tie-break indicators, all descending. Outcomes equal on all
// of these share a rank (1, 2, 2, 4) and are listed by id.
func rankOn(keys *rankKeys, r *ranks, k, ties int) {
	na := r.assessments
	var scored []int32
	for g := range keys.ids {
		if keys.scored[g*na+k] {
			scored = append(scored, int32(g))
		}
	}
	compare := func(a, b int32) int {
		if c := cmp.Compare(keys.scores[int(b)*na+k], keys.scores[int(a)*na+k]); c != 0 {
			return c
		}
		return slices.CompareFunc(keys.ties[int(b)*ties:int(b+1)*ties], keys.ties[int(a)*ties:int(a+1)*ties], cmp.Compare[float64])
	}
	slices.SortFunc(scored, func(a, b int32) int { // a total order: ids are unique
		return cmp.Or(compare(a, b), cmp.Compare(keys.ids[a], keys.ids[b]))
	})
	for n, g := range scored {
		at := int(g)*na + k
		if n > 0 && compare(scored[n-1], g) == 0 {
			prev := int(scored[n-1])*na + k
			r.rank[at], r.tied[at], r.tied[prev] = r.rank[prev], true, true
		} else {
			r.rank[at] = int32(n + 1)
		}
	}
}

// rankSubtypes ranks the platforms ranked on the status assessment within
// their sub-type. The list is in rank order, the ranked first, so a
// platform's sub-type rank is 1 + the number of its sub-type's platforms
// seen before the first with its rank.
func rankSubtypes(keys *rankKeys, r *ranks, list []int32) {
	n, na := len(keys.ids), r.assessments
	r.subtypeRank, r.subtypeTied = make([]int32, n), make([]bool, n)
	type seen struct {
		n    int32 // the sub-type's ranked platforms so far
		last int32 // the last of them
	}
	bySubtype := map[code]*seen{}
	for _, g := range list {
		rank := r.rank[int(g)*na]
		if rank == 0 {
			break
		}
		s := bySubtype[keys.subtypes[g]]
		if s == nil {
			s = &seen{last: -1}
			bySubtype[keys.subtypes[g]] = s
		}
		if s.last >= 0 && r.rank[int(s.last)*na] == rank {
			r.subtypeRank[g], r.subtypeTied[g], r.subtypeTied[s.last] = r.subtypeRank[s.last], true, true
		} else {
			r.subtypeRank[g] = s.n + 1
		}
		s.n++
		s.last = g
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
