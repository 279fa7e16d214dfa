// Package xlsxout saves excelize workbooks reproducibly and atomically.
//
// excelize writes the parts of a workbook in map order when several stream
// writers are used (upstream issue 1732), so the same workbook can come out as
// different bytes. Save plugs in a zip writer that compresses each part as it
// arrives and writes the parts in one canonical order with fixed timestamps;
// the content types part, to which excelize adds the image types in map order
// when a chart or picture is added, has those entries sorted. It writes through a temporary file in the target folder that is renamed into
// place only when complete (package atomicfile): a reader never sees a
// half-written workbook, and the same workbook always gives the same bytes.
package xlsxout
