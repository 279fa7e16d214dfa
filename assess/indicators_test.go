package assess

import (
	"fmt"
	"testing"

	"assessor/config"
)

// TestSetIndicators requires an outcome given too few or too many values to
// read back one per indicator of its programme, the missing ones not present.
func TestSetIndicators(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Programmes["tic"]
	for _, n := range []int{0, 1, len(p.Indicators), len(p.Indicators) + 2} {
		values := make([]IndicatorValue, n)
		for i := range values {
			values[i] = IndicatorValue{Value: float64(i + 1), Present: true}
		}
		o := &Outcome{}
		o.SetIndicators(p, values)
		got := 0
		for i, s := range o.Indicators() {
			got++
			if want := i < n; s.Present != want || want && s.Value != float64(i+1) {
				t.Errorf("%d values: indicator %d reads %+v", n, i, s.IndicatorValue)
			}
		}
		if got != len(p.Indicators) {
			t.Errorf("%d values: %d indicators read back, want %d", n, got, len(p.Indicators))
		}
	}
}

// TestIndicatorRawTexts requires each row's cell texts to read back at
// their own row and indicator, and no text where none was kept.
func TestIndicatorRawTexts(t *testing.T) {
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Programmes["tic"]
	n := len(p.Indicators)
	c := newIndicatorColumns(p, 4)
	raw := func(row, i int) string { // rows 1 and 3 keep texts, at some indicators
		if row%2 == 1 && i%3 != 1 {
			return fmt.Sprintf("%d,%03d", row, i)
		}
		return ""
	}
	var outcomes []*Outcome
	for row := range 4 {
		values := make([]IndicatorValue, n)
		for i := range values {
			values[i] = IndicatorValue{Value: float64(row*n + i), Present: true, Raw: raw(row, i)}
		}
		outcomes = append(outcomes, &Outcome{indicators: c, indicatorRow: c.add(values)})
	}
	for row, o := range outcomes {
		for i := range n {
			v, ok := o.Indicator(i)
			if !ok || v.Raw != raw(row, i) || v.Value != float64(row*n+i) {
				t.Errorf("row %d, indicator %d: %+v, want value %d, text %q", row, i, v, row*n+i, raw(row, i))
			}
		}
	}
}
