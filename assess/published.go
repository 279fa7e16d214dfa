package assess

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"assessor/config"
	"assessor/dataset"
)

// publishedRow is one row of published results.
type publishedRow struct {
	id, programme, grade string
	status               dataset.PlatformStatus
	year                 int
	at                   dataset.Location
}

// Published turns past published results (the published_results table) into
// history states by year, so that the history can start in any year. A grade
// is the programme's status assessment grade. A platform published as 整改 is
// rectifying from the first year of its unbroken run of 整改 and re-graded when
// the programme's window ends; one published as 撤销 is revoked from the first
// year so published. Rows that cannot be used become problems. Imported states
// carry no indicator values and no fund grants: the published results have none.
func Published(cfg *config.Config, set *dataset.Set) (map[int][]dataset.State, []dataset.Problem, error) {
	rows, err := readPublished(set)
	if err != nil {
		return nil, nil, err
	}
	var problems []dataset.Problem
	byID := map[string][]publishedRow{}
	seen := map[string]dataset.Location{}
	for _, r := range rows {
		key := fmt.Sprintf("%s/%d", r.id, r.year)
		if first, dup := seen[key]; dup {
			problems = append(problems, dataset.Problem{Location: r.at, Severity: dataset.Error, Code: "duplicate_report", Raw: r.id,
				Reason: fmt.Sprintf("同一平台 %d 年有多条结果（另见 %s），均未采用", r.year, first)})
			byID[r.id] = slices.DeleteFunc(byID[r.id], func(o publishedRow) bool { return o.year == r.year })
			continue
		}
		seen[key] = r.at
		a := cfg.Programmes[r.programme].StatusAssessment()
		if _, ok := a.Grade(r.grade); r.grade != "" && !ok {
			problems = append(problems, dataset.Problem{Location: r.at, Severity: dataset.Error, Code: "grade_not_in_scale", Raw: r.grade,
				Reason: fmt.Sprintf("等次不在“%s%s”的等次中，该行未采用", cfg.Programmes[r.programme].Name, a.Name)})
			continue
		}
		byID[r.id] = append(byID[r.id], r)
	}

	out := map[int][]dataset.State{}
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		rs := byID[id]
		slices.SortFunc(rs, func(a, b publishedRow) int { return cmp.Compare(a.year, b.year) })
		var prev *dataset.State
		for _, r := range rs {
			p := cfg.Programmes[r.programme]
			a := p.StatusAssessment()
			s := dataset.State{ID: id, Programme: r.programme, Year: r.year, Status: r.status, Outcome: string(StatusAssessed), Source: dataset.SourceImport}
			if r.grade != "" {
				s.Grades = dataset.Entries[string]{{Key: a.Key, Value: r.grade}}
				if a.Failed(r.grade) {
					s.FailStreak = 1
					if prev != nil && prev.Year == r.year-1 {
						s.FailStreak = prev.FailStreak + 1
					}
				}
			} else {
				s.Outcome = string(StatusNotDue)
			}
			continuing := prev != nil && prev.Year == r.year-1 && prev.Status == r.status && prev.Programme == r.programme
			switch {
			case r.status == dataset.Active:
			case continuing:
				s.Since, s.Review = prev.Since, prev.Review
			case r.status == dataset.Rectifying:
				s.Since, s.Review = r.year, r.year+p.Status.RectificationYears
			default:
				s.Since = r.year
			}
			out[r.year] = append(out[r.year], s)
			prev = &s
		}
	}
	return out, problems, nil
}

// readPublished reads the published results table.
func readPublished(set *dataset.Set) ([]publishedRow, error) {
	tbl, ok := set.Tables[config.TablePublished]
	if !ok {
		return nil, nil
	}
	var rows []publishedRow
	err := eachRecord(tbl, func(rec arrow.Record) error {
		cols, err := columns(rec, dataset.FieldSource, dataset.FieldRow, "id", "programme", "year", "grade", "status")
		if err != nil {
			return fmt.Errorf("published results: %w", err)
		}
		src, row, years := cols[0].(*array.Int32), cols[1].(*array.Int32), cols[4].(*array.Int32)
		for i := 0; i < int(rec.NumRows()); i++ {
			rows = append(rows, publishedRow{id: str(cols[2], i), programme: str(cols[3], i), year: int(years.Value(i)),
				grade: str(cols[5], i), status: dataset.PlatformStatus(str(cols[6], i)),
				at: set.Cell(src.Value(i), row.Value(i), "id")})
		}
		return nil
	})
	return rows, err
}
