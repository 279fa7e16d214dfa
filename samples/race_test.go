//go:build race

package samples

// The race detector slows workbook writing several times over: the scale test
// makes a smaller set under it.
func init() { scalePlatforms = 2000 }
