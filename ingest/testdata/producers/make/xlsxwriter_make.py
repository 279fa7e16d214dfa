#!/usr/bin/python3
"""XlsxWriter producer: writes ../xlsxwriter/*.xlsx from ../canonical.json.

Formulas get their cached value explicitly (write_formula(..., value)); the
_default_cache variant leaves it out, so XlsxWriter stores its default 0.
"""
import datetime, json, os
import xlsxwriter
from xlsxwriter.utility import xl_cell_to_rowcol

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "xlsxwriter")
CANON = json.load(open(os.path.join(HERE, "..", "canonical.json"), encoding="utf-8"))


def iso(v):
    if "T" in v:
        return datetime.datetime.fromisoformat(v)
    return datetime.date.fromisoformat(v)


def write(spec, name=None, options=None, cache=True):
    wb = xlsxwriter.Workbook(os.path.join(OUT, name or spec["name"]), options or {})
    formats = {}

    def fmt(c):
        f = c.get("fmt")
        if not f:
            return None
        if f not in formats:
            formats[f] = wb.add_format({"num_format": f})
        return formats[f]

    for sheet in spec["sheets"]:
        ws = wb.add_worksheet(sheet["name"])
        bytopleft = {m.split(":")[0]: m for m in sheet["merges"]}
        for c in sheet["cells"]:
            r, col = xl_cell_to_rowcol(c["r"])
            t, v = c["t"], c["v"]
            if c["r"] in bytopleft:
                assert t == "s"
                ws.merge_range(bytopleft.pop(c["r"]), v)
            elif t == "s":
                ws.write_string(r, col, v, fmt(c))  # "" is ignored by XlsxWriter
            elif t == "n":
                ws.write_number(r, col, v, fmt(c))
            elif t == "b":
                ws.write_boolean(r, col, v, fmt(c))
            elif t == "d":
                ws.write_datetime(r, col, iso(v), fmt(c))
            elif t == "f":
                if cache:
                    ws.write_formula(r, col, "=" + c["f"], fmt(c), v)
                else:
                    ws.write_formula(r, col, "=" + c["f"], fmt(c))
            else:
                raise ValueError(t)
        for m in bytopleft.values():
            ws.merge_range(m, None)
    wb.close()


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {f["name"]: f for f in CANON["files"]}
    for spec in CANON["files"]:
        write(spec)
    write(files["cells.xlsx"], "cells_1904.xlsx", {"date_1904": True})
    write(files["register.xlsx"], "register_1904.xlsx", {"date_1904": True})
    write(files["cells.xlsx"], "cells_default_cache.xlsx", cache=False)
    write(files["roster_tic.xlsx"], "roster_tic_constant_memory.xlsx", {"constant_memory": True})


if __name__ == "__main__":
    main()
