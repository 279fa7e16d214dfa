// Package manifest is the record of one run: what it read (every input file
// with its SHA-256, the previous year's history included), the rules and the
// engine it applied, what it counted, what it wrote (every output file with
// its SHA-256) and its exit status.
//
// What is particular to one run — its id, host, folders, times and
// durations — is kept apart under "run". Two runs of the same inputs with the
// same rules and engine have manifests equal in everything else, which is what
// Compare checks: it tells a re-run that it reproduced the previous outputs,
// or which outputs changed and what changed in the inputs.
package manifest
