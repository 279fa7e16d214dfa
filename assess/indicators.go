package assess

import (
	"cmp"
	"iter"
	"math"
	"slices"

	"assessor/config"
)

// indicatorColumns holds the indicator values of platforms of one programme
// in columns: for each platform with a report, a row of one value per
// indicator, in the programme's order. A run keeps an outcome per platform,
// and a struct per value took several times the room.
type indicatorColumns struct {
	p      *config.Programme
	values []float64 // row r's indicator i at r*len(p.Indicators)+i
	flags  []uint8   // at the same place: present, hasRaw
	// raws holds the cell texts that say more than the value, by place,
	// in the order added (so by place): most say nothing more, and a list
	// takes a third of a map's memory.
	raws []rawText
}

// rawText is a cell text kept beside an indicator value, at its place.
type rawText struct {
	at   int32
	text string
}

// raw returns the cell text kept at place at ("" for none).
func (c *indicatorColumns) raw(at int) string {
	k, found := slices.BinarySearchFunc(c.raws, at, func(r rawText, at int) int { return cmp.Compare(int(r.at), at) })
	if !found {
		return ""
	}
	return c.raws[k].text
}

// Flags of an indicator value.
const (
	present uint8 = 1 << iota // the value was reported or derived
	hasRaw                    // raws holds its cell text
)

// newIndicatorColumns makes columns for p with room for rows rows.
func newIndicatorColumns(p *config.Programme, rows int) *indicatorColumns {
	n := rows * len(p.Indicators)
	return &indicatorColumns{p: p, values: make([]float64, 0, n), flags: make([]uint8, 0, n)}
}

// add appends a row of values, one per indicator, and returns its number.
func (c *indicatorColumns) add(values []IndicatorValue) int32 {
	row := int32(len(c.values) / len(c.p.Indicators))
	for i, v := range values {
		var f uint8
		if v.Present {
			f |= present
		}
		if v.Raw != "" {
			c.raws = append(c.raws, rawText{at: int32(int(row)*len(c.p.Indicators) + i), text: v.Raw})
			f |= hasRaw
		}
		c.values = append(c.values, v.Value)
		c.flags = append(c.flags, f)
	}
	return row
}

// clear empties the columns, their memory kept: a worker whose outcomes
// are held compactly keeps one platform's row at a time.
func (c *indicatorColumns) clear() {
	c.values, c.flags, c.raws = c.values[:0], c.flags[:0], c.raws[:0]
}

// appendRow encodes a row for an outcome store: by indicator, its flags,
// its value and its cell text if kept.
func (c *indicatorColumns) appendRow(b []byte, row int32) []byte {
	n := len(c.p.Indicators)
	for at := int(row) * n; at < int(row+1)*n; at++ {
		b = append(b, c.flags[at])
		b = appendFloat(b, c.values[at])
		if c.flags[at]&hasRaw != 0 {
			b = appendString(b, c.raw(at))
		}
	}
	return b
}

// readRow makes the columns the one row a record holds (appendRow).
func (c *indicatorColumns) readRow(d *decoder) {
	c.clear()
	for i := range c.p.Indicators {
		f := d.byte()
		c.flags, c.values = append(c.flags, f), append(c.values, d.float())
		if f&hasRaw != 0 {
			c.raws = append(c.raws, rawText{at: int32(i), text: d.string()})
		}
	}
}

// IndicatorValue is one indicator's value as a report gave it, or as its
// formula derived it.
type IndicatorValue struct {
	Value   float64
	Present bool
	Raw     string // the cell text as filled in, where it says more than Value
}

// IndicatorScore is one indicator's value and the points it earned.
type IndicatorScore struct {
	IndicatorValue
	Attainment float64 // min(value / target, 1); meaningful when Present and weighted
	Points     float64
}

// HasIndicators reports whether the outcome has indicator values: whether its
// report was read.
func (o *Outcome) HasIndicators() bool { return o.indicators != nil }

// Indicator returns the value of the programme's indicator i; ok is false
// when the outcome has no indicator values.
func (o *Outcome) Indicator(i int) (v IndicatorValue, ok bool) {
	c := o.indicators
	if c == nil || i < 0 || i >= len(c.p.Indicators) {
		return IndicatorValue{}, false
	}
	at := int(o.indicatorRow)*len(c.p.Indicators) + i
	v = IndicatorValue{Value: c.values[at], Present: c.flags[at]&present != 0}
	if c.flags[at]&hasRaw != 0 {
		v.Raw = c.raw(at)
	}
	return v, true
}

// Indicators yields the outcome's indicator scores, by indicator, in the
// programme's order (config.Programme's Indicators): none when its report was
// not read. The points are the indicator's weight times its attainment of
// the target for the platform's sub-type.
func (o *Outcome) Indicators() iter.Seq2[int, IndicatorScore] {
	return func(yield func(int, IndicatorScore) bool) {
		c := o.indicators
		if c == nil {
			return
		}
		for i := range c.p.Indicators {
			v, _ := o.Indicator(i)
			s := IndicatorScore{IndicatorValue: v}
			if ind := &c.p.Indicators[i]; ind.Weight > 0 && v.Present {
				s.Attainment = math.Min(math.Max(v.Value/ind.TargetFor(o.Subtype), 0), 1)
				s.Points = ind.Weight * s.Attainment
			}
			if !yield(i, s) {
				return
			}
		}
	}
}

// SetIndicators gives the outcome the values of programme p's indicators,
// one per indicator in the programme's order, as the assessment would: for
// results made elsewhere than by Run, such as a report's tests. Values past
// the programme's indicators are left out; indicators without one are not
// present.
func (o *Outcome) SetIndicators(p *config.Programme, values []IndicatorValue) {
	row := make([]IndicatorValue, len(p.Indicators))
	copy(row, values)
	c := newIndicatorColumns(p, 1)
	o.indicators, o.indicatorRow = c, c.add(row)
}
