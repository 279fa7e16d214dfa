#!/bin/sh
# bench/compare.sh — `assessor run` end to end against the baseline an
# evaluator would script (bench/baseline.py: pandas + openpyxl), side by side
# on the same generated rosters, with wall time and peak RSS of each whole
# process (GNU time). Sizes: ROWS (default "10000 100000"); runs per size:
# RUNS (default 3; the median is reported). The baseline needs Debian's
# python3-pandas, python3-openpyxl and python3-yaml and is skipped without
# them, or above BASELINE_MAX_ROWS (default 100000: at a million rows it
# runs for many minutes).
#
# Exit status 1 from `assessor run` means done with rejected input rows (the
# generated rosters plant a few bad values), so it counts as a finished run.
#
# Usage: sh bench/compare.sh  (from the repository root, after make build)
set -eu
BIN=${BIN:-bin/assessor}
ROWS=${ROWS:-"10000 100000"}
RUNS=${RUNS:-3}
BASELINE_MAX_ROWS=${BASELINE_MAX_ROWS:-100000}
ROOT=${TMPDIR:-/tmp}/assessor-bench
YEAR=2025
ROSTER="$YEAR/${YEAR}年度科创飞地绩效数据汇总表.xlsx"

have_baseline=yes
/usr/bin/python3 -c "import pandas, openpyxl, yaml" 2>/dev/null || have_baseline=no
[ -x /usr/bin/time ] || { echo "bench/compare.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }

# median FILE: the median of the numbers in FILE, one a line.
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-9s %-22s %9s %9s %12s\n' rows program seconds "peak MiB" "rows/s"
for n in $ROWS; do
	in="$ROOT/enclave-$n"
	if [ ! -f "$in/.complete" ]; then
		rm -rf "$in"
		"$BIN" samples --out "$in" --platforms "$n" --only enclave --first-year $YEAR --last-year $YEAR >/dev/null
		touch "$in/.complete"
	fi
	work=$(mktemp -d)
	: >"$work/run.s"; : >"$work/run.kb"; : >"$work/base.s"; : >"$work/base.kb"
	i=0
	while [ $i -lt "$RUNS" ]; do
		rm -rf "$work/out" "$work/state"
		status=0
		/usr/bin/time -f '%e %M' -o "$work/time" "$BIN" run --year $YEAR --first-year $YEAR --in "$in" \
			--out "$work/out" --state "$work/state" --log-level error --log-format json >/dev/null 2>"$work/log" || status=$?
		if [ $status -gt 1 ]; then cat "$work/log" >&2; exit $status; fi
		tail -n 1 "$work/time" | { read -r s kb; echo "$s" >>"$work/run.s"; echo "$kb" >>"$work/run.kb"; }
		if [ $have_baseline = yes ] && [ "$n" -le "$BASELINE_MAX_ROWS" ]; then
			/usr/bin/time -f '%e %M' -o "$work/time" /usr/bin/python3 bench/baseline.py config/default.yaml \
				"$in/平台名录.xlsx" "$in/$ROSTER" "$work/baseline.xlsx" >/dev/null
			tail -n 1 "$work/time" | { read -r s kb; echo "$s" >>"$work/base.s"; echo "$kb" >>"$work/base.kb"; }
		fi
		i=$((i + 1))
	done
	rows=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['counts']['rows']['read'])" "$work/out/$YEAR/run-manifest.json" 2>/dev/null || echo "$n")
	s=$(median "$work/run.s"); kb=$(median "$work/run.kb")
	printf '%-9s %-22s %9s %9d %12d\n' "$n" "assessor run" "$s" $((kb / 1024)) "$(awk "BEGIN { print int($rows / $s) }")"
	if [ -s "$work/base.s" ]; then
		bs=$(median "$work/base.s"); bkb=$(median "$work/base.kb")
		printf '%-9s %-22s %9s %9d %12s\n' "$n" "pandas+openpyxl" "$bs" $((bkb / 1024)) "-"
		printf '%-9s %-22s %9s\n' "$n" "speed-up" "$(awk "BEGIN { printf \"%.1fx\", $bs / $s }")"
	fi
	rm -rf "$work"
done
