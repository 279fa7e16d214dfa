// Package dataset holds what ingest produces and assess consumes: Arrow tables of
// the platform register and of each programme's annual reports, the provenance
// that turns any row back into a file, sheet and cell, an account of every file
// and row read, and the cell-addressed Problem type used for every input problem.
//
// It sits below ingest, assess and report so that the reader and the rules never
// import each other; it imports only config.
package dataset
