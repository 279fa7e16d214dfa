#!/usr/bin/python3
"""The baseline: the enclave assessment as an evaluator would script it.

pandas (Debian's python3-pandas) reads the register and the year's enclave
roster with openpyxl, the weighted indicator score of config/default.yaml is
computed for every enclave (w × min(value / target, 1), with the sub-type
targets), graded at 60, ranked, and the ranked table written with openpyxl.
It is what `assessor run` is measured against (bench/compare.sh); it skips
everything else the engine does (problems, rules across years, funds,
history), so the comparison favours it.

Usage: baseline.py CONFIG.yaml REGISTER.xlsx ROSTER.xlsx OUT.xlsx
"""
import re
import sys

import pandas as pd
import yaml


def label(text):
    """The header text without its unit: 技术合同成交额（元） → 技术合同成交额."""
    return re.sub(r"[（(][^）)]*[）)]\s*$", "", str(text)).strip()


def number(series):
    """Numbers as people type them: 1,234.5 and text; — and blanks missing."""
    text = series.astype(str).str.replace(",", "", regex=False).str.strip()
    return pd.to_numeric(text, errors="coerce")


def main(config_path, register_path, roster_path, out_path):
    with open(config_path, encoding="utf-8") as fh:
        cfg = yaml.safe_load(fh)
    enclave = cfg["programmes"]["enclave"]
    indicators = [i for i in enclave["indicators"] if i.get("weight")]

    register = pd.read_excel(register_path, header=1, engine="openpyxl")
    register = register.rename(columns={"平台编号": "id", "建设模式": "subtype_name", "所在盟市": "league"})
    subtypes = {s["name"]: s["code"] for s in enclave["subtypes"]}
    for s in enclave["subtypes"]:
        for a in s.get("aliases", []):
            subtypes[a] = s["code"]
    register["subtype"] = register["subtype_name"].map(subtypes)

    # Two header rows: the group labels over the indicator names.
    roster = pd.read_excel(roster_path, header=[2, 3], engine="openpyxl")
    columns = []
    for top, sub in roster.columns:
        text = sub if not str(sub).startswith("Unnamed") else top
        columns.append(str(text))
    roster.columns = columns
    roster = roster[roster["平台编号"].astype(str).str.startswith("FD-")]
    units = {label(c): c for c in columns}

    df = roster.merge(register[["id", "subtype", "league"]], left_on="平台编号", right_on="id", how="left")
    score = pd.Series(0.0, index=df.index)
    for ind in indicators:
        names = [ind["name"]] + ind.get("aliases", [])
        col = next((units[n] for n in names if n in units), None)
        if col is None:
            continue
        value = number(df[col])
        if "（元）" in col:
            value = value / 10000
        target = df["subtype"].map(ind.get("subtype_targets", {})).fillna(ind["target"])
        score += ind["weight"] * (value / target).clip(upper=1).fillna(0)
    df["得分"] = score.round(2)
    df["等次"] = ["合格" if s >= 60 else "不合格" for s in df["得分"]]
    df["排名"] = df["得分"].rank(ascending=False, method="min").astype(int)
    df = df.sort_values(["排名", "平台编号"])
    df.to_excel(out_path, sheet_name="科创飞地", index=False, engine="openpyxl")
    print(f"{out_path}: {len(df)} enclaves ranked")


if __name__ == "__main__":
    main(*sys.argv[1:5])
