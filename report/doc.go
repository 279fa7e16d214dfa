// Package report writes the workbooks a department head receives: the year's
// result workbook — a one-page summary with charts, per 盟市 figures, funds and
// the region-wide targets; one ranked sheet per programme and per sub-type
// where the rules differ, each platform's score, grade and reasons citing
// their clauses; the indicator values, changes, platforms not due, funds, an
// account of every input file and row, every problem with its file, sheet and
// cell, and the run with its input files' hashes — each programme's public
// notice (name, 盟市, grade), and on request one workbook per 盟市. It also
// writes the problems report of a validation, annotated copies of input
// workbooks and the explanation of one platform's year.
//
// Sheets are streamed with excelize's StreamWriter: header frozen, an
// autofilter, widths fitted to the content, grades coloured, and printed A4
// landscape one page wide with the header row on every page and a footer with
// the sheet's name and page x of y. A sheet of one long table gets only its
// header that way; its data rows are written into the sheet while the
// workbook is saved (xlsxout.SheetRows), made a second time rather than kept.
// Every sheet states its used range. Workbooks are staged and committed
// together (package atomicfile) and written reproducibly (internal/xlsxout):
// the same inputs and configuration give byte-identical files. Text from the
// input is always written as text, never as a formula, and names from data
// are made safe before they become file names.
package report
