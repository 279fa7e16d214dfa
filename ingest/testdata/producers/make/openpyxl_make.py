#!/usr/bin/python3
"""openpyxl producer: writes ../openpyxl/*.xlsx from ../canonical.json.

openpyxl never computes formulas and cannot store a cached value, so every
formula cell in its files has <f> and no <v>.
"""
import datetime, json, os, sys
import openpyxl
from openpyxl.utils import column_index_from_string
from openpyxl.utils.cell import coordinate_from_string

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "openpyxl")
CANON = json.load(open(os.path.join(HERE, "..", "canonical.json"), encoding="utf-8"))


def iso(v):
    if "T" in v:
        return datetime.datetime.fromisoformat(v)
    return datetime.date.fromisoformat(v)


def fill(ws, sheet):
    for c in sheet["cells"]:
        cell = ws[c["r"]]
        t = c["t"]
        if t == "d":
            cell.value = iso(c["v"])
        elif t == "f":
            cell.value = "=" + c["f"]  # no cached value possible
        else:
            cell.value = c["v"]
        if c.get("fmt"):
            cell.number_format = c["fmt"]
    for m in sheet["merges"]:
        ws.merge_cells(m)


def write(spec, name=None):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in spec["sheets"]:
        fill(wb.create_sheet(sheet["name"]), sheet)
    wb.save(os.path.join(OUT, name or spec["name"]))


def write_only(spec, name):
    """write_only=True streams rows; merges still possible on the sheet."""
    wb = openpyxl.Workbook(write_only=True)
    for sheet in spec["sheets"]:
        ws = wb.create_sheet(sheet["name"])
        byrow = {}
        for c in sheet["cells"]:
            col, row = coordinate_from_string(c["r"])
            byrow.setdefault(row, {})[column_index_from_string(col)] = c
        for r in range(1, max(byrow) + 1):
            cells = byrow.get(r, {})
            vals = [None] * (max(cells) if cells else 0)
            for ci, c in cells.items():
                vals[ci - 1] = iso(c["v"]) if c["t"] == "d" else c["v"]
            ws.append(vals)
        for m in sheet["merges"]:
            ws.merged_cells.add(m)
    wb.save(os.path.join(OUT, name))


def formulas_nocache():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公式"
    rows = [["项目", "数值", "公式"],
            ["研发经费投入（万元）", 2379.42, "=B2*2"],
            ["技术服务收入（万元）", 943.81, "=SUM(B2:B3)"],
            ["平台名称", "稀土", '=A4&"中心"'],
            ["错误", 0, "=1/B5"],
            ["跨表", None, "=cells!B2"]]
    for r in rows:
        ws.append(r)
    ws2 = wb.create_sheet("cells")
    ws2["B2"] = 42
    wb.save(os.path.join(OUT, "formulas_nocache.xlsx"))


def main():
    os.makedirs(OUT, exist_ok=True)
    for spec in CANON["files"]:
        write(spec)
    write_only(CANON["files"][0], "roster_tic_write_only.xlsx")
    formulas_nocache()


if __name__ == "__main__":
    main()
