package dataset

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/xuri/excelize/v2"

	"assessor/config"
)

// Provenance columns every table carries beside its configured columns.
const (
	FieldSource = "_source" // index into Set.Sources: the file and sheet of the row
	FieldRow    = "_row"    // the row's 1-based row number in its sheet
)

// Set is everything read from one input folder: a table per kind of input (the
// register and each programme's annual reports), where each row came from, every
// problem found, and an account of every file and sheet.
type Set struct {
	// Tables holds the accepted rows, keyed by config.TableRegister or a
	// programme key. A kind with no input has no entry.
	Tables   map[string]arrow.Table
	Sources  []Source
	Files    []File
	Problems []Problem
	// Rejected lists the rows that were read but not accepted, with the platform
	// id and year as far as they could be read, so that a platform whose report
	// was refused is told apart from one that filed none.
	Rejected []RejectedRow
}

// RejectedRow is a data row that was not accepted.
type RejectedRow struct {
	Table  string
	ID     string // "" when the id itself was unreadable
	Year   int    // 0 when the year was unreadable or the table has none
	Source int32
	Row    int32
}

// Release releases the Arrow tables.
func (s *Set) Release() {
	for _, t := range s.Tables {
		t.Release()
	}
	s.Tables = nil
}

// Source is one sheet that held a table.
type Source struct {
	File      string         // path relative to the input folder
	Sheet     string         // sheet name
	Table     string         // table key
	HeaderRow int            // 1-based row of the header
	Columns   map[string]int // column key → 0-based column index
	Headers   map[string]string
	// Cells, for a form (one platform per sheet, labels beside values), maps a
	// column key to its value cell; nil for a roster, whose values are in
	// Columns on each data row.
	Cells map[string]string
	Rows  RowCount
}

// RowCount accounts for the data rows of a sheet: every non-blank row below the
// header is read, and then accepted, rejected (with an error problem) or skipped
// (a note or total line, with an info problem).
type RowCount struct {
	Read, Accepted, Rejected, Skipped, Blank int
}

// Add adds another count.
func (r *RowCount) Add(o RowCount) {
	r.Read += o.Read
	r.Accepted += o.Accepted
	r.Rejected += o.Rejected
	r.Skipped += o.Skipped
	r.Blank += o.Blank
}

// Balanced reports whether every read row was accepted, rejected or skipped.
func (r RowCount) Balanced() bool { return r.Read == r.Accepted+r.Rejected+r.Skipped }

// File is one file found in the input folder and what became of it.
type File struct {
	Path   string // relative to the input folder
	Size   int64
	Status FileStatus
}

// FileStatus says whether a file was read.
type FileStatus string

// File statuses.
const (
	FileRead     FileStatus = "read"     // opened; its sheets are in Sources
	FileRejected FileStatus = "rejected" // could not be read; a problem says why
	FileIgnored  FileStatus = "ignored"  // not a workbook; an info problem says so
)

// RowRef is a data row of a source sheet: Set.Sources[Source], 1-based
// Row. Its zero value, of row 0, is no row.
type RowRef struct {
	Source, Row int32
}

// Cell returns the location of a row's value in its source sheet; key is a column
// key of the source's table. An unknown key gives the row's location without a
// column.
func (s *Set) Cell(source, row int32, key string) Location {
	src := s.Sources[source]
	loc := Location{File: src.File, Sheet: src.Sheet}
	if cell, ok := src.Cells[key]; ok {
		loc.Cell = cell
	} else if col, ok := src.Columns[key]; ok {
		loc.Cell, _ = excelize.CoordinatesToCellName(col+1, int(row))
	} else {
		loc.Cell = fmt.Sprintf("%d:%d", row, row)
	}
	return loc
}

// Header returns the header text of a column in a source sheet, or "".
func (s *Set) Header(source int32, key string) string { return s.Sources[source].Headers[key] }

// RawField is the name of the column that keeps a column's raw cell text. It
// holds the text as read where it differs from the plain rendering of the
// parsed value ("12,345.6" for 12345.6, "12000000" in a 元 column read as
// 1200 万元, "2025年度" for 2025), and null where it would add nothing.
func RawField(key string) string { return key + "#raw" }

// HasRaw reports whether a column kind keeps its raw text beside the value:
// every kind that is parsed, that is every kind but free text.
func HasRaw(kind string) bool { return kind != config.KindText }

// Schema is the Arrow schema of a table: the provenance columns, then one field
// per configured column, typed by its kind, each followed by its raw text
// (RawField) when the kind is parsed.
func Schema(t config.Table) *arrow.Schema {
	fields := []arrow.Field{
		{Name: FieldSource, Type: arrow.PrimitiveTypes.Int32},
		{Name: FieldRow, Type: arrow.PrimitiveTypes.Int32},
	}
	for _, col := range t.Columns {
		fields = append(fields, arrow.Field{Name: col.Key, Type: ArrowType(col.Kind), Nullable: true})
		if HasRaw(col.Kind) {
			fields = append(fields, arrow.Field{Name: RawField(col.Key), Type: arrow.BinaryTypes.String, Nullable: true})
		}
	}
	return arrow.NewSchema(fields, nil)
}

// ArrowType is the Arrow type that holds values of a column kind.
func ArrowType(kind string) arrow.DataType {
	switch kind {
	case config.KindYear:
		return arrow.PrimitiveTypes.Int32
	case config.KindDate:
		return arrow.FixedWidthTypes.Date32
	case config.KindNumber, config.KindCount, config.KindPercent:
		return arrow.PrimitiveTypes.Float64
	default:
		return arrow.BinaryTypes.String
	}
}
