package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/xuri/excelize/v2"

	"assessor/dataset"
)

// fileResult is what reading one file produced.
type fileResult struct {
	file     dataset.File
	sheets   []sheetResult
	problems []dataset.Problem
}

// release drops the record batches of a result that will not be merged.
func (res fileResult) release() {
	for _, sh := range res.sheets {
		for _, rec := range sh.records {
			rec.Release()
		}
	}
}

// unzipXMLLimit is the size above which excelize spills a worksheet part to a
// temporary file instead of holding it in memory.
const unzipXMLLimit = 64 << 20

// readFile reads one workbook. Whatever goes wrong with the file becomes a
// problem in the result; a panic inside the spreadsheet library on a hostile
// file is caught and reported the same way. Only cancellation is an error.
func (r *reader) readFile(ctx context.Context, path string, file dataset.File) (res fileResult) {
	res.file = file
	loc := dataset.Location{File: file.Path}
	fileCtx, cancel := context.WithTimeout(ctx, r.cfg.FileTimeout())
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			res.release()
			res.sheets = nil
			res.file.Status = dataset.FileRejected
			res.problems = append(res.problems, dataset.Problem{Location: loc, Severity: dataset.Error,
				Code: "reader_crashed", Reason: fmt.Sprintf("读取该文件时出现内部错误：%v", p)})
			r.log.Error().Str("file", file.Path).Interface("panic", p).Bytes("stack", debug.Stack()).Msg("reader panic caught")
		}
	}()
	reject := func(code, reason string) fileResult {
		res.release()
		res.sheets, res.problems = nil, nil
		res.file.Status = dataset.FileRejected
		res.problems = append(res.problems, dataset.Problem{Location: loc, Severity: dataset.Error, Code: code, Reason: reason})
		return res
	}
	if code, reason := sniff(path); code != "" {
		return reject(code, reason)
	}
	pkg, code, reason := inspectPackage(path, r.cfg.Ingest.MaxUnzipBytes)
	if code != "" {
		return reject(code, reason)
	}
	f, err := excelize.OpenFile(path, excelize.Options{
		UnzipSizeLimit:    r.cfg.Ingest.MaxUnzipBytes,
		UnzipXMLSizeLimit: min(unzipXMLLimit, r.cfg.Ingest.MaxUnzipBytes),
	})
	if err != nil {
		return reject("corrupt_workbook", "工作簿已损坏或不完整，无法打开："+err.Error())
	}
	defer f.Close()

	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return reject("no_sheets", "工作簿中没有工作表")
	}
	tables := 0
	budget := &cellBudget{left: r.cfg.Ingest.MaxCells}
	for _, sheet := range sheets {
		if kind, ok := pkg.sheetKinds[sheet]; ok && kind != relWorksheet {
			res.problems = append(res.problems, dataset.Problem{Location: dataset.Location{File: file.Path, Sheet: sheet},
				Severity: dataset.Info, Code: "not_a_worksheet", Reason: sheetKindNames[kind] + "，不含数据表格，未读取"})
			continue
		}
		sh, problems, err := r.readSheet(fileCtx, f, file.Path, sheet, date1904, pkg.uncalculated[sheet], budget)
		var se *sheetError
		switch {
		case err == nil:
		case ctx.Err() != nil: // the run is cancelled: this file's result is discarded
			res.release()
			res.sheets = nil
			return res
		case errors.Is(err, context.DeadlineExceeded):
			return reject("timeout", fmt.Sprintf("读取超过 %s 的时限，未读取", r.cfg.FileTimeout()))
		case errors.Is(err, errTooManyCells):
			return reject("too_many_cells", fmt.Sprintf("单元格超过 %d 个的上限（可能是压缩炸弹或异常文件），未读取", r.cfg.Ingest.MaxCells))
		case errors.As(err, &se) && errors.Is(se.err, excelize.ErrMaxRows):
			return reject("row_limit", fmt.Sprintf("工作表“%s”的行号超出 Excel 的上限 %d 行（文件可能已损坏），未读取", sheet, excelize.TotalRows))
		case errors.As(err, &se):
			return reject("sheet_read_failed", fmt.Sprintf("工作表“%s”第 %d 行前后无法读取（文件可能已损坏），未读取：%v", sheet, se.row, se.err))
		default:
			return reject("sheet_read_failed", fmt.Sprintf("工作表“%s”无法读取：%v", sheet, err))
		}
		res.problems = append(res.problems, problems...)
		if sh != nil {
			res.sheets = append(res.sheets, *sh)
			tables++
		}
	}
	if tables == 0 {
		res.problems = append(res.problems, dataset.Problem{Location: loc, Severity: dataset.Warning, Code: "no_table",
			Reason: "该文件中没有找到任何可识别的表（名录或年度报告表）"})
	}
	r.log.Debug().Str("file", file.Path).Int("tables", tables).Msg("workbook read")
	return res
}

// Magic numbers of the containers a file may really be.
var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	// encryptedPackage is the stream name an encrypted OOXML file keeps in its
	// OLE2 container, in UTF-16LE.
	encryptedPackage = []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")
)

// sniff looks at a file's first bytes and names what it is when it is not a zip
// package: empty, password-protected, an old binary workbook, or something else.
func sniff(path string) (code, reason string) {
	f, err := os.Open(path)
	if err != nil {
		return "unreadable_file", "无法打开文件：" + err.Error()
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "unreadable_file", "无法读取文件：" + err.Error()
	}
	head = head[:n]
	switch {
	case n == 0:
		return "empty_file", "文件为空（0 字节），可能上传或复制未完成"
	case bytes.HasPrefix(head, oleMagic) && bytes.Contains(head, encryptedPackage):
		return "password_protected", "工作簿设有打开密码（已加密），请取消密码后重新提交"
	case bytes.HasPrefix(head, oleMagic):
		return "legacy_format", "这是旧版二进制 Excel 文件（.xls），请另存为 .xlsx 后重新提交"
	case !bytes.HasPrefix(head, zipMagic):
		return "not_a_workbook", "文件内容不是 .xlsx 工作簿（不是 ZIP 包）"
	}
	return "", ""
}

// sheetKindNames name the sheets that are not worksheets.
var sheetKindNames = map[string]string{
	relChartsheet:     "图表工作表",
	relDialogsheet:    "对话框工作表",
	relMacrosheet:     "宏表（Excel 4.0 宏）",
	relIntlMacrosheet: "国际宏表",
}
