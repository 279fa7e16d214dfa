package dataset

import (
	"strings"
	"testing"
)

func TestSortProblems(t *testing.T) {
	ps := []Problem{
		{Location: Location{File: "b.xlsx", Sheet: "s", Cell: "B2"}, Code: "x"},
		{Location: Location{File: "a.xlsx", Sheet: "s", Cell: "AA10"}, Code: "x"},
		{Location: Location{File: "a.xlsx", Sheet: "s", Cell: "C9"}, Code: "x"},
		{Location: Location{File: "a.xlsx", Sheet: "s", Cell: "10:10"}, Code: "note_row"},
		{Location: Location{File: "a.xlsx", Sheet: "s", Cell: "B10"}, Code: "x"},
		{Location: Location{File: "a.xlsx"}, Code: "file"},
		{Location: Location{File: "a.xlsx", Sheet: "s", Cell: "B10"}, Code: "a"},
	}
	SortProblems(ps)
	var got []string
	for _, p := range ps {
		got = append(got, p.Location.String()+" "+p.Code)
	}
	want := []string{
		"a.xlsx file",
		"a.xlsx [s] C9 x",           // row 9 before row 10
		"a.xlsx [s] 10:10 note_row", // a whole row before its cells
		"a.xlsx [s] B10 a",          // same cell: by code
		"a.xlsx [s] B10 x",
		"a.xlsx [s] AA10 x", // column B before AA
		"b.xlsx [s] B2 x",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("order:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCell(t *testing.T) {
	s := &Set{Sources: []Source{{File: "a.xlsx", Sheet: "表", Columns: map[string]int{"id": 1, "rd": 27}}}}
	tests := []struct {
		key, want string
	}{
		{"id", "a.xlsx [表] B17"},
		{"rd", "a.xlsx [表] AB17"},
		{"absent", "a.xlsx [表] 17:17"},
	}
	for _, tt := range tests {
		if got := s.Cell(0, 17, tt.key).String(); got != tt.want {
			t.Errorf("Cell(%s) = %s, want %s", tt.key, got, tt.want)
		}
	}
}

func TestProblemError(t *testing.T) {
	p := Problem{Location: Location{File: "a.xlsx", Sheet: "表", Cell: "C7"}, Code: "bad_number",
		Column: "研发经费投入（万元）", Raw: "1,2345", Reason: "不是有效的数字"}
	want := `a.xlsx [表] C7: bad_number in 研发经费投入（万元） "1,2345": 不是有效的数字`
	if got := p.Error(); got != want {
		t.Errorf("Error() = %s\nwant %s", got, want)
	}
}

func TestRowCount(t *testing.T) {
	var total RowCount
	total.Add(RowCount{Read: 5, Accepted: 3, Rejected: 1, Skipped: 1, Blank: 2})
	total.Add(RowCount{Read: 2, Accepted: 2})
	if total != (RowCount{Read: 7, Accepted: 5, Rejected: 1, Skipped: 1, Blank: 2}) || !total.Balanced() {
		t.Errorf("total = %+v", total)
	}
	if (RowCount{Read: 3, Accepted: 1}).Balanced() {
		t.Error("an unbalanced count reads as balanced")
	}
}
