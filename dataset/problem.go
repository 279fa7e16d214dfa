package dataset

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Severity ranks a problem.
type Severity int

// Severities, most serious first.
const (
	// Error: a value, row, sheet or file could not be accepted; what it held is
	// not assessed.
	Error Severity = iota
	// Warning: accepted, but somebody should look.
	Warning
	// Info: nothing wrong; recorded so that nothing is dropped without a trace
	// (a skipped note row, an unused column, an ignored file).
	Info
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "info"
	}
}

// Location is where a problem is: a file, a sheet in it and a cell or row in the
// sheet. Sheet and Cell are empty for problems of a whole file or sheet.
type Location struct {
	File  string
	Sheet string
	Cell  string // "C17", or "17:17" for a whole row
}

func (l Location) String() string {
	var b strings.Builder
	b.WriteString(l.File)
	if l.Sheet != "" {
		fmt.Fprintf(&b, " [%s]", l.Sheet)
	}
	if l.Cell != "" {
		b.WriteString(" ")
		b.WriteString(l.Cell)
	}
	return b.String()
}

// Problem is one thing found wrong, or worth recording, in the input. The texts
// are for the people who fix the workbook, so they are in Chinese; Code is a
// stable English identifier for programs and logs.
type Problem struct {
	Location
	Severity Severity
	Code     string // "bad_number", "missing_value", "duplicate_report" ...
	Column   string // the column's header text, when the problem is in a column
	Raw      string // the cell text as read
	Expected string // what the cell should hold
	Reason   string // what is wrong
}

func (p Problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", p.Location, p.Code)
	if p.Column != "" {
		fmt.Fprintf(&b, " in %s", p.Column)
	}
	if p.Raw != "" {
		fmt.Fprintf(&b, " %q", p.Raw)
	}
	if p.Reason != "" {
		fmt.Fprintf(&b, ": %s", p.Reason)
	}
	return b.String()
}

// SortProblems orders problems by file, sheet, row, column and code, so that
// reports list them the same way on every run.
func SortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if c := cmp.Compare(a.File, b.File); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Sheet, b.Sheet); c != 0 {
			return c
		}
		ac, ar := cellOrder(a.Cell)
		bc, br := cellOrder(b.Cell)
		if c := cmp.Compare(ar, br); c != 0 {
			return c
		}
		if c := cmp.Compare(ac, bc); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
}

// cellOrder returns a cell's column and row for sorting; a whole-row reference
// ("17:17") sorts before the row's cells, a missing cell before everything.
func cellOrder(cell string) (col, row int) {
	if cell == "" {
		return 0, 0
	}
	if r, _, ok := strings.Cut(cell, ":"); ok {
		n, _ := strconv.Atoi(r) // a malformed row sorts first
		return 0, n
	}
	c, r, err := excelize.CellNameToCoordinates(cell)
	if err != nil {
		return 0, 0
	}
	return c, r
}

// Count returns how many problems have the given severity.
func Count(ps []Problem, s Severity) int {
	n := 0
	for _, p := range ps {
		if p.Severity == s {
			n++
		}
	}
	return n
}
