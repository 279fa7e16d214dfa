// Package atomicfile writes files so that a reader, or a process killed half-way,
// never leaves or sees a partial file: content goes to a temporary file in the
// target folder, is synced, and is renamed into place only when complete.
//
// Stage and Commit split the two steps, so that a run can write all its outputs
// first and rename them together at the end; CleanStale removes the temporary
// files a killed process left behind.
package atomicfile
