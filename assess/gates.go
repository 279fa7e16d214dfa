package assess

import (
	"iter"

	"assessor/config"
)

// gateColumns holds the gate checks of platforms of one programme in
// columns, as indicatorColumns holds their values: for each platform with a
// report, a row with, for each gate, what the check found and each variable
// its condition and rule read. The checks are made again from it when read
// (Outcome.Gates): a struct per gate, with slices of the values read, took
// several times the room.
type gateColumns struct {
	p *config.Programme
	// slots are where each gate's variables start in a row: those of its
	// when condition, then those of its rule, in the order Names gives
	// them. slots[len(p.Gates)] is the row's width.
	slots []int
	found []uint8 // gate g of row r at r*len(p.Gates)+g: gateApplies, ...
	// vars and values hold, by row and slot, how each variable was found
	// and, for a number, its value.
	vars   []uint8
	values []float64
}

// What a gate's check found.
const (
	gateApplies uint8 = 1 << iota // its when condition held, or could not be decided
	gateChecked                   // every variable its rule reads was present
	gatePassed                    // its rule held
)

// How a variable was found.
const (
	varAbsent uint8 = iota
	varNumber
	varOther // present, not a number (the sub-type, a grade)
)

// newGateColumns makes columns for p with room for rows rows.
func newGateColumns(p *config.Programme, rows int) *gateColumns {
	c := &gateColumns{p: p, slots: make([]int, 0, len(p.Gates)+1)}
	width := 0
	for i := range p.Gates {
		c.slots = append(c.slots, width)
		width += len(gateNames(&p.Gates[i], false)) + len(gateNames(&p.Gates[i], true))
	}
	c.slots = append(c.slots, width)
	c.found = make([]uint8, 0, rows*len(p.Gates))
	c.vars = make([]uint8, 0, rows*width)
	c.values = make([]float64, 0, rows*width)
	return c
}

// gateNames are the variables a gate's rule reads, or its when condition's.
func gateNames(g *config.Gate, rule bool) []string {
	if rule {
		return g.RuleExpr().Names()
	}
	if w := g.WhenExpr(); w != nil {
		return w.Names()
	}
	return nil
}

// add appends a row from the checks of every gate, in the programme's order,
// and the environment they read; it returns the row's number.
func (c *gateColumns) add(checks []GateResult, env map[string]any) int32 {
	row := int32(len(c.found) / max(len(c.p.Gates), 1))
	for i := range c.p.Gates {
		g, gr := &c.p.Gates[i], &checks[i]
		var f uint8
		if gr.Applies {
			f |= gateApplies
		}
		if gr.Checked {
			f |= gateChecked
		}
		if gr.Passed {
			f |= gatePassed
		}
		c.found = append(c.found, f)
		for _, rule := range []bool{false, true} {
			for _, name := range gateNames(g, rule) {
				v, ok := env[name]
				x, number := v.(float64)
				switch {
				case !ok:
					c.vars = append(c.vars, varAbsent)
				case number:
					c.vars = append(c.vars, varNumber)
				default:
					c.vars = append(c.vars, varOther)
				}
				c.values = append(c.values, x)
			}
		}
	}
	return row
}

// clear empties the columns, their memory kept (indicatorColumns.clear).
func (c *gateColumns) clear() {
	c.found, c.vars, c.values = c.found[:0], c.vars[:0], c.values[:0]
}

// appendRow encodes a row for an outcome store: what each gate's check
// found, then by slot how its variable was found and a number's value.
func (c *gateColumns) appendRow(b []byte, row int32) []byte {
	n, width := len(c.p.Gates), c.slots[len(c.p.Gates)]
	b = append(b, c.found[int(row)*n:int(row+1)*n]...)
	for at := int(row) * width; at < int(row+1)*width; at++ {
		b = append(b, c.vars[at])
		if c.vars[at] == varNumber {
			b = appendFloat(b, c.values[at])
		}
	}
	return b
}

// readRow makes the columns the one row a record holds (appendRow).
func (c *gateColumns) readRow(d *decoder) {
	c.clear()
	c.found = append(c.found, d.bytes(len(c.p.Gates))...)
	for len(c.found) < len(c.p.Gates) { // the record cut short (d.err): no gate found anything
		c.found = append(c.found, 0)
	}
	for range c.slots[len(c.p.Gates)] {
		v, x := d.byte(), 0.0
		if v == varNumber {
			x = d.float()
		}
		c.vars, c.values = append(c.vars, v), append(c.values, x)
	}
}

// check makes the check of gate i of a row again, as checkGate made it.
func (c *gateColumns) check(row int32, i int) GateResult {
	g := &c.p.Gates[i]
	f := c.found[int(row)*len(c.p.Gates)+i]
	gr := GateResult{Key: g.Key, Applies: f&gateApplies != 0, Checked: f&gateChecked != 0, Passed: f&gatePassed != 0}
	at := int(row)*c.slots[len(c.p.Gates)] + c.slots[i]
	when, rule := gateNames(g, false), gateNames(g, true)
	// A when condition lacking a variable is where checkGate went no
	// further: the missing are its.
	for j, name := range when {
		if c.vars[at+j] == varAbsent {
			gr.Missing = append(gr.Missing, name)
		}
	}
	if gr.Missing == nil && gr.Applies {
		at += len(when)
		for j, name := range rule {
			switch c.vars[at+j] {
			case varNumber:
				if gr.Values == nil {
					gr.Values = make(Values, 0, len(rule))
				}
				gr.Values = append(gr.Values, Value{Name: name, Value: c.values[at+j]})
			case varAbsent:
				gr.Missing = append(gr.Missing, name)
			}
		}
	}
	return gr
}

// HasGates reports whether the outcome has gate checks: whether its report
// was read and its programme has gates.
func (o *Outcome) HasGates() bool { return o.gates != nil && len(o.gates.p.Gates) > 0 }

// Gates yields the checks of the programme's gates, in the programme's order
// (config.Programme's Gates): none when the outcome's report was not read.
func (o *Outcome) Gates() iter.Seq2[int, GateResult] {
	return func(yield func(int, GateResult) bool) {
		c := o.gates
		if c == nil {
			return
		}
		for i := range c.p.Gates {
			if !yield(i, c.check(o.gateRow, i)) {
				return
			}
		}
	}
}
