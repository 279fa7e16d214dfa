package ingest

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"assessor/dataset"
	"assessor/internal/xlsxin"
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

// readFile reads one workbook. Whatever goes wrong with the file becomes a
// problem in the result; a panic on a hostile file is caught and reported
// the same way. Only cancellation is an error.
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
	wb, err := xlsxin.Open(path, xlsxin.Limits{MaxUnzipBytes: r.cfg.Ingest.MaxUnzipBytes})
	if err != nil {
		return reject(r.fileFault("", err))
	}
	defer wb.Close()

	tables := 0
	budget := &cellBudget{left: r.cfg.Ingest.MaxCells}
	for i, sheet := range wb.Sheets() {
		if sheet.Kind != xlsxin.Worksheet {
			res.problems = append(res.problems, dataset.Problem{Location: dataset.Location{File: file.Path, Sheet: sheet.Name},
				Severity: dataset.Info, Code: "not_a_worksheet", Reason: sheetKindNames[sheet.Kind] + "，不含数据表格，未读取"})
			continue
		}
		sh, problems, err := r.readSheet(fileCtx, wb, i, file.Path, budget)
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
		default:
			return reject(r.fileFault(sheet.Name, err))
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
	r.log.Debug().Str("file", file.Path).Str("reader", wb.Reader()).Int("tables", tables).Msg("workbook read")
	return res
}

// fileFault turns a reader error into the code and reason of a file-level
// problem, naming the sheet (when known) and the row where it happened.
func (r *reader) fileFault(sheet string, err error) (code, reason string) {
	where := ""
	if sheet != "" {
		where = fmt.Sprintf("工作表“%s”", sheet)
		var xe *xlsxin.Error
		if errors.As(err, &xe) && xe.Row > 0 {
			where += fmt.Sprintf("第 %d 行", xe.Row)
		}
		where += "："
	}
	detail := "（" + err.Error() + "）"
	switch {
	case errors.Is(err, xlsxin.ErrEmpty):
		return "empty_file", "文件为空（0 字节），可能上传或复制未完成"
	case errors.Is(err, xlsxin.ErrEncrypted):
		return "password_protected", "工作簿设有打开密码（已加密），请取消密码后重新提交"
	case errors.Is(err, xlsxin.ErrLegacy):
		return "legacy_format", "这是旧版二进制 Excel 文件（.xls），请另存为 .xlsx 后重新提交"
	case errors.Is(err, xlsxin.ErrBinary):
		return "unsupported_format", "这是二进制工作簿（.xlsb），请另存为 .xlsx 后重新提交"
	case errors.Is(err, xlsxin.ErrNotZip):
		return "not_a_workbook", "文件内容不是 .xlsx 工作簿（不是 ZIP 包）"
	case errors.Is(err, xlsxin.ErrTooLarge):
		return "too_large", fmt.Sprintf("解压后超过 %d 字节的上限（可能是压缩炸弹），未读取", r.cfg.Ingest.MaxUnzipBytes)
	case errors.Is(err, xlsxin.ErrNoSheets):
		return "no_sheets", "工作簿中没有工作表"
	case errors.Is(err, xlsxin.ErrRowLimit):
		return "row_limit", fmt.Sprintf("%s行号超出 Excel 的上限 %d 行（文件可能已损坏），未读取%s", where, xlsxin.MaxRows, detail)
	case errors.Is(err, xlsxin.ErrSharedString):
		return "corrupt_workbook", where + "单元格引用了不存在的共享字符串（文件已损坏），未读取" + detail
	case errors.Is(err, xlsxin.ErrMissing):
		return "corrupt_workbook", where + "工作簿缺少必需的组成部分（文件不完整或已损坏），未读取" + detail
	case errors.Is(err, xlsxin.ErrCorrupt):
		return "corrupt_workbook", where + "工作簿已损坏或不完整（可能是传输中断），无法打开" + detail
	case errors.Is(err, xlsxin.ErrTooLong):
		return "corrupt_workbook", where + "单元格文本或标记超长（超过 Excel 的上限，文件异常），未读取" + detail
	case errors.Is(err, xlsxin.ErrMalformed), errors.Is(err, xlsxin.ErrOrder), errors.Is(err, xlsxin.ErrBadReference):
		return "corrupt_workbook", where + "工作表内容格式错误（文件已损坏），未读取" + detail
	}
	return "sheet_read_failed", where + "无法读取" + detail
}

// sheetKindNames name the sheets that are not worksheets.
var sheetKindNames = map[xlsxin.SheetKind]string{
	xlsxin.Chartsheet:  "图表工作表",
	xlsxin.Dialogsheet: "对话框工作表",
	xlsxin.Macrosheet:  "宏表（Excel 4.0 宏）",
}
