// Package xlsxin reads the cells of .xlsx workbooks, fast.
//
// A worksheet is streamed through a purpose-built XML scanner, row by row,
// with the values as stored (numbers as written, shared and inline strings
// resolved, booleans as 1 or 0) and each cell's declared type and style, whose
// number format the workbook gives. Parts are found through the package
// relationships, so a workbook stored under unusual folders, with absolute or
// backslashed part names, namespace prefixes or strict OOXML reads as any
// other. A package the fast reader does not handle (an encoding other than
// UTF-8, a document type declaration, a sheet of an unknown kind) is read
// through excelize, the reference reader, behind the same API; one whose
// package relationships name no workbook, which excelize cannot read either,
// is refused as damaged, saying so. The tests read every workbook through
// both and require identical values.
//
// What excelize passes over in silence is an error here: a shared-string
// index out of range, XML that is not well-formed, rows out of order or past
// the sheet limit, a part cut short. Open names what a file that is not a
// workbook really is: empty, password-protected, an old binary .xls, not a zip
// package, damaged, or over the size cap.
package xlsxin
