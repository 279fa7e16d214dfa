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

// styles holds the style ids of a result workbook.
type styles struct {
	header, text, wrap     int
	integer, tiedRank      int // whole numbers; a rank shared with others reads "2（并列）"
	score, number, percent int
	money                  int            // yuan with thousands separators
	grade                  map[string]int // gradeKey → fill style
	severity               map[dataset.Severity]int
}

func newStyles(f *excelize.File, cfg *config.Config) (*styles, error) {
	st := &styles{grade: map[string]int{}, severity: map[dataset.Severity]int{}}
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	base := func(s *excelize.Style) *excelize.Style {
		if s.Font == nil {
			s.Font = &excelize.Font{Family: font, Size: 10.5}
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
		*dst, err = f.NewStyle(base(s))
	}
	add(&st.header, &excelize.Style{
		Font:      &excelize.Font{Family: font, Size: 10.5, Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
	add(&st.text, &excelize.Style{})
	add(&st.wrap, &excelize.Style{Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	add(&st.integer, &excelize.Style{NumFmt: 1})
	add(&st.tiedRank, &excelize.Style{CustomNumFmt: ptr(`0"（并列）"`)})
	add(&st.score, &excelize.Style{NumFmt: 2})
	add(&st.number, &excelize.Style{NumFmt: 4}) // #,##0.00
	add(&st.percent, &excelize.Style{CustomNumFmt: ptr("0.0%")})
	add(&st.money, &excelize.Style{CustomNumFmt: ptr("#,##0.##")})
	for _, key := range cfg.ProgrammeKeys() {
		p := cfg.Programmes[key]
		for _, a := range p.AssessmentList() {
			for _, g := range a.Grades {
				var id int
				add(&id, &excelize.Style{
					Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{g.Colour}},
					Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
				})
				st.grade[gradeKey(p, a, g.Code)] = id
			}
		}
	}
	// Styles are created in a fixed order: their ids end up in the file.
	for _, sev := range []struct {
		severity dataset.Severity
		colour   string
	}{{dataset.Error, "FFC7CE"}, {dataset.Warning, "FFEB9C"}, {dataset.Info, "F2F2F2"}} {
		var id int
		add(&id, &excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{sev.colour}}})
		st.severity[sev.severity] = id
	}
	if err != nil {
		return nil, fmt.Errorf("styles: %w", err)
	}
	return st, nil
}

func ptr[T any](v T) *T { return &v }
