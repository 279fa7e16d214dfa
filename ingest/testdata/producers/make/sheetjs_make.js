// SheetJS (npm "xlsx", community edition) producer: writes ../sheetjs/*.xlsx
// from ../canonical.json.
// Run: cd /tmp/producers-js && npm install xlsx exceljs, then
//      NODE_PATH=/tmp/producers-js/node_modules node make/sheetjs_make.js
process.env.TZ = "UTC"; // SheetJS converts Date objects with the local time zone
const fs = require("fs");
const path = require("path");
const XLSX = require("xlsx");

const OUT = path.join(__dirname, "..", "sheetjs");
const CANON = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "canonical.json"), "utf8"));
const ERR = { "#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0f, "#REF!": 0x17, "#NAME?": 0x1d, "#NUM!": 0x24, "#N/A": 0x2a };

function isoDate(v) {
  return new Date(v.includes("T") ? v + "Z" : v + "T00:00:00Z");
}

function sheetFromSpec(sheet) {
  const ws = {};
  let maxR = 0, maxC = 0;
  for (const c of sheet.cells) {
    const a = XLSX.utils.decode_cell(c.r);
    maxR = Math.max(maxR, a.r); maxC = Math.max(maxC, a.c);
    let cell;
    switch (c.t) {
      case "s": cell = { t: "s", v: c.v }; break;
      case "n": cell = { t: "n", v: c.v }; break;
      case "b": cell = { t: "b", v: c.v }; break;
      case "d": cell = { t: "d", v: isoDate(c.v) }; break;
      case "f":
        // SheetJS writes the cell's v next to its f as the cached value
        cell = c.vt === "e" ? { t: "e", f: c.f, v: ERR[c.v], w: c.v } : { t: "n", f: c.f, v: c.v };
        break;
      default: throw new Error(c.t);
    }
    if (c.fmt) cell.z = c.fmt;
    ws[c.r] = cell;
  }
  ws["!ref"] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: maxR, c: maxC } });
  ws["!merges"] = sheet.merges.map((m) => XLSX.utils.decode_range(m));
  return ws;
}

function write(spec, name, opts) {
  const wb = XLSX.utils.book_new();
  for (const sheet of spec.sheets) XLSX.utils.book_append_sheet(wb, sheetFromSpec(sheet), sheet.name);
  XLSX.writeFile(wb, path.join(OUT, name || spec.name), Object.assign({ bookType: "xlsx", compression: true }, opts || {}));
}

// The way most scripts use SheetJS: an array of arrays of JS values.
function registerAoa() {
  const spec = CANON.files.find((f) => f.name === "register.xlsx").sheets[0];
  const rows = [];
  for (const c of spec.cells) {
    const a = XLSX.utils.decode_cell(c.r);
    while (rows.length <= a.r) rows.push([]);
    rows[a.r][a.c] = c.t === "d" ? isoDate(c.v) : c.v;
  }
  const ws = XLSX.utils.aoa_to_sheet(rows); // Date -> number with SheetJS' default date format
  ws["!merges"] = spec.merges.map((m) => XLSX.utils.decode_range(m));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, spec.name);
  XLSX.writeFile(wb, path.join(OUT, "register_aoa.xlsx"), { bookType: "xlsx", compression: true });
}

fs.mkdirSync(OUT, { recursive: true });
const files = Object.fromEntries(CANON.files.map((f) => [f.name, f]));
for (const spec of CANON.files) write(spec); // defaults: bookSST false, cellDates false
write(files["cells.xlsx"], "cells_celldates_true.xlsx", { cellDates: true });
write(files["register.xlsx"], "register_celldates_true.xlsx", { cellDates: true });
write(files["roster_tic.xlsx"], "roster_tic_sst.xlsx", { bookSST: true });
registerAoa();
console.log("sheetjs", XLSX.version);
