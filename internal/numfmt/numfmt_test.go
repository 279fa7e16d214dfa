package numfmt

import "testing"

func TestFormats(t *testing.T) {
	tests := []struct {
		v              float64
		short, grouped string
	}{
		{78.5, "78.5", "78.5"},
		{85, "85", "85"},
		{84.996, "85", "85"},
		{0.333333, "0.33", "0.33"},
		{1000000, "1000000", "1,000,000"},
		{12345.6, "12345.6", "12,345.6"},
		{-4020000, "-4020000", "-4,020,000"},
		{999, "999", "999"},
		{-0.005, "-0.01", "-0.01"},
	}
	for _, tt := range tests {
		if got := Short(tt.v); got != tt.short {
			t.Errorf("Short(%v) = %s, want %s", tt.v, got, tt.short)
		}
		if got := Grouped(tt.v); got != tt.grouped {
			t.Errorf("Grouped(%v) = %s, want %s", tt.v, got, tt.grouped)
		}
	}
}
