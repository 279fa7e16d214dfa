package ingest

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
)

// Relationship types the package inspection cares about (by their last path
// element, which is the same in the transitional and strict namespaces).
const (
	relOfficeDocument = "officeDocument"
	relSharedStrings  = "sharedStrings"
	relWorksheet      = "worksheet"
	relChartsheet     = "chartsheet"
	relDialogsheet    = "dialogsheet"
	relMacrosheet     = "xlMacrosheet"
	relIntlMacrosheet = "xlIntlMacrosheet"
)

// excelizeSharedStrings is the one place excelize looks for shared strings.
const excelizeSharedStrings = "xl/sharedStrings.xml"

// maxPartBytes caps the package parts the inspection reads whole (the
// relationships and the workbook part).
const maxPartBytes = 16 << 20

// packageInfo is what a look at a workbook package's structure tells before the
// spreadsheet library opens it: parts excelize would miss, what kind each
// sheet is, and formulas saved without their computed values.
type packageInfo struct {
	sheetKinds map[string]string // sheet name → relationship type (worksheet, chartsheet ...)
	sheetParts map[string]string // sheet name → part path
	// uncalculated maps a worksheet name to its formula cells that have no
	// cached value, cell reference → formula.
	uncalculated map[string]map[string]string
}

// inspectPackage reads a zip package's directory and structure. It returns a
// refusal (code and reason) for a package the engine cannot read faithfully:
// damaged, over the size cap, or with its shared strings where excelize does not
// look for them (it would silently read every text cell as empty). A structure
// it cannot make sense of is left to the spreadsheet library: info may then be
// partial, never wrong.
func inspectPackage(p string, limit int64) (info packageInfo, code, reason string) {
	info = packageInfo{sheetKinds: map[string]string{}, sheetParts: map[string]string{}, uncalculated: map[string]map[string]string{}}
	zr, err := zip.OpenReader(p)
	if err != nil {
		return info, "corrupt_workbook", "工作簿已损坏或不完整（ZIP 目录无法读取，可能是传输中断）：" + err.Error()
	}
	defer zr.Close()
	parts := map[string]*zip.File{}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(limit) {
			return info, "too_large", fmt.Sprintf("解压后超过 %d 字节的上限（可能是压缩炸弹），未读取", limit)
		}
		parts[strings.ToLower(normalizePart(f.Name))] = f
	}

	workbook := target("", relsOf(parts, "_rels/.rels"), relOfficeDocument)
	if workbook == "" {
		return info, "", "" // no office document relationship: leave it to the library
	}
	wbRels := relsOf(parts, path.Join(path.Dir(workbook), "_rels", path.Base(workbook)+".rels"))
	if sst := target(path.Dir(workbook), wbRels, relSharedStrings); sst != "" && !strings.EqualFold(sst, excelizeSharedStrings) {
		if _, ok := parts[strings.ToLower(sst)]; ok {
			return info, "unsupported_layout", fmt.Sprintf("工作簿的共享字符串存放在非标准位置（%s），本工具读取时会丢失全部文本；请用 Excel 或 WPS 打开后另存为 .xlsx 再提交", sst)
		}
	}
	byID := map[string]relationship{}
	for _, r := range wbRels {
		byID[r.ID] = r
	}
	for _, s := range sheetsOf(parts, workbook) {
		r, ok := byID[s.RID]
		if !ok {
			continue
		}
		info.sheetKinds[s.Name] = relKind(r.Type)
		info.sheetParts[s.Name] = resolve(path.Dir(workbook), r.Target)
	}
	for name, part := range info.sheetParts {
		if info.sheetKinds[name] != relWorksheet {
			continue
		}
		if f, ok := parts[strings.ToLower(part)]; ok {
			if cells := uncalculatedFormulas(f); len(cells) > 0 {
				info.uncalculated[name] = cells
			}
		}
	}
	return info, "", ""
}

// normalizePart turns a zip entry name into a part path: forward slashes, no
// leading slash.
func normalizePart(name string) string {
	return strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/")
}

// relationship is one entry of a .rels part.
type relationship struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

// relsOf reads a relationships part; nil when absent or unreadable.
func relsOf(parts map[string]*zip.File, name string) []relationship {
	var doc struct {
		Rels []relationship `xml:"Relationship"`
	}
	if !decodePart(parts, name, &doc) {
		return nil
	}
	return doc.Rels
}

// sheetEntry is a sheet listed in the workbook part.
type sheetEntry struct {
	Name string `xml:"name,attr"`
	RID  string `xml:"id,attr"` // r:id, matched by local name
}

// sheetsOf lists the sheets of the workbook part.
func sheetsOf(parts map[string]*zip.File, workbook string) []sheetEntry {
	var doc struct {
		Sheets []sheetEntry `xml:"sheets>sheet"`
	}
	decodePart(parts, workbook, &doc)
	return doc.Sheets
}

// decodePart decodes a small XML part; false when absent, too large or invalid.
func decodePart(parts map[string]*zip.File, name string, v any) bool {
	f, ok := parts[strings.ToLower(name)]
	if !ok || f.UncompressedSize64 > maxPartBytes {
		return false
	}
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, maxPartBytes)).Decode(v) == nil
}

// target resolves the target of the first relationship of the given kind,
// relative to base; "" when there is none.
func target(base string, rels []relationship, kind string) string {
	for _, r := range rels {
		if relKind(r.Type) == kind {
			return resolve(base, r.Target)
		}
	}
	return ""
}

// relKind is the last path element of a relationship type.
func relKind(t string) string { return t[strings.LastIndex(t, "/")+1:] }

// resolve resolves a relationship target against the folder of its source.
func resolve(base, t string) string {
	t = strings.ReplaceAll(t, `\`, "/")
	if strings.HasPrefix(t, "/") {
		return path.Clean(strings.TrimPrefix(t, "/"))
	}
	return strings.TrimPrefix(path.Clean(path.Join(base, t)), "/")
}

// uncalculatedFormulas finds the formula cells of a worksheet part saved
// without a cached value (as libraries that cannot compute formulas write
// them): excelize reads such a cell as empty. A part without any formula tag is
// passed over by a streaming byte scan; only one with formulas is tokenized.
func uncalculatedFormulas(f *zip.File) map[string]string {
	if !hasFormulaTag(f) {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	out := map[string]string{}
	dec := xml.NewDecoder(bufio.NewReaderSize(rc, 1<<16))
	var cell, formula string
	var inCell, hasValue, inFormula bool
	for {
		tok, err := dec.RawToken()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "c":
				inCell, hasValue, formula, cell = true, false, "", attr(t, "r")
			case "f":
				inFormula = inCell
			case "v", "is":
				hasValue = hasValue || inCell
			}
		case xml.CharData:
			if inFormula {
				formula += string(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "f":
				inFormula = false
				if formula == "" {
					formula = "（共享公式）"
				}
			case "c":
				if formula != "" && !hasValue && cell != "" {
					out[cell] = formula
				}
				inCell = false
			}
		}
	}
	return out
}

// hasFormulaTag scans a part's bytes for a formula element, <f> or <x:f>,
// without decoding the XML.
func hasFormulaTag(f *zip.File) bool {
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	buf := make([]byte, 1<<16)
	var prev [2]byte // the last two bytes of the previous chunk
	for {
		n, err := rc.Read(buf)
		chunk := append(prev[:], buf[:n]...)
		for i := 1; i+1 < len(chunk); i++ {
			if chunk[i] == 'f' && (chunk[i-1] == '<' || chunk[i-1] == ':') && (chunk[i+1] == '>' || chunk[i+1] == ' ' || chunk[i+1] == '/') {
				return true
			}
		}
		if len(chunk) >= 2 {
			prev = [2]byte{chunk[len(chunk)-2], chunk[len(chunk)-1]}
		}
		if err != nil {
			return false
		}
	}
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
