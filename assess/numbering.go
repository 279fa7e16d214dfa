package assess

import "strings"

// numbering numbers texts in the order first seen, "" as 0: each text is
// kept once and a small number stands for it. A store numbers its
// outcomes' texts, a register its codes, the ranking keys their sub-types.
type numbering[N ~uint16 | ~uint32] struct {
	names []string
	index map[string]N
}

// number returns the number of s, numbering a copy of it if new (s may be
// a view of an input column).
func (t *numbering[N]) number(s string) N {
	if t.index == nil {
		t.names, t.index = []string{""}, map[string]N{"": 0}
	}
	if n, ok := t.index[s]; ok {
		return n
	}
	n := N(len(t.names))
	kept := strings.Clone(s)
	t.names = append(t.names, kept)
	t.index[kept] = n
	return n
}

// numberWithin returns the number of s as number does, unless s is new and
// limit texts are numbered already: then ok is false and s is not kept.
func (t *numbering[N]) numberWithin(s string, limit int) (n N, ok bool) {
	if n, ok := t.index[s]; ok {
		return n, true
	}
	if len(t.names) >= limit {
		return 0, false
	}
	return t.number(s), true
}

// name returns the text numbered n, "" for a number never given.
func (t *numbering[N]) name(n N) string {
	if int(n) >= len(t.names) {
		return ""
	}
	return t.names[n]
}
