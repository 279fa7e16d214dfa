package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"assessor/dataset"
	"assessor/internal/xlsxout"
)

// Fill colours of annotated cells, by severity.
var annotationFills = map[dataset.Severity]string{dataset.Error: "FF9999", dataset.Warning: "FFE699"}

// commentAuthor signs the comments of an annotated copy.
const commentAuthor = "评估机构"

// Annotate writes a copy of the workbook src to dst with the cells of its
// problems highlighted and commented: what is wrong, what was expected. Errors
// are red, warnings yellow; a problem of a whole row is commented on the row's
// first cell; info and file-level problems are left out. The cells' values are
// not touched. It reports how many problems it marked.
func Annotate(src, dst string, problems []dataset.Problem) (int, error) {
	f, err := excelize.OpenFile(src)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", src, err)
	}
	defer f.Close()
	byCell := map[[2]string][]dataset.Problem{}
	var order [][2]string
	for _, p := range problems {
		if p.Severity == dataset.Info || p.Sheet == "" || p.Cell == "" {
			continue
		}
		cell := p.Cell
		if row, _, whole := strings.Cut(p.Cell, ":"); whole {
			cell = "A" + row
		}
		key := [2]string{p.Sheet, cell}
		if _, seen := byCell[key]; !seen {
			order = append(order, key)
		}
		byCell[key] = append(byCell[key], p)
	}
	if len(order) == 0 {
		return 0, nil
	}
	fills := map[[2]int]int{} // (original style, severity) → highlighted style
	for _, key := range order {
		sheet, cell := key[0], key[1]
		ps := byCell[key]
		sev := dataset.Warning
		var lines []string
		for _, p := range ps {
			if p.Severity == dataset.Error {
				sev = dataset.Error
			}
			line := severityNames[p.Severity] + "：" + p.Reason
			if p.Expected != "" {
				line += "（应为：" + p.Expected + "）"
			}
			lines = append(lines, line)
		}
		if err := highlight(f, sheet, cell, sev, fills); err != nil {
			return 0, fmt.Errorf("%s!%s: %w", sheet, cell, err)
		}
		if err := comment(f, sheet, cell, strings.Join(lines, "\n")); err != nil {
			return 0, fmt.Errorf("%s!%s: %w", sheet, cell, err)
		}
	}
	if err := xlsxout.Save(f, dst); err != nil {
		return 0, fmt.Errorf("save %s: %w", dst, err)
	}
	return len(order), nil
}

// highlight gives a cell the severity's fill on top of its own style.
func highlight(f *excelize.File, sheet, cell string, sev dataset.Severity, fills map[[2]int]int) error {
	orig, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		return err
	}
	key := [2]int{orig, int(sev)}
	id, ok := fills[key]
	if !ok {
		style, err := f.GetStyle(orig)
		if err != nil {
			return err
		}
		style.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{annotationFills[sev]}}
		if id, err = f.NewStyle(style); err != nil {
			return err
		}
		fills[key] = id
	}
	return f.SetCellStyle(sheet, cell, cell, id)
}

// comment puts the text in the cell's comment, after any comment it had.
func comment(f *excelize.File, sheet, cell, text string) error {
	comments, err := f.GetComments(sheet)
	if err != nil {
		return err
	}
	for _, c := range comments {
		if c.Cell == cell {
			old := c.Text
			for _, r := range c.Paragraph {
				old += r.Text
			}
			if err := f.DeleteComment(sheet, cell); err != nil {
				return err
			}
			text = strings.TrimSpace(old) + "\n" + text
		}
	}
	return f.AddComment(sheet, excelize.Comment{Author: commentAuthor, Cell: cell, Text: text, Width: 300, Height: 120})
}
