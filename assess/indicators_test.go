package assess

import (
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
