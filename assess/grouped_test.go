package assess

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestGrouped checks the index against a map of slices, on keys seen once,
// several times in a row and scattered, and on keys all distinct (which
// build leaves in place).
func TestGrouped(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 2, 10, 1000, -1000} {
		distinct := n < 0
		n = max(n, -n)
		want := map[string][]int{}
		var order []string
		g := newGrouped[int](n/2, n/4) // room for fewer than added: it grows
		for i := range n {
			key := fmt.Sprintf("k%d", rng.IntN(max(n/3, 1)))
			if distinct {
				key = fmt.Sprintf("u%d", n-i) // not in sorted order: the order added stands
			} else if i%7 == 0 && len(order) > 0 {
				key = order[len(order)-1] // the same key again, in a row
			}
			if _, seen := want[key]; !seen {
				order = append(order, key)
			}
			want[key] = append(want[key], i)
			g.add(key, i)
		}
		g.build()
		if !slices.Equal(g.keys, order) {
			t.Errorf("n=%d: keys %v, want %v", n, g.keys, order)
		}
		for key, items := range want {
			if got := g.get(key); !slices.Equal(got, items) {
				t.Errorf("n=%d: get(%s) = %v, want %v", n, key, got, items)
			}
		}
		if got := g.get("absent"); got != nil {
			t.Errorf("n=%d: get of an absent key = %v", n, got)
		}
	}
}
