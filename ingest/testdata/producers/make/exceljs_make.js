// ExcelJS producer: writes ../exceljs/*.xlsx from ../canonical.json.
// Run: NODE_PATH=/tmp/producers-js/node_modules node make/exceljs_make.js
process.env.TZ = "UTC";
const fs = require("fs");
const path = require("path");
const ExcelJS = require("exceljs");

const OUT = path.join(__dirname, "..", "exceljs");
const CANON = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "canonical.json"), "utf8"));

function isoDate(v) {
  return new Date(v.includes("T") ? v + "Z" : v + "T00:00:00Z");
}

function fill(ws, sheet, rich) {
  for (const c of sheet.cells) {
    const cell = ws.getCell(c.r);
    switch (c.t) {
      case "s": cell.value = rich && rich[c.r] ? { richText: rich[c.r] } : c.v; break;
      case "n": case "b": cell.value = c.v; break;
      case "d": cell.value = isoDate(c.v); break;
      case "f": cell.value = { formula: c.f, result: c.vt === "e" ? { error: c.v } : c.v }; break;
      default: throw new Error(c.t);
    }
    if (c.fmt) cell.numFmt = c.fmt;
  }
  for (const m of sheet.merges) ws.mergeCells(m);
}

async function write(spec, name, opts) {
  opts = opts || {};
  const wb = new ExcelJS.Workbook();
  wb.creator = "assessor fixtures";
  wb.created = new Date(Date.UTC(2025, 0, 1));
  wb.modified = wb.created;
  if (opts.date1904) wb.properties.date1904 = true;
  for (const sheet of spec.sheets) fill(wb.addWorksheet(sheet.name), sheet, opts.rich);
  await wb.xlsx.writeFile(path.join(OUT, name || spec.name));
}

// Several runs per cell; the plain text of the runs equals the canonical text.
function richRuns(text) {
  const m = text.match(/^(.*?)(（[^）]*）)$/);
  if (m) return [{ text: m[1], font: { bold: true, name: "宋体", size: 11 } }, { text: m[2], font: { color: { argb: "FFFF0000" }, size: 9, name: "宋体" } }];
  const half = Math.ceil(text.length / 2);
  return [{ text: text.slice(0, half), font: { bold: true } }, { text: text.slice(half), font: { italic: true } }];
}

async function sharedFormula() {
  const tic = CANON.files.find((f) => f.name === "roster_tic.xlsx").sheets[0];
  const get = (r) => { const c = tic.cells.find((x) => x.r === r); return c && c.v; };
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(Date.UTC(2025, 0, 1)); wb.modified = wb.created;
  const ws = wb.addWorksheet("资金合计");
  ws.addRow(["平台编号", "研发配套资金（万元）", "自治区财政支持资金（万元）", "合计（万元）"]);
  const rows = [4, 5, 7]; // numeric rows of roster_tic (row 6 has "—")
  rows.forEach((src, i) => {
    const r = i + 2;
    const b = get("O" + src), c = get("P" + src);
    ws.getCell("A" + r).value = get("B" + src);
    ws.getCell("B" + r).value = b;
    ws.getCell("C" + r).value = c;
    const result = Math.round((b + c) * 100) / 100;
    if (i === 0) ws.getCell("D" + r).value = { formula: "B2+C2", result, shareType: "shared", ref: "D2:D" + (rows.length + 1) };
    else ws.getCell("D" + r).value = { sharedFormula: "D2", result };
  });
  await wb.xlsx.writeFile(path.join(OUT, "shared_formula.xlsx"));
}

(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  const files = Object.fromEntries(CANON.files.map((f) => [f.name, f]));
  for (const spec of CANON.files) await write(spec);
  await write(files["cells.xlsx"], "cells_1904.xlsx", { date1904: true });
  const tic = files["roster_tic.xlsx"];
  const rich = {};
  for (const c of tic.sheets[0].cells) if (c.t === "s" && /^[A-P][123]$/.test(c.r)) rich[c.r] = richRuns(c.v);
  await write(tic, "roster_tic_richtext.xlsx", { rich });
  await sharedFormula();
  console.log("exceljs", require("exceljs/package.json").version);
})();
