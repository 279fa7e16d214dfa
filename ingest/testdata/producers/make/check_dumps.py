#!/usr/bin/python3
"""Compares every <producer>/<file>.xlsx.cells.json with ../canonical.json and
prints the differences (what each file really holds).  Informational only.

A file is matched to the canonical workbook whose name (without .xlsx) is the
longest prefix of its own name: roster_tic_stream.xlsx -> roster_tic.xlsx.
"""
import glob, json, math, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
CANON = {f["name"][:-5]: f for f in json.load(open(os.path.join(ROOT, "canonical.json"), encoding="utf-8"))["files"]}


def expected(c):
    t, v = c["t"], c["v"]
    if t == "d":
        return "d", v if "T" in v else v + "T00:00:00"
    if t == "f":
        return c["vt"], v
    return t, v


def same(et, ev, got):
    if got is None:
        return False
    if et != got["t"]:
        return False
    if et == "n":
        return math.isclose(ev, got["v"], rel_tol=1e-12, abs_tol=1e-15)
    return ev == got["v"]


def short(x):
    s = json.dumps(x, ensure_ascii=False)
    return s if len(s) < 60 else s[:57] + "..."


def check(path):
    base = os.path.basename(path)[:-len(".xlsx.cells.json")]
    key = max((k for k in CANON if base.startswith(k)), key=len, default=None)
    if key is None:
        return ["(no canonical counterpart)"]
    dump = json.load(open(path, encoding="utf-8"))
    out = []
    if dump["date1904"]:
        out.append("date1904")
    for sh in CANON[key]["sheets"]:
        got = next((s for s in dump["sheets"] if s["name"] == sh["name"]), None)
        if got is None:
            out.append("sheet %s missing" % sh["name"])
            continue
        if sorted(sh["merges"]) != got["merges"]:
            out.append("%s merges %s" % (sh["name"], got["merges"]))
        seen = set()
        for c in sh["cells"]:
            seen.add(c["r"])
            et, ev = expected(c)
            g = got["cells"].get(c["r"])
            if not same(et, ev, g):
                out.append("%s!%s want %s %s got %s" % (sh["name"], c["r"], et, short(ev),
                                                      "nothing" if g is None else "%s %s" % (g["t"], short(g["v"]))))
            elif c.get("fmt") and g["fmt"] != c["fmt"]:
                out.append("%s!%s fmt %r (want %r)" % (sh["name"], c["r"], g["fmt"], c["fmt"]))
        for r, g in got["cells"].items():
            if r not in seen:
                out.append("%s!%s extra %s %s" % (sh["name"], r, g["t"], short(g["v"])))
    return out


def main():
    paths = sys.argv[1:] or sorted(glob.glob(os.path.join(ROOT, "*", "*.xlsx.cells.json")))
    for p in paths:
        diffs = check(p)
        rel = os.path.relpath(p, ROOT)[:-len(".cells.json")]
        print("%s: %s" % (rel, "same as canonical" if not diffs else ""))
        for d in diffs:
            print("    " + d)


if __name__ == "__main__":
    main()
