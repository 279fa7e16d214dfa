// Package xlsxout saves excelize workbooks reproducibly and atomically, and
// writes the rows of long tables into them itself.
//
// excelize writes the parts of a workbook in map order when several stream
// writers are used (upstream issue 1732), so the same workbook can come out as
// different bytes. Save plugs in a zip writer that compresses each part as it
// arrives and writes the parts in one canonical order with fixed timestamps;
// the content types part, to which excelize adds the image types in map order
// when a chart or picture is added, has those entries sorted. It writes
// through a temporary file in the target folder that is renamed into place
// only when complete (package atomicfile): a reader never sees a
// half-written workbook, and the same workbook always gives the same bytes.
// The zip goes straight to that file, not through excelize's in-memory buffer.
//
// A table of many rows costs excelize's StreamWriter more than making the
// rows: a cell reference, a string builder and a regular expression per
// cell, and the whole sheet kept in a temporary file before it is copied into
// the package. Save therefore takes SheetRows: rows written while the
// package is saved, straight into the sheet's part (after the rows excelize
// holds for it), by a RowWriter that encodes them exactly as the
// StreamWriter would — the same bytes, which a test and a fuzz target check
// against excelize. The sheets' rows are written one sheet per core and
// deflated into temporary files, so that a long sheet is not held in memory.
// DeflatedRows are rows encoded and deflated before the workbook is saved,
// in a temporary file, for a caller that makes each row once both to
// measure the columns and to write it: RowWriter.Deflated puts them into
// the part as they are, the part's deflate stream ended on a byte boundary
// before them and begun afresh after, its checksum combined with theirs.
package xlsxout
