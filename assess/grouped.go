package assess

// grouped indexes items by key: get gives a key's items in the order they
// were added, keys the keys in the order first seen. The items of every key
// share one slice, laid out by key when the index is built, rather than a
// slice of their own each: an index of a million platforms is a few
// allocations, not a million.
type grouped[T any] struct {
	group map[string]int32 // a key's group: its place in keys
	keys  []string
	// Before build: every item added and its group, in the order added.
	added   []T
	groupOf []int32
	// After build: group g's items are items[start[g]:start[g+1]].
	items []T
	start []int32
}

// newGrouped makes an empty index with room for n items of about keys
// keys: n for a register, fewer for expert scores (a panel's to a
// platform), whose map would otherwise be sized for one key an item.
func newGrouped[T any](n, keys int) *grouped[T] {
	return &grouped[T]{group: make(map[string]int32, keys), added: make([]T, 0, n), groupOf: make([]int32, 0, n)}
}

// add adds v under key. It may not be called once the index is built.
func (g *grouped[T]) add(key string, v T) {
	k, ok := g.group[key]
	if !ok {
		k = int32(len(g.keys))
		g.group[key] = k
		g.keys = append(g.keys, key)
	}
	g.added = append(g.added, v)
	g.groupOf = append(g.groupOf, k)
}

// build lays the items out by key, keeping their order within each key.
// When no key came twice (a register, a year's reports) they are in that
// order already, and stay where they are.
func (g *grouped[T]) build() {
	g.start = make([]int32, len(g.keys)+1)
	if len(g.keys) == len(g.added) {
		for k := range g.start {
			g.start[k] = int32(k)
		}
		g.items, g.added, g.groupOf = g.added, nil, nil
		return
	}
	for _, k := range g.groupOf {
		g.start[k+1]++
	}
	for k := range g.keys {
		g.start[k+1] += g.start[k]
	}
	next := make([]int32, len(g.keys))
	copy(next, g.start)
	g.items = make([]T, len(g.added))
	for i, k := range g.groupOf {
		g.items[next[k]] = g.added[i]
		next[k]++
	}
	g.added, g.groupOf = nil, nil
}

// get returns key's items, nil for a key never added. Its result is not to
// be appended to.
func (g *grouped[T]) get(key string) []T {
	k, ok := g.group[key]
	if !ok {
		return nil
	}
	return g.items[g.start[k]:g.start[k+1]:g.start[k+1]]
}
