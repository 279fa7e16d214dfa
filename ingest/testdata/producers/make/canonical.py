#!/usr/bin/python3
"""Writes ../canonical.json: the canonical content every producer writes.

Cell records: {"r": "A1", "t": T, "v": value, "fmt": number format (optional)}
  t = "s"  string (may be "")
  t = "n"  number (JSON int or float)
  t = "b"  boolean
  t = "d"  date or datetime, v is ISO 8601 "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS"
           (a date cell: serial number + date number format, fmt always given)
  t = "f"  formula: "f" is the formula text without "=", "v" the cached value
           Excel would store, "vt" its type ("n" or "e")
Merges are Excel ranges ("A1:P1").  Rows not listed are empty.
"""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "canonical.json")


def col(n):  # 1 -> A
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def cell(ref, v, fmt=None):
    if isinstance(v, bool):
        c = {"r": ref, "t": "b", "v": v}
    elif isinstance(v, (int, float)):
        c = {"r": ref, "t": "n", "v": v}
    elif isinstance(v, str):
        c = {"r": ref, "t": "s", "v": v}
    elif isinstance(v, dict):
        c = dict(v)
        c["r"] = ref
    else:
        raise TypeError(v)
    if fmt:
        c["fmt"] = fmt
    return c


def date(iso, fmt):
    return {"t": "d", "v": iso, "fmt": fmt}


def rows_to_cells(rows, first_row):
    cells = []
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is None:
                continue
            fmt = None
            if isinstance(v, tuple):
                v, fmt = v
            cells.append(cell(col(j + 1) + str(first_row + i), v, fmt))
    return cells


def roster_tic():
    base = ["序号", "平台编号", "平台名称", "年度"]
    groups = [
        ("创新能力", ["研发经费投入（万元）", "突破关键核心技术数（项）", "授权发明专利数（件）", "成果转化数（项）"]),
        ("市场化创新服务能力", ["技术服务收入（万元）", "孵化衍生科技型企业数（家）", "服务科技型中小企业数（家）"]),
        ("运行管理", ["技术指导委员会人数（人）", "其中牵头和共建单位人数（人）", "中心主任在中心工作时间（月）",
                  "研发配套资金（万元）", "自治区财政支持资金（万元）"]),
    ]
    ncols = len(base) + sum(len(g[1]) for g in groups)  # 16 -> A..P
    row2 = list(base)
    row3 = [None] * len(base)
    merges = ["A1:%s1" % col(ncols)] + ["%s2:%s3" % (col(i + 1), col(i + 1)) for i in range(len(base))]
    c = len(base) + 1
    for label, names in groups:
        row2 += [label] + [None] * (len(names) - 1)
        row3 += names
        merges.append("%s2:%s2" % (col(c), col(c + len(names) - 1)))
        c += len(names)
    data = [
        [1, "JSZX-2020-001", "内蒙古自治区稀土功能材料技术创新中心", 2025, 2379.42, 6, 8, 11, 943.81, 4, 61, 11, 2, 12, 2037.83, 950],
        [2, "JSZX-2020-002", "内蒙古自治区现代煤化工技术创新中心", 2025, "12,345.6", 3, 12, 4, 1500, 2, 48, 15, 5, 9.5, 842.94, 900],
        [3, "JSZX-2021-001", "内蒙古自治区乳业技术创新中心", 2025, 980, 2, 5, 3, 620.5, 1, 35, 9, 3, 10, "—", 400],
        [4, "JSZX-2022-003", "内蒙古自治区氢能技术创新中心", "2025年度", 3000, 5, 10, 5, 1000, 3, 50, 12, 4, 11, 1200, 1000],
    ]
    rows = [["2025年度内蒙古自治区技术创新中心年度报告数据"], row2, row3] + data + [[], ["注：金额单位为万元。"]]
    return {"name": "roster_tic.xlsx", "sheets": [{"name": "技术创新中心", "merges": merges, "cells": rows_to_cells(rows, 1)}]}


def roster_enclave():
    header = ["平台编号", "平台名称", "年度", "办公场地面积（平方米）", "全职人员数（人）", "参与实施科研项目数（项）",
              "技术合同成交额（元）", "区内落地转化成果数（项）", "孵化培育科技型企业数（家）", "落地自治区科技项目投资额（万元）",
              "引进培育人才数（人）", "引才活动经费（万元）", "飞入地支持资金（万元）", "非财政支持研发经费投入（万元）",
              "年度目标任务完成率（%）"]
    data = [
        ["FD-2022-001", "包头（上海）科创飞地", 2025, 320, 8, 6, 12000000, 5, 4, 2100, 18, 25, "—", 150, (0.95, "0%")],
        ["FD-2022-002", "鄂尔多斯（深圳）科创飞地", 2025, 150, 6, 3, "5,600,000", 3, 2, 800, 12, 10, "—", 420, "88%"],
        ["FD-2023-005", "华北理工创新研究院（鄂尔多斯）", 2025, 210, 12, 5, 9876543.21, 4, 6, 3300, 30, 5, 60, 200, 100],
    ]
    rows = [["2025年度内蒙古自治区科创飞地年度报告数据"], header] + data
    return {"name": "roster_enclave.xlsx", "sheets": [{"name": "科创飞地", "merges": ["A1:%s1" % col(len(header))],
                                                      "cells": rows_to_cells(rows, 1)}]}


def register():
    header = ["平台编号", "平台名称", "平台类别", "建设模式", "所在盟市", "批复（备案）时间", "牵头单位"]
    data = [
        ["JSZX-2020-001", "内蒙古自治区稀土功能材料技术创新中心", "技术创新中心", None, "包头市", date("2020-10-09", "yyyy-mm-dd"), "包头稀土研究院"],
        ["JSZX-2020-002", "内蒙古自治区现代煤化工技术创新中心", "技术创新中心", None, "鄂尔多斯市", "2020年11月3日", "鄂尔多斯大漠化工股份有限公司"],
        ["FD-2022-001", "包头（上海）科创飞地", "科创飞地", "政府主导型", "包头", "2022-03-15", "包头市科学技术局"],
        ["FD-2022-002", "鄂尔多斯（深圳）科创飞地", "科创飞地", "飞出平台", "鄂尔多斯市", "2022/4/1", "内蒙古鸿源硅材料集团有限公司"],
        ["150102199001011234", "某中心", "技术创新中心", None, "呼和浩特市", "2021.06", "某单位"],
    ]
    rows = [["内蒙古自治区科技创新平台名录"], header] + data
    return {"name": "register.xlsx", "sheets": [{"name": "平台名录", "merges": ["A1:%s1" % col(len(header))],
                                                 "cells": rows_to_cells(rows, 1)}]}


def form_tic():
    rows = [
        ["2025年度内蒙古自治区技术创新中心年度报告"],
        ["填报说明：请在B列填写，金额单位为万元。"],
        ["平台编号", "JSZX-2020-001"],
        ["平台名称", "内蒙古自治区稀土功能材料技术创新中心"],
        ["年度", 2025],
        ["一、创新能力"],
        ["研发经费投入（万元）", 2379.42, "口径：全年"],
        ["突破关键核心技术数（项）", 6],
        ["授权发明专利数（件）", 8],
        ["成果转化数（项）", 11],
        ["二、市场化创新服务能力"],
        ["技术服务收入（万元）", 943.81, "口径：全年"],
        ["孵化衍生科技型企业数（家）", 4],
        ["服务科技型中小企业数（家）", 61],
        ["三、运行管理"],
        ["技术指导委员会人数（人）", 11],
        ["其中牵头和共建单位人数（人）", 2],
        ["中心主任在中心工作时间（月）", 12],
        ["研发配套资金（万元）", 2037.83],
        ["自治区财政支持资金（万元）", 950],
        ["填报人：王某   联系电话：0471-1234567"],
    ]
    return {"name": "form_tic.xlsx", "sheets": [{"name": "年度报告", "merges": ["A1:C1"], "cells": rows_to_cells(rows, 1)}]}


def form_enclave():
    rows = [
        ["2025年度内蒙古自治区科创飞地年度报告填报表"],
        ["平台编号", "FD-2022-001", "年度", 2025],
        ["平台名称", "包头（上海）科创飞地", "办公场地面积（平方米）", 320],
        ["全职人员数（人）", 8, "参与实施科研项目数（项）", 6],
        ["技术合同成交额（万元）", 1200, "区内落地转化成果数（项）", 5],
        ["孵化培育科技型企业数（家）", 4, "落地自治区科技项目投资额（万元）", 2100],
        ["引进培育人才数（人）", 18, "引才活动经费（万元）", 25],
        ["飞入地支持资金（万元）", None, "非财政支持研发经费投入（万元）", 150],
        ["年度目标任务完成率（%）", "95%"],
    ]
    return {"name": "form_enclave.xlsx", "sheets": [{"name": "填报表", "merges": ["A1:D1"], "cells": rows_to_cells(rows, 1)}]}


def cells():
    rows = [
        ["类型", "值"],
        ["整数", 42],
        ["负数", -3.5],
        ["大数", 123456789012],
        ["小数", 1.5e-7],
        ["布尔真", True],
        ["布尔假", False],
        ["字符串", "平台 编号"],
        ["首尾空格", "  x  "],
        ["换行", "第一行\n第二行"],
        ["长字符串", "技" * 1000],
        ["日期", date("2023-12-29", "yyyy-mm-dd")],
        ["日期时间", date("2023-12-29T08:30:00", "yyyy-mm-dd hh:mm")],
        ["公式", {"t": "f", "f": "B2*2", "v": 84, "vt": "n"}],
        ["错误公式", {"t": "f", "f": "1/0", "v": "#DIV/0!", "vt": "e"}],
        ["百分比", (0.3, "0%")],
        ["文本数字", "00123"],
        ["空字符串", ""],
    ]
    wide = [[r * 100 + c for c in range(1, 31)] for r in range(1, 21)]
    return {"name": "cells.xlsx", "sheets": [
        {"name": "cells", "merges": [], "cells": rows_to_cells(rows, 1)},
        {"name": "wide", "merges": [], "cells": rows_to_cells(wide, 1)},
    ]}


def main():
    doc = {
        "about": "Canonical content of the producer fixtures; see README.md. "
                 "t: s string, n number, b bool, d date cell (ISO value + number format), "
                 "f formula (f text without '=', v cached value, vt its type).",
        "files": [roster_tic(), roster_enclave(), register(), form_tic(), form_enclave(), cells()],
    }
    # one cell per line keeps the file short and diffable
    j = lambda o: json.dumps(o, ensure_ascii=False)
    lines = ['{', ' "about": %s,' % j(doc["about"]), ' "files": [']
    for fi, f in enumerate(doc["files"]):
        lines.append('  {"name": %s, "sheets": [' % j(f["name"]))
        for si, sh in enumerate(f["sheets"]):
            lines.append('   {"name": %s, "merges": %s, "cells": [' % (j(sh["name"]), j(sh["merges"])))
            cs = sh["cells"]
            for ci, c in enumerate(cs):
                lines.append('    ' + j(c) + (',' if ci < len(cs) - 1 else ''))
            lines.append('   ]}' + (',' if si < len(f["sheets"]) - 1 else ''))
        lines.append('  ]}' + (',' if fi < len(doc["files"]) - 1 else ''))
    lines += [' ]', '}']
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    json.load(open(OUT, encoding="utf-8"))


if __name__ == "__main__":
    main()
