// Package ingest reads annual report workbooks as people really fill them in
// into Arrow tables.
//
// Every sheet of every .xlsx under the input folder is searched for a known table
// — the platform register or a programme's annual report table — by matching its
// header text against the configured column names and aliases, wherever the
// header is: below title rows, split over a two-row merged header, with units in
// brackets (万元, 平方米) that are converted to the configured unit. Cells are
// converted by their column's declared kind: numbers stored as text with
// thousands separators, full-width digits, percentages, missing markers (—, 无)
// kept as missing, dates as Excel serials (1900 and 1904 systems) or written in
// the usual Chinese and ISO forms.
//
// Nothing is dropped without a trace: every non-blank row below a header is
// accepted, rejected with an error naming its file, sheet, cell, column and raw
// value, or skipped as a note or total line with an info problem; every file that
// is not read says why. The rows accepted form one Arrow table per kind, each row
// carrying its source sheet and row number (see package dataset).
package ingest
