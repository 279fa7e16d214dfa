// Package assessor is the root of the assessor module: a batch engine for the
// annual performance assessment of innovation platforms. It holds no code; this
// comment describes the layout, and layers_test.go enforces it.
//
// The packages depend one way:
//
//	cmd/assessor        thin main → internal/cli
//	internal/cli        commands and exit statuses → internal/job, report, assess, samples, config
//	internal/job        the pipeline: history → ingest → assess → report → history, and the run's manifest
//	report              result workbooks, explanations → assess, dataset, config
//	history             the yearly states as Parquet, the state lock → dataset
//	assess              the rules across years → dataset, config
//	ingest              workbooks to Arrow tables → dataset, config, internal/xlsxin
//	dataset             what ingest produces and assess consumes, and the states → config
//	config              the rules as data → (no package of this module)
//	samples             sample workbooks → internal/xlsxout
//	forms               blank annual-report forms → config, internal/xlsxout
//	internal/xlsxin     the fast cell reader of .xlsx workbooks (excelize as reference)
//	internal/xlsxout    reproducible workbook saving → internal/atomicfile
//	internal/manifest   the record of a run: inputs, outputs, counts, exit status → internal/atomicfile
//	internal/atomicfile staged, atomic file writes
//	internal/numfmt     numbers as the texts show them
//
// The reader (ingest), the rules (assess) and the store (history) never import
// each other, and nothing below internal/cli knows about flags, exit statuses or
// the terminal.
package assessor
