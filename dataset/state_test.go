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
	if Entries[int](nil).Clone() != nil {
		t.Error("a nil clone is not nil")
	}
	if empty := (Entries[int]{}).Clone(); empty == nil || len(empty) != 0 {
		t.Error("an empty clone is not empty and non-nil")
	}
}
