package dataset

import (
	"reflect"
	"testing"
)

func TestEntries(t *testing.T) {
	var e Entries[int]
	if _, ok := e.Get("a"); ok || e != nil {
		t.Fatalf("a nil Entries has %v", e)
	}
	for _, kv := range []Entry[int]{{"c", 3}, {"a", 1}, {"b", 2}, {"a", 10}, {"", 0}} {
		e.Set(kv.Key, kv.Value)
	}
	want := Entries[int]{{"", 0}, {"a", 10}, {"b", 2}, {"c", 3}}
	if !reflect.DeepEqual(e, want) {
		t.Fatalf("after Set: %v, want %v", e, want)
	}
	for _, tt := range []struct {
		key  string
		v    int
		want bool
	}{{"a", 10, true}, {"c", 3, true}, {"", 0, true}, {"d", 0, false}, {"0", 0, false}} {
		if v, ok := e.Get(tt.key); v != tt.v || ok != tt.want {
			t.Errorf("Get(%q) = %d, %v; want %d, %v", tt.key, v, ok, tt.v, tt.want)
		}
	}
	c := e.Clone()
	c.Set("a", 99)
	if v, _ := e.Get("a"); v != 10 {
		t.Errorf("a clone's Set changed the original: a = %d", v)
	}
	m := map[string]int{"x": 1, "b": 2, "m": 3}
	if got := EntriesOf(m); !reflect.DeepEqual(got.Map(), m) || got[0].Key != "b" || got[2].Key != "x" {
		t.Errorf("EntriesOf(%v) = %v", m, got)
	}
	if EntriesOf[int](nil) != nil || Entries[int](nil).Map() != nil {
		t.Error("nil did not stay nil")
	}
	if empty := EntriesOf(map[string]int{}); empty == nil || len(empty) != 0 || empty.Map() == nil {
		t.Error("empty did not stay empty and non-nil")
	}
}
