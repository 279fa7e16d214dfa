// Package assess applies a programme's rules to one year's reports.
//
// For every platform in the register it decides a status — assessed, no report
// filed, report refused, reported twice, not yet due — and for an assessed one
// computes the weighted indicator score (each indicator earns weight ×
// min(value / target, 1) points, weights adding up to 100), grades the score by
// the programme's scale, checks the programme's gates (filing and governance
// conditions written as expressions in the configuration) and ranks the
// programme's platforms: equal scores share a rank (1, 2, 2, 4) unless the
// programme's tie-break indicators separate them. Every outcome carries reasons,
// each citing the clause of the policy document it rests on.
//
// A run keeps an outcome for every platform, so outcomes are kept small: the
// indicator values and gate checks are rows of columns kept by the worker
// that stepped the platform (Outcome.Indicators and Outcome.Gates make them
// again when read), and the history states are made from the outcomes when
// the history is written (Result.States).
//
// assess reads the Arrow tables of package dataset; it does not know where they
// came from, and imports only dataset and config.
package assess
