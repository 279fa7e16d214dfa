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
// allocations each — take about twice the memory of what they say, and
// even encoded they were the most of a run's heap.
//
// An outcome is kept as a record of bytes in a temporary file (spill),
// with its indicator values and gate checks; only its id and where its
// record starts stay in memory. A text that repeats (statuses, grades,
// codes, most reasons and their clauses, variable names) is kept once in
// texts, which records name by number, up to maxStoreTexts of them; the
// rest (names, cell texts, reasons that quote a platform's figures) are
// written out in the record. Its transition stays in the worker's
// changes. Its ranks are not in the record: they are set after every
// outcome is stepped (ranks).
type outcomeStore struct {
	p     *config.Programme
	funds map[*config.Fund]uint64 // the programme's funds by place, from 1

	spill *spill
	at    []int64  // by outcome: where its record starts
	ids   []string // by outcome

	texts     numbering[uint32]
	textLimit int       // how many texts it numbers (maxStoreTexts)
	gateSlots []int     // the programme's gate columns' slots (gateColumns)
	changes   []*Change // the worker's, which transitions index
}

// maxStoreTexts is the most texts a store numbers; a text first seen
// after them is written out wherever it occurs. Texts that repeat are seen
// early, and a store's memory stays small however many platforms it
// keeps.
const maxStoreTexts = 1 << 16

// newOutcomeStore makes an empty store for programme p's outcomes as a
// worker steps them, with room for n, its records in a temporary file in
// dir ("" for the system's temporary folder).
func newOutcomeStore(p *config.Programme, n int, dir string) (*outcomeStore, error) {
	sp, err := newSpill(dir)
	if err != nil {
		return nil, err
	}
	s := &outcomeStore{p: p, funds: map[*config.Fund]uint64{}, spill: sp, at: make([]int64, 0, n), ids: make([]string, 0, n),
		textLimit: maxStoreTexts, gateSlots: newGateColumns(p, 0).slots}
	for i, f := range p.Funds {
		s.funds[f] = uint64(i) + 1
	}
	return s, nil
}

// len returns the number of outcomes kept.
func (s *outcomeStore) len() int { return len(s.at) }

// close closes the store's file.
func (s *outcomeStore) close() error { return s.spill.close() }

// appendText encodes a text: its number from 1, or 0 and the text itself.
func (s *outcomeStore) appendText(b []byte, t string) []byte {
	if n, ok := s.texts.numberWithin(t, s.textLimit); ok {
		return binary.AppendUvarint(b, uint64(n)+1)
	}
	return appendString(binary.AppendUvarint(b, 0), t)
}

// appendString encodes a text as its length and bytes.
func appendString(b []byte, t string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(t))), t...)
}

// add encodes o, one of the worker's outcomes, and writes it at the end:
// its transition, if any, is the worker's change number transition. The
// record leaves out the ranks. buf is memory to encode in, which add
// returns to be passed again.
func (s *outcomeStore) add(o *Outcome, transition int, buf []byte) ([]byte, error) {
	b := appendString(buf[:0], o.Name)
	b = appendString(b, o.LeadUnit)
	b = s.appendText(b, o.Subtype)
	b = s.appendText(b, o.League)
	if o.Approved.IsZero() {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = binary.AppendVarint(b, o.Approved.Unix())
		b = binary.AppendUvarint(b, uint64(o.Approved.Nanosecond()))
	}
	b = s.appendText(b, string(o.Status))
	b = s.appendText(b, string(o.Before))
	b = s.appendText(b, string(o.After))
	b = binary.AppendUvarint(b, uint64(transition+1))
	b = binary.AppendVarint(b, int64(o.NextDue))
	for _, ar := range o.Assessments {
		b = append(b, flagByte(ar.Due, ar.Review, ar.Graded, ar.Scored, ar.Expert != nil))
		b = appendFloat(b, ar.Score)
		b = appendFloat(b, ar.Quantitative)
		b = s.appendText(b, ar.Grade)
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
		b = s.appendText(b, g.Reason)
	}
	b = appendCount(b, o.Reasons == nil, len(o.Reasons))
	for _, r := range o.Reasons {
		b = s.appendText(b, r.Text)
		b = s.appendText(b, r.Clause)
	}
	b = binary.AppendVarint(b, int64(o.Report.Source))
	b = binary.AppendVarint(b, int64(o.Report.Row))
	b = append(b, flagByte(o.indicators != nil, o.gates != nil, o.statePart != nil))
	if c := o.indicators; c != nil {
		b = c.appendRow(b, o.indicatorRow)
	}
	if c := o.gates; c != nil {
		b = c.appendRow(b, o.gateRow)
	}
	if c := o.statePart; c != nil {
		b = binary.AppendVarint(b, int64(c.since))
		b = binary.AppendVarint(b, int64(c.review))
		b = binary.AppendVarint(b, int64(c.failStreak))
		b = appendCount(b, c.grants == nil, len(c.grants))
		for _, e := range c.grants {
			b = s.appendText(b, e.Key)
			b = binary.AppendVarint(b, int64(e.Value))
		}
	}
	s.at = append(s.at, s.spill.size())
	s.ids = append(s.ids, o.ID)
	return b, s.spill.add(b)
}

// finish writes what the store has gathered: every record is then read
// from its file.
func (s *outcomeStore) finish() error { return s.spill.finish() }

// load reads the store's records back into memory (spill.load), in blocks
// of whole records about storeBlock long.
func (s *outcomeStore) load() error {
	var starts []int64
	for i, at := range s.at {
		if i == 0 || at-starts[len(starts)-1] >= storeBlock {
			starts = append(starts, at)
		}
	}
	if starts == nil {
		starts = []int64{0}
	}
	return s.spill.load(starts)
}

// storeBlock is about how long a loaded store's blocks are.
const storeBlock = 1 << 20

// appendValues encodes rule variables: names as texts, values as floats.
func (s *outcomeStore) appendValues(b []byte, vs Values) []byte {
	b = appendCount(b, vs == nil, len(vs))
	for _, v := range vs {
		b = s.appendText(b, v.Name)
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
	// indicators and gates hold the outcome's row of each.
	indicators indicatorColumns
	gates      gateColumns
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
	o := sc.reset(s.p.AssessmentList())
	o.ID, o.scratch = s.ids[i], sc
	end := s.spill.size()
	if i+1 < len(s.at) {
		end = s.at[i+1]
	}
	rec, err := s.spill.read(s.at[i], int(end-s.at[i]))
	if err != nil {
		return o, fmt.Errorf("outcome %d of the store: %w", i, err)
	}
	d := decoder{b: rec, texts: s.texts.names}
	o.Name, o.LeadUnit = d.string(), d.string()
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
		sc.indicators.p = s.p
		sc.indicators.readRow(&d)
		o.indicators = &sc.indicators
	}
	if hasGates {
		sc.gates.p, sc.gates.slots = s.p, s.gateSlots
		sc.gates.readRow(&d)
		o.gates = &sc.gates
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

// appendFloat encodes a float64. A whole number or a whole number of
// hundredths — most of an assessment's figures: counts, amounts in 万元,
// scores — is a varint of that number with the kind in its two low bits,
// one to three bytes where the float's bits take eight; any other float is
// the kind and its bits. Each decodes to the same float64, bit for bit.
func appendFloat(b []byte, v float64) []byte {
	for kind, scale := range floatScales {
		if n, ok := scaled(v, scale); ok {
			return binary.AppendUvarint(b, zigzag(n)<<2|uint64(kind))
		}
	}
	b = append(b, floatBits)
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
}

// The kinds of an encoded float: floatScales[kind] for the scaled ones.
const (
	floatWhole = iota
	floatHundredths
	floatBits
)

// floatScales are what a float is scaled by, by kind.
var floatScales = [...]float64{floatWhole: 1, floatHundredths: 100}

// scaled returns v times scale as an integer, if it is one that gives back
// v exactly, bits and all (not -0), on division by scale.
func scaled(v, scale float64) (int64, bool) {
	x := math.Round(v * scale)
	if !(math.Abs(x) < 1<<52) {
		return 0, false // too large, or not a number
	}
	n := int64(x)
	return n, math.Float64bits(float64(n)/scale) == math.Float64bits(v)
}

// zigzag maps a signed number to an unsigned one, small for small either way.
func zigzag(n int64) uint64 { return uint64(n<<1) ^ uint64(n>>63) }

// unzigzag undoes zigzag.
func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

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
// reads zeros from there on. The texts it reads are parts of the record.
type decoder struct {
	b     string
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

// uvarint reads an unsigned varint (binary.AppendUvarint).
func (d *decoder) uvarint() uint64 {
	var x uint64
	for i := 0; i < len(d.b) && i < binary.MaxVarintLen64; i++ {
		c := d.b[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				break // past 64 bits
			}
			d.b = d.b[i+1:]
			return x | uint64(c)<<(7*i)
		}
		x |= uint64(c&0x7f) << (7 * i)
	}
	d.err, d.b = true, ""
	return 0
}

// varint reads a signed varint (binary.AppendVarint).
func (d *decoder) varint() int64 { return unzigzag(d.uvarint()) }

// float reads a float64 (appendFloat).
func (d *decoder) float() float64 {
	x := d.uvarint()
	if kind := x & 3; kind < floatBits {
		return float64(unzigzag(x>>2)) / floatScales[kind]
	}
	raw := d.bytes(8)
	if x != floatBits || len(raw) < 8 {
		d.err = true
		return 0
	}
	var bits uint64
	for i := range 8 {
		bits |= uint64(raw[i]) << (8 * i)
	}
	return math.Float64frombits(bits)
}

// text reads a text: its number from 1, or 0 and the text (appendText).
func (d *decoder) text() string {
	i := d.uvarint()
	switch {
	case i == 0:
		return d.string()
	case i > uint64(len(d.texts)):
		d.err = true
		return ""
	}
	return d.texts[i-1]
}

// string reads a text written out: its length and bytes.
func (d *decoder) string() string { return d.bytes(int(min(d.uvarint(), uint64(len(d.b)+1)))) }

// bytes reads n bytes.
func (d *decoder) bytes(n int) string {
	if n > len(d.b) {
		d.err, d.b = true, ""
		return ""
	}
	b := d.b[:n]
	d.b = d.b[n:]
	return b
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
