// Package cli is assessor's command line: the commands, their flags, the logger
// and the mapping of every outcome to an exit status. Commands only parse flags,
// load the configuration and call package job (or samples); they return errors
// and never exit themselves.
package cli
