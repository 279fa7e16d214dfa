#!/usr/bin/python3
"""The independent reader: dumps every non-empty cell of an .xlsx with openpyxl.

Usage: /usr/bin/python3 dump_cells.py FILE.xlsx [FILE.xlsx ...]
Writes FILE.xlsx.cells.json next to each file:

  {"date1904": bool,
   "sheets": [{"name": "...",
               "merges": ["A1:P1", ...],
               "cells": {"A1": {"v": value, "t": type, "fmt": number_format}, ...}}]}

The workbook is opened with load_workbook(FILE, data_only=True), so a formula
cell shows its cached value (and is skipped when the file holds none).
t: "n" number (ints stay ints), "s" string, "b" bool, "d" date/datetime/time
(value in ISO 8601), "e" error ("#DIV/0!").  Cells whose value is None are
skipped; merged cells other than the top-left one are None in openpyxl.
Exit status 1 (and no JSON) when openpyxl cannot open a file.
"""
import datetime
import json
import sys

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904


def cell_record(c):
    v = c.value
    if isinstance(v, bool):
        return {"v": v, "t": "b", "fmt": c.number_format}
    if isinstance(v, (int, float)):
        return {"v": v, "t": "n", "fmt": c.number_format}
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return {"v": v.isoformat(), "t": "d", "fmt": c.number_format}
    if isinstance(v, datetime.timedelta):
        return {"v": v.total_seconds(), "t": "n", "fmt": c.number_format}
    if isinstance(v, str):
        t = "e" if c.data_type == "e" else "s"
        return {"v": v, "t": t, "fmt": c.number_format}
    return {"v": str(v), "t": "?" + type(v).__name__, "fmt": c.number_format}


def dump(path):
    wb = openpyxl.load_workbook(path, data_only=True)
    out = {"date1904": wb.epoch == CALENDAR_MAC_1904, "sheets": []}
    for ws in wb.worksheets:
        cells = {}
        # The cells read, in row-major order: iter_rows() would walk the
        # whole declared dimension, which may be A1:XFD1048576.
        for _, c in sorted(ws._cells.items()):
            if c.value is None:
                continue
            cells[c.coordinate] = cell_record(c)
        out["sheets"].append({
            "name": ws.title,
            "merges": sorted(str(r) for r in ws.merged_cells.ranges),
            "cells": cells,
        })
    return out


def render(out):
    """JSON with one cell per line (short, diffable, still plain JSON)."""
    j = lambda o: json.dumps(o, ensure_ascii=False)
    lines = ['{"date1904": %s, "sheets": [' % j(out["date1904"])]
    for si, sh in enumerate(out["sheets"]):
        lines.append(' {"name": %s, "merges": %s, "cells": {' % (j(sh["name"]), j(sh["merges"])))
        items = list(sh["cells"].items())
        for ci, (ref, rec) in enumerate(items):
            lines.append('  %s: %s%s' % (j(ref), j(rec), "," if ci < len(items) - 1 else ""))
        lines.append(" }}" + ("," if si < len(out["sheets"]) - 1 else ""))
    lines.append("]}")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == out
    return text


def main(argv):
    status = 0
    for path in argv:
        try:
            out = dump(path)
        except Exception as exc:  # openpyxl cannot open it
            print("%s: openpyxl cannot open: %s: %s" % (path, type(exc).__name__, exc), file=sys.stderr)
            status = 1
            continue
        with open(path + ".cells.json", "w", encoding="utf-8") as fh:
            fh.write(render(out))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
