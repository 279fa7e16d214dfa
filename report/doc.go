// Package report writes the result workbooks a department head opens: a summary
// of grades per programme, one ranked sheet per programme with each platform's
// score, grade and reasons citing their clauses, an account of every input file
// and row, and every problem found in the input, each with its file, sheet and
// cell.
//
// Sheets are streamed with excelize's StreamWriter, with the header frozen, an
// autofilter, widths fitted to the content and grades coloured. Workbooks are
// written atomically and reproducibly (see internal/xlsxout): the same inputs
// and configuration give byte-identical files. Text from the input is always
// written as text, never as a formula.
package report
