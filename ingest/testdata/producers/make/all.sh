#!/bin/sh
# Remakes every fixture under ingest/testdata/producers/ and its .cells.json.
#   sh ingest/testdata/producers/make/all.sh
# Needs (see ../README.md): apt-get install python3-openpyxl python3-xlsxwriter
# libreoffice-calc-nogui; Node.js; Go.  Scratch folders outside the repository:
#   JS_SCRATCH (default /tmp/producers-js)  npm install xlsx exceljs
#   GO_SCRATCH (default /tmp/producers-go)  excelize v2.11.1 (efp pinned to v0.0.2)
# Both are created when missing.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
JS_SCRATCH=${JS_SCRATCH:-/tmp/producers-js}
GO_SCRATCH=${GO_SCRATCH:-/tmp/producers-go}
PY=/usr/bin/python3

if [ ! -d "$JS_SCRATCH/node_modules/exceljs" ]; then
  mkdir -p "$JS_SCRATCH"
  (cd "$JS_SCRATCH" && npm init -y >/dev/null && npm install xlsx@0.18.5 exceljs@4.4.0)
fi
if [ ! -f "$GO_SCRATCH/go.sum" ]; then
  mkdir -p "$GO_SCRATCH"
  cp "$HERE/excelize/go.mod.scratch" "$GO_SCRATCH/go.mod"
  # drop the "//go:build ignore" line that keeps main.go out of the repo's builds
  sed '/^\/\/go:build ignore$/d' "$HERE/excelize/main.go" > "$GO_SCRATCH/main.go"
  (cd "$GO_SCRATCH" && go mod tidy)
fi

$PY "$HERE/canonical.py"
$PY "$HERE/openpyxl_make.py"
$PY "$HERE/xlsxwriter_make.py"
NODE_PATH="$JS_SCRATCH/node_modules" node "$HERE/sheetjs_make.js"
NODE_PATH="$JS_SCRATCH/node_modules" node "$HERE/exceljs_make.js"
sed '/^\/\/go:build ignore$/d' "$HERE/excelize/main.go" > "$GO_SCRATCH/main.go"
(cd "$GO_SCRATCH" && go run . -canon "$ROOT/canonical.json" -out "$ROOT/excelize")
sh "$HERE/libreoffice_make.sh" 2>/dev/null
$PY "$HERE/handmade_make.py"
chmod 644 "$ROOT"/*/*.xlsx
rm -f "$ROOT"/*/*.xlsx.cells.json
# openpyxl cannot open some handmade files: that is expected (see README)
$PY "$ROOT/dump_cells.py" "$ROOT"/*/*.xlsx || true
$PY "$HERE/check_dumps.py" > "$HERE/check_dumps.out"
echo "done: $(ls "$ROOT"/*/*.xlsx | wc -l) workbooks"
