package ingest

import (
	"strings"
	"sync"

	"assessor/config"
	"assessor/internal/xlsxin"
)

// tableSpec is a configured table prepared for header matching.
type tableSpec struct {
	table  config.Table
	labels map[string]int // normalized header text (name or alias) → column index
}

func newTableSpec(t config.Table) *tableSpec {
	s := &tableSpec{table: t, labels: map[string]int{}}
	for i, col := range t.Columns {
		for _, h := range append([]string{col.Name}, col.Aliases...) {
			s.labels[config.NormalizeLabel(h)] = i
		}
	}
	return s
}

// headerColumn is where one configured column was found.
type headerColumn struct {
	index int    // 0-based sheet column of the values
	text  string // the header text as written
	cell  string // the header cell, such as "E4"
	unit  string // unit written in the header, normalized; "" if none
	// row is the 1-based row of the value cell in a form; 0 in a roster,
	// where the value is on each data row.
	row int
}

// headerMatch is a table's header found on a sheet.
type headerMatch struct {
	spec     *tableSpec
	row      int            // 0-based index of the header row in the scanned rows
	columns  []headerColumn // by the table's column index; index -1 when absent
	matched  int
	missing  []string // names of required columns not found
	unused   []headerColumn
	repeated []headerColumn // a second column matching an already found one
}

// complete reports whether every required column was found.
func (m *headerMatch) complete() bool { return len(m.missing) == 0 }

// maxLabelBytes bounds the cells considered as labels: no header text is this
// long, and a huge cell must not be normalized over and over.
const maxLabelBytes = 512

// label is a cell's text split for matching: the normalized label and unit.
type label struct{ text, unit string }

// grid splits every cell of the rows into its label and unit once.
func (lc *labelCache) grid(rows [][]string) [][]label {
	grid := make([][]label, len(rows))
	for r, row := range rows {
		grid[r] = make([]label, len(row))
		for c, text := range row {
			if t := strings.TrimSpace(text); t != "" && len(t) <= maxLabelBytes {
				grid[r][c] = lc.split(t)
			}
		}
	}
	return grid
}

// labelCache remembers how header texts split into label and unit
// (splitHeader) for every file one Reader reads: the forms of one template
// repeat their labels, and normalizing them is a fifth of what reading a
// form allocates. It keeps at most maxCachedLabels texts, so that no file
// grows it without bound; others are split each time. Safe for the workers'
// concurrent use.
type labelCache struct {
	mu     sync.RWMutex
	labels map[string]label
}

// maxCachedLabels bounds a labelCache: a few templates' labels, with room.
const maxCachedLabels = 4096

func newLabelCache() *labelCache { return &labelCache{labels: map[string]label{}} }

// split is splitHeader of text, remembered.
func (lc *labelCache) split(text string) label {
	lc.mu.RLock()
	l, ok := lc.labels[text]
	lc.mu.RUnlock()
	if ok {
		return l
	}
	l.text, l.unit = splitHeader(text)
	lc.mu.Lock()
	if len(lc.labels) < maxCachedLabels {
		lc.labels[strings.Clone(text)] = l // text may share a row's memory
	}
	lc.mu.Unlock()
	return l
}

// findHeader looks for the row that best matches a configured table's header.
// A header cell left empty because it is merged with the cell above (a two-row
// header whose base columns span both rows) takes the text above it, and a
// group label above a cell is tried as a prefix ("技术合同" over "成交额"). It
// returns the complete match with the most columns; failing that, the best
// partial match that found at least half of a table's columns and two or more
// columns, so the sheet can be reported as incomplete; or nil.
func findHeader(rows [][]string, labels [][]label, specs []*tableSpec, cache *labelCache) (best *headerMatch) {
	var partial *headerMatch
	groups := groupLabels{split: map[[2]int]label{}, cache: cache}
	for r := range rows {
		for _, spec := range specs {
			m := matchRow(rows, labels, groups, r, spec)
			if m == nil || m.matched < 2 {
				continue
			}
			if m.complete() {
				if best == nil || m.matched > best.matched {
					best = m
				}
			} else if 2*m.matched >= len(spec.table.Columns) && (partial == nil || m.matched > partial.matched) {
				partial = m
			}
		}
	}
	if best != nil {
		return best
	}
	return partial
}

// twoLabels reports whether row r holds at least two of a table's labels,
// looked up as matchRow looks them up, without building the match.
func twoLabels(rows [][]string, labels [][]label, groups groupLabels, r int, spec *tableSpec) bool {
	row := rows[r]
	var above []string
	if r > 0 {
		above = rows[r-1]
	}
	hits := 0
	for c := 0; c < max(len(row), len(above)) && hits < 2; c++ {
		own, up := cellAt(row, c), cellAt(above, c)
		lab := labelAt(labels, r, c)
		if own == "" {
			lab = labelAt(labels, r-1, c)
		}
		if _, ok := spec.labels[lab.text]; ok && lab.text != "" {
			hits++
		} else if own != "" && up != "" && len(up)+len(own) <= maxLabelBytes {
			if _, ok := spec.labels[groups.of(r, c, up, own).text]; ok {
				hits++
			}
		}
	}
	return hits >= 2
}

// groupLabels memoizes the labels of a cell's text prefixed with the text
// above it, split once for all the tables tried, through the reader's cache
// of labels (the same templates come file after file).
type groupLabels struct {
	split map[[2]int]label
	cache *labelCache
}

func (g groupLabels) of(r, c int, up, own string) label {
	if l, ok := g.split[[2]int{r, c}]; ok {
		return l
	}
	l := g.cache.split(up + own)
	g.split[[2]int{r, c}] = l
	return l
}

// matchRow matches row r of rows (split into labels) against one table.
func matchRow(rows [][]string, labels [][]label, groups groupLabels, r int, spec *tableSpec) *headerMatch {
	if !twoLabels(rows, labels, groups, r, spec) {
		return nil // cannot match; most rows of a sheet are data
	}
	m := &headerMatch{spec: spec, row: r, columns: make([]headerColumn, len(spec.table.Columns))}
	for i := range m.columns {
		m.columns[i].index = -1
	}
	row := rows[r]
	var above []string
	if r > 0 {
		above = rows[r-1]
	}
	width := max(len(row), len(above))
	for c := 0; c < width; c++ {
		own, up := cellAt(row, c), cellAt(above, c)
		text, textRow := own, r
		lab := labelAt(labels, r, c)
		if own == "" {
			text, textRow, lab = up, r-1, labelAt(labels, r-1, c)
		}
		if text == "" {
			continue
		}
		idx, ok := spec.labels[lab.text]
		unit := lab.unit
		if !ok && own != "" && up != "" && len(up)+len(own) <= maxLabelBytes {
			// A group label over a sub-header: "技术合同" over "成交额（万元）".
			g := groups.of(r, c, up, own)
			if i, found := spec.labels[g.text]; found {
				idx, ok, unit = i, true, g.unit
			}
		}
		cell := xlsxin.CellName(c, textRow+1)
		hc := headerColumn{index: c, text: strings.TrimSpace(text), cell: cell, unit: unit}
		switch {
		case !ok:
			m.unused = append(m.unused, hc)
		case m.columns[idx].index >= 0:
			m.repeated = append(m.repeated, hc)
		default:
			m.columns[idx] = hc
			m.matched++
		}
	}
	for i, col := range spec.table.Columns {
		if col.Required && m.columns[i].index < 0 {
			m.missing = append(m.missing, col.Name)
		}
	}
	return m
}

// findForm looks for a form: one platform's report as labels with their values
// to the right (a label may span merged cells; a row may hold several pairs).
// Every required column's label must appear; the table with the most labels
// found wins. mergeEnd gives the last column of the merged range that starts
// at a cell (or the cell's own column). Labels are sought in the programmes'
// report tables only (forms is the set of their specs).
func findForm(rows [][]string, labels [][]label, forms []*tableSpec, mergeEnd func(row, col int) int) *headerMatch {
	var best *headerMatch
	for _, spec := range forms {
		var m *headerMatch // made at the first label of the form found
		for r, row := range labels {
			for c, lab := range row {
				idx, ok := spec.labels[lab.text]
				if lab.text == "" || !ok {
					continue
				}
				if m == nil {
					m = &headerMatch{spec: spec, row: -1, columns: make([]headerColumn, len(spec.table.Columns))}
					for i := range m.columns {
						m.columns[i].index = -1
					}
				}
				cell := xlsxin.CellName(c, r+1)
				hc := headerColumn{index: mergeEnd(r, c) + 1, text: strings.TrimSpace(rows[r][c]), cell: cell, unit: lab.unit, row: r + 1}
				if m.columns[idx].index >= 0 {
					m.repeated = append(m.repeated, hc)
					continue
				}
				m.columns[idx] = hc
				m.matched++
			}
		}
		if m == nil {
			continue
		}
		for i, col := range spec.table.Columns {
			if col.Required && m.columns[i].index < 0 {
				m.missing = append(m.missing, col.Name)
			}
		}
		if m.matched >= 3 && m.complete() && (best == nil || m.matched > best.matched) {
			best = m
		}
	}
	return best
}

// labelAt returns the label of a cell, or none beyond the grid.
func labelAt(labels [][]label, r, c int) label {
	if r >= 0 && r < len(labels) && c < len(labels[r]) {
		return labels[r][c]
	}
	return label{}
}

// cellAt returns a row's trimmed cell text, or "" beyond its end.
func cellAt(row []string, c int) string {
	if c < len(row) {
		return strings.TrimSpace(row[c])
	}
	return ""
}
