// Package config loads, validates and describes the rules of an assessment run.
//
// The defaults are an embedded, commented YAML file (default.yaml) describing the
// three programmes of the Inner Mongolia policy documents — 科创飞地, 科技成果转移
// 转化示范区 and 技术创新中心 — with their input columns, indicators, weights,
// grade scales and gates, each citing the document and section it rests on. A user
// file overrides the defaults, ASSESSOR_* environment variables and flags override
// the file; unknown keys are errors and every validation error names its key path
// and value. Formulas and rules are compiled and type-checked when the
// configuration loads, so a typo in a rule fails before any workbook is read.
//
// config imports no other package of this module; every other package imports it.
package config
