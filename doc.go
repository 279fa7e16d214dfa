// Package assessor is the root of the assessor module: a batch engine for the
// annual performance assessment of innovation platforms. It holds no code; this
// comment describes the layout, and layers_test.go enforces it.
//
// The packages depend one way:
//
//	cmd/assessor        thin main → internal/cli
//	internal/cli        commands and exit statuses → internal/job, samples, config
//	internal/job        the pipeline: ingest → assess → report
//	report              result workbooks → assess, dataset, config, internal/xlsxout
//	assess              the rules → dataset, config
//	ingest              workbooks to Arrow tables → dataset, config
//	dataset             what ingest produces and assess consumes → config
//	config              the rules as data → (no package of this module)
//	samples             sample workbooks → internal/xlsxout
//	internal/xlsxout    reproducible, atomic saving → (no package of this module)
//
// The reader (ingest) and the rules (assess) never import each other, and
// nothing below internal/cli knows about flags, exit statuses or the terminal.
package assessor
