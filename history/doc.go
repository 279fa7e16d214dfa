// Package history keeps each year's per-platform results (dataset.State) so
// that the next December's run can carry them on.
//
// A state folder holds one Parquet file per year, written through Apache
// Arrow's pqarrow:
//
//	<state>/.lock                  held (flock) by the run that writes
//	<state>/history/<year>.parquet one row per platform, e.g. 2025.parquet
//
// Every year file is written atomically (internal/atomicfile): it is staged
// beside its target and renamed into place, so a reader sees the old file or
// the new one, never half of either. A run killed between the two leaves a
// hidden ".<year>.parquet.*.tmp" file, which the next Open removes and reports
// through Store.Cleaned.
//
// # Locking
//
// Open takes an exclusive flock on <state>/.lock, so two runs never share a
// state folder, and writes the holder's pid and start time into it for the
// error message of the run that finds it locked. The operating system drops
// the lock when the holder dies, so a killed run never leaves a stale lock.
// OpenReadOnly takes no lock: files are only ever replaced by rename.
//
// # File layout
//
// Each file holds one row per platform with these columns, in this order (in
// Parquet the "not null" columns are required, and each map is an optional
// group of logical type MAP around a repeated "key_value" group of a required
// key and a required value):
//
//	id           utf8, not null
//	programme    utf8, not null
//	year         int32, not null  equal to the year in the file name
//	status       utf8, not null   "active", "rectifying" or "revoked"
//	since        int32, not null  year the status began; 0 when active
//	review       int32, not null  year of re-grading; 0 unless rectifying
//	fail_streak  int32, not null  consecutive failed years up to this one
//	outcome      utf8, not null   "assessed", "not_due", "no_report" ...
//	source       utf8, not null   "run" or "import"
//	grades       map<utf8, utf8>, nullable     assessment key → grade code
//	scores       map<utf8, float64>, nullable  assessment key → score
//	grants       map<utf8, int32>, nullable    fund key → times granted so far
//	values       map<utf8, float64>, nullable  indicator key → value
//
// A state's grades, scores, grants and values (dataset.Entries, sorted by
// key) are written as maps: nil as a null map and empty as an empty one, and
// each comes back as it went in. Rows are sorted by (programme, id) and map
// entries by key, and the columns are Snappy-compressed, so the same states
// always give a byte-identical file.
//
// The Parquet key-value metadata carries "assessor.year", the run's
// "assessor.config_hash" and the program's "assessor.version".
//
// With DuckDB:
//
//	SELECT year, id, status, outcome, grades
//	FROM read_parquet('state/history/*.parquet')
//	WHERE programme = 'tic' ORDER BY id, year;
//
//	SELECT * FROM parquet_kv_metadata('state/history/2025.parquet');
package history
