// Package job runs the yearly assessment end to end: ingest → assess → report.
//
// Run is the high-level view of the engine: it reads every workbook of the input
// folder, assesses the year and writes the result workbook. Validate reads and
// checks the input only, and writes the problems report. Both return a Summary
// for the caller's log and exit status.
package job
