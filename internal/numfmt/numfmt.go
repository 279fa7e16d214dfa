// Package numfmt writes numbers the way the assessment's texts show them: at
// most two decimals without trailing zeros, and money with thousands
// separators.
package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// Round rounds half away from zero to the given number of decimals.
func Round(v float64, decimals int) float64 {
	pow := math.Pow(10, float64(decimals))
	return math.Round(v*pow) / pow
}

// Short writes a number with at most two decimals and no trailing zeros:
// 78.5, 85, 0.33.
func Short(v float64) string { return strconv.FormatFloat(Round(v, 2), 'f', -1, 64) }

// Grouped writes Short with thousands separators: 1,000,000 and 12,345.6.
func Grouped(v float64) string {
	s := Short(v)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(intPart[i])
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}
