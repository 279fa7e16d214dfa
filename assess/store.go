package assess

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"

	"assessor/config"
	"assessor/dataset"
)

// outcomeStore keeps the outcomes one worker stepped, encoded, for a
// programme held compactly (RunOptions.Compact): a national roster's
// outcomes as structs — pointers, slice headers and padding, a few
// allocations each — take about twice the memory of what they say.
//
// An outcome is kept as a record of bytes, in chunks that never move; its
// id, name and lead unit in names, three to an outcome; every other text
// (statuses, grades, codes, reasons and their clauses, variable names) once
// in texts, which records name by number. Its indicator values and gate
// checks stay in the worker's columns, its transition in the worker's
// changes. Its ranks are not in the record: they are set after every
// outcome is stepped (ranks).
type outcomeStore struct {
	p     *config.Programme
	funds map[*config.Fund]uint64 // the programme's funds by place, from 1

	chunks [][]byte
	at     []storeRef // by outcome: where its record is
	names  []string   // by outcome: id, name, lead unit

	texts numbering[uint32]

	indicators *indicatorColumns
	gates      *gateColumns
	changes    []*Change // the worker's, which transitions index
}

// storeRef is where a record is: chunk and offset.
type storeRef struct{ chunk, off uint32 }

// storeChunk is the size of a store's chunks; a record longer than it gets
// a chunk of its own.
const storeChunk = 1 << 20

// newOutcomeStore makes an empty store for programme p's outcomes as a
// worker steps them, with room for n.
func newOutcomeStore(p *config.Programme, n int) *outcomeStore {
	s := &outcomeStore{p: p, funds: map[*config.Fund]uint64{}, at: make([]storeRef, 0, n), names: make([]string, 0, 3*n)}
	for i, f := range p.Funds {
		s.funds[f] = uint64(i) + 1
	}
	return s
}

// len returns the number of outcomes kept.
func (s *outcomeStore) len() int { return len(s.at) }

// text returns the number of a text, numbering it if new.
func (s *outcomeStore) text(t string) uint64 { return uint64(s.texts.number(t)) }

// add encodes o, one of the worker's outcomes: its transition, if any, is
// the worker's change number transition. The record leaves out the ranks.
func (s *outcomeStore) add(o *Outcome, transition int, buf []byte) []byte {
	b := buf[:0]
	b = binary.AppendUvarint(b, s.text(o.Subtype))
	b = binary.AppendUvarint(b, s.text(o.League))
	if o.Approved.IsZero() {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = binary.AppendVarint(b, o.Approved.Unix())
		b = binary.AppendUvarint(b, uint64(o.Approved.Nanosecond()))
	}
	b = binary.AppendUvarint(b, s.text(string(o.Status)))
	b = binary.AppendUvarint(b, s.text(string(o.Before)))
	b = binary.AppendUvarint(b, s.text(string(o.After)))
	b = binary.AppendUvarint(b, uint64(transition+1))
	b = binary.AppendVarint(b, int64(o.NextDue))
	for _, ar := range o.Assessments {
		b = append(b, flagByte(ar.Due, ar.Review, ar.Graded, ar.Scored, ar.Expert != nil))
		b = appendFloat(b, ar.Score)
		b = appendFloat(b, ar.Quantitative)
		b = binary.AppendUvarint(b, s.text(ar.Grade))
		if e := ar.Expert; e != nil {
			b = appendFloats(b, e.Scores)
			b = appendFloats(b, e.Kept)
			b = appendFloat(b, e.Mean)
			b = append(b, flagByte(e.Applied))
		}
	}
	b = appendCount(b, o.Grants == nil, len(o.Grants))
	for i := range o.Grants {
		g := &o.Grants[i]
		b = binary.AppendUvarint(b, s.funds[g.Fund]) // 0 for none of the programme's
		b = s.appendValues(b, g.Inputs)
		b = appendFloat(b, g.Computed)
		b = appendFloat(b, g.Amount)
		b = append(b, flagByte(g.Capped, g.Open, g.Refused))
		b = binary.AppendVarint(b, int64(g.Times))
		b = binary.AppendUvarint(b, s.text(g.Reason))
	}
	b = appendCount(b, o.Reasons == nil, len(o.Reasons))
	for _, r := range o.Reasons {
		b = binary.AppendUvarint(b, s.text(r.Text))
		b = binary.AppendUvarint(b, s.text(r.Clause))
	}
	b = binary.AppendVarint(b, int64(o.Report.Source))
	b = binary.AppendVarint(b, int64(o.Report.Row))
	b = append(b, flagByte(o.indicators != nil, o.gates != nil, o.statePart != nil))
	if o.indicators != nil {
		s.indicators = o.indicators
		b = binary.AppendUvarint(b, uint64(o.indicatorRow))
	}
	if o.gates != nil {
		s.gates = o.gates
		b = binary.AppendUvarint(b, uint64(o.gateRow))
	}
	if c := o.statePart; c != nil {
		b = binary.AppendVarint(b, int64(c.since))
		b = binary.AppendVarint(b, int64(c.review))
		b = binary.AppendVarint(b, int64(c.failStreak))
		b = appendCount(b, c.grants == nil, len(c.grants))
		for _, e := range c.grants {
			b = binary.AppendUvarint(b, s.text(e.Key))
			b = binary.AppendVarint(b, int64(e.Value))
		}
	}
	s.put(b)
	s.names = append(s.names, o.ID, o.Name, o.LeadUnit)
	return b
}

// put stores a record.
func (s *outcomeStore) put(rec []byte) {
	last := len(s.chunks) - 1
	if last < 0 || len(s.chunks[last])+len(rec) > cap(s.chunks[last]) {
		s.chunks = append(s.chunks, make([]byte, 0, max(storeChunk, len(rec))))
		last++
	}
	s.at = append(s.at, storeRef{uint32(last), uint32(len(s.chunks[last]))})
	s.chunks[last] = append(s.chunks[last], rec...)
}

// appendValues encodes rule variables: names as texts, values as floats.
func (s *outcomeStore) appendValues(b []byte, vs Values) []byte {
	b = appendCount(b, vs == nil, len(vs))
	for _, v := range vs {
		b = binary.AppendUvarint(b, s.text(v.Name))
		b = appendFloat(b, v.Value)
	}
	return b
}

// scratch is the memory an outcome is decoded into, reused from one
// outcome to the next (Programme.Done): its slices keep their room.
type scratch struct {
	o       Outcome
	results []AssessmentResult
	ptrs    []*AssessmentResult
	experts []ExpertPanel
	floats  []float64 // every panel's scores and kept scores, end to end
	grants  []Grant
	inputs  Values // every grant's inputs, end to end
	reasons []Reason
	state   statePart
	entries dataset.Entries[int]
}

// reset empties sc for an outcome with a result per assessment, its
// memory reused, and returns the outcome.
func (sc *scratch) reset(assessments []*config.Assessment) *Outcome {
	sc.o = Outcome{}
	sc.results, sc.ptrs = resized(sc.results, len(assessments)), resized(sc.ptrs, len(assessments))
	for k, a := range assessments {
		sc.results[k] = AssessmentResult{Config: a}
		sc.ptrs[k] = &sc.results[k]
	}
	sc.o.Assessments = sc.ptrs
	return &sc.o
}

// outcome decodes outcome i into sc (a new one when nil), which it returns
// the outcome of; its ranks are left for the caller to set. On an error (a
// record the store did not write) the outcome is what could be read.
func (s *outcomeStore) outcome(i int, sc *scratch) (*Outcome, error) {
	if sc == nil {
		sc = &scratch{}
	}
	ref := s.at[i]
	d := decoder{b: s.chunks[ref.chunk][ref.off:], texts: s.texts.names}
	o := sc.reset(s.p.AssessmentList())
	o.ID, o.Name, o.LeadUnit, o.scratch = s.names[3*i], s.names[3*i+1], s.names[3*i+2], sc
	o.Subtype, o.League = d.text(), d.text()
	if d.byte() == 1 {
		sec := d.varint()
		o.Approved = time.Unix(sec, int64(d.uvarint())).UTC()
	}
	o.Status, o.Before, o.After = Status(d.text()), dataset.PlatformStatus(d.text()), dataset.PlatformStatus(d.text())
	if t := d.uvarint(); t > 0 {
		if t > uint64(len(s.changes)) {
			return o, fmt.Errorf("outcome %d of the store: change %d of %d", i, t-1, len(s.changes))
		}
		o.Transition = s.changes[t-1]
	}
	o.NextDue = int(d.varint())
	sc.experts, sc.floats = sc.experts[:0], sc.floats[:0]
	for _, ar := range o.Assessments {
		var expert bool
		ar.Due, ar.Review, ar.Graded, ar.Scored, expert = d.flags5()
		ar.Score, ar.Quantitative, ar.Grade = d.float(), d.float(), d.text()
		if expert {
			e := ExpertPanel{Scores: readSlice(&d, &sc.floats, d.float), Kept: readSlice(&d, &sc.floats, d.float), Mean: d.float()}
			e.Applied = d.byte()&1 != 0
			sc.experts = append(sc.experts, e)
			ar.Expert = &expertMark // the panel's place, until all are in
		}
	}
	e := 0 // the panels are pointed to once all are in: appending may move them
	for k := range sc.results {
		if sc.results[k].Expert != nil {
			sc.results[k].Expert = &sc.experts[e]
			e++
		}
	}
	if n, ok := d.count(); ok {
		sc.grants, sc.inputs = resized(sc.grants, n), sc.inputs[:0]
		for j := range sc.grants {
			g := &sc.grants[j]
			*g = Grant{}
			if f := d.uvarint(); f > 0 && f <= uint64(len(s.p.Funds)) {
				g.Fund = s.p.Funds[f-1]
			}
			g.Inputs = readSlice(&d, &sc.inputs, d.value)
			g.Computed, g.Amount = d.float(), d.float()
			g.Capped, g.Open, g.Refused, _, _ = d.flags5()
			g.Times = int(d.varint())
			g.Reason = d.text()
		}
		o.Grants = sc.grants
	}
	if n, ok := d.count(); ok {
		sc.reasons = resized(sc.reasons, n)
		for j := range sc.reasons {
			sc.reasons[j] = Reason{Text: d.text(), Clause: d.text()}
		}
		o.Reasons = sc.reasons
	}
	o.Report.Source, o.Report.Row = int32(d.varint()), int32(d.varint())
	hasIndicators, hasGates, hasState, _, _ := d.flags5()
	if hasIndicators {
		o.indicators, o.indicatorRow = s.indicators, int32(d.uvarint())
	}
	if hasGates {
		o.gates, o.gateRow = s.gates, int32(d.uvarint())
	}
	if hasState {
		c := &sc.state
		*c = statePart{since: int(d.varint()), review: int(d.varint()), failStreak: int(d.varint())}
		if n, ok := d.count(); ok {
			sc.entries = resized(sc.entries, n)
			for j := range sc.entries {
				sc.entries[j] = dataset.Entry[int]{Key: d.text(), Value: int(d.varint())}
			}
			c.grants = sc.entries
		}
		o.statePart = c
	}
	if d.err {
		return o, fmt.Errorf("outcome %d of the store: record cut short or damaged", i)
	}
	return o, nil
}

// expertMark marks a result with a panel while its scratch's are decoded.
var expertMark ExpertPanel

// resized returns s with length n, its room reused; never nil, as a record's
// empty slice is not.
func resized[S ~[]E, E any](s S, n int) S {
	if s == nil {
		s = S{}
	}
	return slices.Grow(s[:0], n)[:n]
}

// flagByte packs up to eight flags, the first in the lowest bit.
func flagByte(flags ...bool) byte {
	var b byte
	for i, f := range flags {
		if f {
			b |= 1 << i
		}
	}
	return b
}

// appendFloat encodes a float64, little-endian.
func appendFloat(b []byte, v float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
}

// appendFloats encodes a slice of floats.
func appendFloats(b []byte, vs []float64) []byte {
	b = appendCount(b, vs == nil, len(vs))
	for _, v := range vs {
		b = appendFloat(b, v)
	}
	return b
}

// appendCount encodes a slice's length, 0 for a nil slice (which an empty
// one is not: the record gives back what it was given).
func appendCount(b []byte, isNil bool, n int) []byte {
	if isNil {
		return append(b, 0)
	}
	return binary.AppendUvarint(b, uint64(n)+1)
}

// decoder reads a record; a record shorter than its fields sets err and
// reads zeros from there on.
type decoder struct {
	b     []byte
	texts []string
	err   bool
}

// byte reads a byte.
func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.err = true
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

// flags5 reads a byte of flags (flagByte), the first five.
func (d *decoder) flags5() (a, b, c, e, f bool) {
	x := d.byte()
	return x&1 != 0, x&2 != 0, x&4 != 0, x&8 != 0, x&16 != 0
}

// uvarint reads an unsigned varint.
func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

// varint reads a signed varint.
func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

// float reads a float64, little-endian.
func (d *decoder) float() float64 {
	if len(d.b) < 8 {
		d.err = true
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return v
}

// text reads a text's number and returns the text.
func (d *decoder) text() string {
	i := d.uvarint()
	if i >= uint64(len(d.texts)) {
		d.err = true
		return ""
	}
	return d.texts[i]
}

// count reads a slice's length; ok is false for a nil slice.
func (d *decoder) count() (n int, ok bool) {
	c := d.uvarint()
	if c == 0 || c-1 > uint64(len(d.b)) { // every element takes a byte at least
		d.err = d.err || c > 0
		return 0, false
	}
	return int(c - 1), true
}

// readSlice reads a slice, each element with read, into the end of buf and
// returns it: nil for a nil slice, never nil for an empty one.
func readSlice[S ~[]E, E any](d *decoder, buf *S, read func() E) S {
	n, ok := d.count()
	if !ok {
		return nil
	}
	if *buf == nil {
		*buf = S{}
	}
	from := len(*buf)
	for range n {
		*buf = append(*buf, read())
	}
	return (*buf)[from:len(*buf):len(*buf)]
}

// value reads a rule variable.
func (d *decoder) value() Value { return Value{Name: d.text(), Value: d.float()} }
