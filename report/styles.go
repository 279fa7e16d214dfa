package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"assessor/config"
	"assessor/dataset"
)

// font is a font with Chinese glyphs that Office, WPS and LibreOffice all have
// or substitute well.
const font = "等线"

// fontSize is the size of the body text, in points; lineHeight is the height
// of one line of it in a row, and rowPadding the room above and below.
const (
	fontSize   = 10.5
	lineHeight = 15
	rowPadding = 4
)

// styles holds the style ids of a result workbook.
type styles struct {
	title, subtitle        int // the title of a sheet of several tables; a table's title
	header, text, wrap     int
	integer, tiedRank      int // whole numbers; a rank shared with others reads "2（并列）"
	score, number, percent int
	money                  int            // yuan with thousands separators and fen
	date                   int            // yyyy-mm-dd
	grade                  map[string]int // gradeKey → fill style
	severity               map[dataset.Severity]int
}

func newStyles(f *excelize.File, cfg *config.Config) (*styles, error) {
	st := &styles{grade: map[string]int{}, severity: map[dataset.Severity]int{}}
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	cell := func(s *excelize.Style) *excelize.Style {
		if s.Font == nil {
			s.Font = &excelize.Font{Family: font, Size: fontSize}
		}
		s.Border = border
		if s.Alignment == nil {
			s.Alignment = &excelize.Alignment{Vertical: "center"}
		}
		return s
	}
	var err error
	add := func(dst *int, s *excelize.Style) {
		if err != nil {
			return
		}
		*dst, err = f.NewStyle(s)
	}
	// Styles are created in a fixed order: their ids end up in the file.
	add(&st.title, &excelize.Style{Font: &excelize.Font{Family: font, Size: 14, Bold: true},
		Alignment: &excelize.Alignment{Vertical: "center"}})
	add(&st.subtitle, &excelize.Style{Font: &excelize.Font{Family: font, Size: 11, Bold: true},
		Alignment: &excelize.Alignment{Vertical: "bottom"}})
	add(&st.header, cell(&excelize.Style{
		Font:      &excelize.Font{Family: font, Size: fontSize, Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	}))
	add(&st.text, cell(&excelize.Style{}))
	add(&st.wrap, cell(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}))
	add(&st.integer, cell(&excelize.Style{NumFmt: 3})) // #,##0
	add(&st.tiedRank, cell(&excelize.Style{CustomNumFmt: ptr(`0"（并列）"`)}))
	add(&st.score, cell(&excelize.Style{NumFmt: 2}))
	add(&st.number, cell(&excelize.Style{NumFmt: 4})) // #,##0.00
	add(&st.percent, cell(&excelize.Style{CustomNumFmt: ptr("0.0%")}))
	add(&st.money, cell(&excelize.Style{NumFmt: 4}))
	add(&st.date, cell(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")}))
	for _, key := range cfg.ProgrammeKeys() {
		p := cfg.Programmes[key]
		for _, a := range p.AssessmentList() {
			for _, g := range a.Grades {
				var id int
				add(&id, cell(&excelize.Style{
					Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{g.Colour}},
					Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
				}))
				st.grade[gradeKey(p, a, g.Code)] = id
			}
		}
	}
	for _, sev := range []struct {
		severity dataset.Severity
		colour   string
	}{{dataset.Error, "FFC7CE"}, {dataset.Warning, "FFEB9C"}, {dataset.Info, "F2F2F2"}} {
		var id int
		add(&id, cell(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{sev.colour}}}))
		st.severity[sev.severity] = id
	}
	if err != nil {
		return nil, fmt.Errorf("styles: %w", err)
	}
	return st, nil
}

func ptr[T any](v T) *T { return &v }
