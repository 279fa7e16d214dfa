#!/usr/bin/python3
"""Handmade producer: writes ../handmade/*.xlsx, zip packages whose XML is
written here by hand (string templates, no spreadsheet library), from
../canonical.json, each with one deliberate twist (see README.md).
"""
import datetime
import json
import os
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "handmade")
CANON = json.load(open(os.path.join(HERE, "..", "canonical.json"), encoding="utf-8"))
FILES = {f["name"]: f for f in CANON["files"]}

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument."
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
BUILTIN_FMT = {"General": 0, "0": 1, "0.00": 2, "0%": 9, "0.00%": 10, "m/d/yyyy": 14}
EPOCH = datetime.datetime(1899, 12, 30)


def col_index(ref):
    letters = "".join(ch for ch in ref if ch.isalpha())
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n, int(ref[len(letters):])


def col_name(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def num(v):
    """A number as Excel writes it in <v>: shortest round-trip, E notation."""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    s = repr(v)
    if "e" in s:
        mant, exp = s.split("e")
        s = "%sE%s%d" % (mant, "-" if exp.startswith("-") else "+", abs(int(exp)))
    return s


def iso_dt(v):
    if "T" in v:
        return datetime.datetime.fromisoformat(v)
    return datetime.datetime.fromisoformat(v + "T00:00:00")


def serial(v):
    d = iso_dt(v) - EPOCH
    return d.days + d.seconds / 86400.0


def t_elem(s):
    sp = ' xml:space="preserve"' if s != s.strip() or "\n" in s else ""
    if s == "":
        return "<t/>"
    return "<t%s>%s</t>" % (sp, escape(s))


class Styles:
    """cellXfs built from the number formats the cells use."""

    def __init__(self):
        self.xfs = [0]  # numFmtId per xf; xf 0 is General
        self.custom = {}  # format code -> id

    def xf(self, fmt):
        if not fmt or fmt == "General":
            return 0
        fid = BUILTIN_FMT.get(fmt)
        if fid is None:
            fid = self.custom.setdefault(fmt, 176 + len(self.custom))
        if fid not in self.xfs:
            self.xfs.append(fid)
        return self.xfs.index(fid)

    def xml(self):
        parts = [DECL, '<styleSheet xmlns="%s">' % NS]
        if self.custom:
            parts.append('<numFmts count="%d">' % len(self.custom))
            for code, fid in self.custom.items():
                parts.append('<numFmt numFmtId="%d" formatCode="%s"/>' % (fid, escape(code, {'"': "&quot;"})))
            parts.append("</numFmts>")
        parts.append('<fonts count="1"><font><sz val="11"/><color theme="1"/><name val="等线"/><family val="2"/>'
                     '<charset val="134"/><scheme val="minor"/></font></fonts>'
                     '<fills count="2"><fill><patternFill patternType="none"/></fill>'
                     '<fill><patternFill patternType="gray125"/></fill></fills>'
                     '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                     '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>')
        parts.append('<cellXfs count="%d">' % len(self.xfs))
        for fid in self.xfs:
            extra = ' applyNumberFormat="1"' if fid else ""
            parts.append('<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0"%s/>' % (fid, extra))
        parts.append('</cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
                     '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" '
                     'defaultPivotStyle="PivotStyleLight16"/></styleSheet>')
        return "".join(parts)


class SST:
    def __init__(self):
        self.items = []  # raw <si> inner xml
        self.index = {}
        self.count = 0

    def add(self, s=None, raw=None):
        key = raw if raw is not None else t_elem(s)
        self.count += 1
        if key not in self.index:
            self.index[key] = len(self.items)
            self.items.append(key)
        return self.index[key]

    def xml(self):
        body = "".join("<si>%s</si>" % si for si in self.items)
        return DECL + '<sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>' % (NS, self.count, len(self.items), body)


def cell_xml(c, o, sst, styles):
    """One <c>; c is a canonical cell (or a handmade one with 'raw')."""
    r_attr = "" if o.get("no_r") else ' r="%s"' % c["r"]
    s = styles.xf(c.get("fmt")) if styles else 0
    s_attr = ' s="%d"' % s if s else ""
    t, v = c["t"], c.get("v")
    if "raw" in c:  # handmade special cell: full inner xml and type
        return '<c%s%s%s>%s</c>' % (r_attr, s_attr, c["tattr"], c["raw"])
    if t == "s":
        if o.get("strings") == "inline":
            return '<c%s%s t="inlineStr"><is>%s</is></c>' % (r_attr, s_attr, t_elem(v))
        if c.get("si_raw"):
            return '<c%s%s t="s"><v>%d</v></c>' % (r_attr, s_attr, sst.add(raw=c["si_raw"]))
        return '<c%s%s t="s"><v>%d</v></c>' % (r_attr, s_attr, sst.add(v))
    if t == "n":
        return '<c%s%s><v>%s</v></c>' % (r_attr, s_attr, c.get("vtext") or num(v))
    if t == "b":
        return '<c%s%s t="b"><v>%s</v></c>' % (r_attr, s_attr, num(v))
    if t == "d":
        if o.get("dates") == "iso":
            return '<c%s%s t="d"><v>%s</v></c>' % (r_attr, s_attr, iso_dt(v).isoformat())
        return '<c%s%s><v>%s</v></c>' % (r_attr, s_attr, num(serial(v)))
    if t == "f":
        if c["vt"] == "e":
            return '<c%s%s t="e"><f>%s</f><v>%s</v></c>' % (r_attr, s_attr, escape(c["f"]), escape(v))
        return '<c%s%s><f>%s</f><v>%s</v></c>' % (r_attr, s_attr, escape(c["f"]), num(v))
    raise ValueError(t)


def sheet_xml(sheet, o, sst, styles):
    rows = {}
    for c in sheet["cells"]:
        ci, ri = col_index(c["r"])
        rows.setdefault(ri, {})[ci] = c
    maxr = max(rows)
    maxc = max(max(r) for r in rows.values())
    parts = [DECL, '<worksheet xmlns="%s" xmlns:r="%s">' % (NS, NS_R)]
    if not o.get("no_r"):
        parts.append('<dimension ref="A1:%s%d"/>' % (col_name(maxc), maxr))
    parts.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
                 '<sheetFormatPr defaultRowHeight="14.25"/><sheetData>')
    for ri in range(1, maxr + 1):
        cells = rows.get(ri)
        if o.get("no_r"):
            # position is implicit: every row is written, gaps are empty <c/>
            if not cells:
                parts.append("<row/>")
                continue
            parts.append("<row>")
            for ci in range(1, max(cells) + 1):
                parts.append(cell_xml(cells[ci], o, sst, styles) if ci in cells else "<c/>")
            parts.append("</row>")
            continue
        if not cells:
            continue
        parts.append('<row r="%d" spans="%d:%d">' % (ri, min(cells), max(cells)))
        for ci in sorted(cells):
            parts.append(cell_xml(cells[ci], o, sst, styles))
        parts.append("</row>")
    parts.append("</sheetData>")
    if sheet["merges"]:
        parts.append('<mergeCells count="%d">%s</mergeCells>' % (
            len(sheet["merges"]), "".join('<mergeCell ref="%s"/>' % m for m in sheet["merges"])))
    parts.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
    return "".join(parts)


def rels_xml(rels):
    body = "".join('<Relationship Id="%s" Type="%s%s" Target="%s"/>' % r for r in rels)
    return DECL + '<Relationships xmlns="%s">%s</Relationships>' % (NS_PR, body)


def package(spec, name, **o):
    """Writes one workbook.  Options:
    strings: "sst" (default) or "inline"; no_r; styles (default True);
    abs_paths; folder (default "xl"); dates: "serial" (default) or "iso";
    date1904; docprops (default True)."""
    folder = o.get("folder", "xl")
    use_styles = o.get("styles", True)
    sst = SST()
    styles = Styles() if use_styles else None
    sheets = [sheet_xml(sh, o, sst, styles) for sh in spec["sheets"]]
    use_sst = o.get("strings", "sst") != "inline" and sst.items

    def target(path_in_folder):  # rel target from the workbook part
        return "/%s/%s" % (folder, path_in_folder) if o.get("abs_paths") else path_in_folder

    files = []
    ct = ['<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          '<Override PartName="/%s/workbook.xml" ContentType="%sspreadsheetml.sheet.main+xml"/>' % (folder, CT)]
    wb_rels = []
    sheet_entries = []
    for i, (sh, xml) in enumerate(zip(spec["sheets"], sheets), 1):
        files.append(("%s/worksheets/sheet%d.xml" % (folder, i), xml))
        ct.append('<Override PartName="/%s/worksheets/sheet%d.xml" ContentType="%sspreadsheetml.worksheet+xml"/>'
                  % (folder, i, CT))
        wb_rels.append(("rId%d" % i, REL, "worksheet", target("worksheets/sheet%d.xml" % i)))
        sheet_entries.append('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (escape(sh["name"]), i, i))
    n = len(sheets)
    if use_styles:
        files.append(("%s/styles.xml" % folder, styles.xml()))
        ct.append('<Override PartName="/%s/styles.xml" ContentType="%sspreadsheetml.styles+xml"/>' % (folder, CT))
        n += 1
        wb_rels.append(("rId%d" % n, REL, "styles", target("styles.xml")))
    if use_sst:
        files.append(("%s/sharedStrings.xml" % folder, sst.xml()))
        ct.append('<Override PartName="/%s/sharedStrings.xml" ContentType="%sspreadsheetml.sharedStrings+xml"/>'
                  % (folder, CT))
        n += 1
        wb_rels.append(("rId%d" % n, REL, "sharedStrings", target("sharedStrings.xml")))
    pr = ' date1904="1"' if o.get("date1904") else ""
    wb = (DECL + '<workbook xmlns="%s" xmlns:r="%s"><workbookPr%s/>'
          '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/></bookViews>'
          '<sheets>%s</sheets><calcPr calcId="191029"/></workbook>') % (NS, NS_R, pr, "".join(sheet_entries))
    files.append(("%s/workbook.xml" % folder, wb))
    files.append(("%s/_rels/workbook.xml.rels" % folder, rels_xml(wb_rels)))
    root_rels = [("rId1", REL, "officeDocument", ("/" if o.get("abs_paths") else "") + "%s/workbook.xml" % folder)]
    if o.get("docprops", True):
        files.append(("docProps/app.xml", DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                      '<Application>handmade (assessor fixtures)</Application></Properties>'))
        ct.append('<Override PartName="/docProps/app.xml" ContentType="%sextended-properties+xml"/>' % CT)
        root_rels.append(("rId2", REL, "extended-properties", ("/" if o.get("abs_paths") else "") + "docProps/app.xml"))
    files.append(("_rels/.rels", rels_xml(root_rels)))
    files.insert(0, ("[Content_Types].xml", DECL + '<Types xmlns="%s">%s</Types>' % (NS_CT, "".join(ct))))
    with zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files:
            zi = zipfile.ZipInfo(path, date_time=(2025, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data.encode("utf-8"))


def copy_spec(spec):
    return json.loads(json.dumps(spec))


def register_numeric_id():
    spec = copy_spec(FILES["register.xlsx"])
    for c in spec["sheets"][0]["cells"]:
        if c["v"] == "150102199001011234":
            # what Excel stores once someone typed the id into a General cell:
            # 15 significant digits, shown as 1.50102E+17
            c["t"], c["v"], c["vtext"] = "n", 1.50102199001011e17, "1.50102199001011E+17"
    return spec


def strings_special():
    cells = [
        {"r": "A1", "t": "s", "v": "说明"}, {"r": "B1", "t": "s", "v": "值"},
        {"r": "A2", "t": "s", "v": "公式字符串"},
        {"r": "B2", "t": "raw", "tattr": ' t="str"', "raw": '<f>B3&amp;"中心"</f><v>稀土中心</v>'},
        {"r": "A3", "t": "s", "v": "文本"}, {"r": "B3", "t": "s", "v": "稀土"},
        {"r": "A4", "t": "s", "v": "回车换行"},
        {"r": "B4", "t": "s", "si_raw": '<t xml:space="preserve">第一行_x000D_\n第二行</t>'},
        {"r": "A5", "t": "s", "v": "富文本"},
        {"r": "B5", "t": "s", "si_raw": '<r><rPr><b/><sz val="11"/><rFont val="宋体"/><charset val="134"/></rPr>'
                                        '<t>研发经费投入</t></r><r><rPr><sz val="9"/><color rgb="FFFF0000"/>'
                                        '<rFont val="宋体"/><charset val="134"/></rPr><t>（万元）</t></r>'},
        {"r": "A6", "t": "s", "v": "转义的下划线"},
        {"r": "B6", "t": "s", "si_raw": "<t>_x005F_x000D_</t>"},
        {"r": "A7", "t": "s", "v": "制表符"},
        {"r": "B7", "t": "s", "si_raw": "<t>a_x0009_b</t>"},
        {"r": "A8", "t": "s", "v": "公式文本数字"},
        {"r": "B8", "t": "raw", "tattr": ' t="str"', "raw": '<f>TEXT(2025,"0")</f><v>2025</v>'},
        {"r": "A9", "t": "s", "v": "拼音注音"},
        {"r": "B9", "t": "s", "si_raw": '<t>包头</t><rPh sb="0" eb="2"><t>バオトウ</t></rPh>'
                                        '<phoneticPr fontId="0" type="noConversion"/>'},
    ]
    return {"name": "strings_special.xlsx", "sheets": [{"name": "特殊字符串", "merges": [], "cells": cells}]}


def main():
    os.makedirs(OUT, exist_ok=True)
    package(FILES["roster_tic.xlsx"], "roster_tic.xlsx")
    package(FILES["roster_tic.xlsx"], "roster_tic_no_r.xlsx", no_r=True)
    package(FILES["roster_enclave.xlsx"], "roster_enclave_inlinestr.xlsx", strings="inline")
    package(FILES["roster_enclave.xlsx"], "roster_enclave_nostyles.xlsx", styles=False)
    package(register_numeric_id(), "register_numeric_id.xlsx")
    package(FILES["register.xlsx"], "register_nonstd_folder.xlsx", folder="data")
    package(FILES["form_tic.xlsx"], "form_tic_nonstd_folder.xlsx", folder="data", styles=False)
    package(FILES["form_tic.xlsx"], "form_tic_no_r.xlsx", no_r=True)
    package(FILES["form_enclave.xlsx"], "form_enclave_abspaths.xlsx", abs_paths=True)
    package(FILES["cells.xlsx"], "cells.xlsx")
    package(FILES["cells.xlsx"], "cells_isodate.xlsx", dates="iso")
    package(strings_special(), "strings_special.xlsx")


if __name__ == "__main__":
    main()
