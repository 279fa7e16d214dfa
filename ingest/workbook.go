package ingest

import (
	"archive/zip"
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
		res.file.Status = dataset.FileRejected
		res.problems = append(res.problems, dataset.Problem{Location: loc, Severity: dataset.Error, Code: code, Reason: reason})
		return res
	}
	if code, reason := sniff(path); code != "" {
		return reject(code, reason)
	}
	if code, reason := checkPackage(path, r.cfg.Ingest.MaxUnzipBytes); code != "" {
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
	for _, sheet := range sheets {
		sh, problems, err := r.readSheet(ctx, f, file.Path, sheet, date1904)
		if err != nil {
			res.release()
			res.sheets = nil
			return res
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

// checkPackage reads a zip package's directory: a damaged or truncated archive,
// or one whose parts would unpack to more than limit bytes (a decompression
// bomb), is refused before anything is unpacked.
func checkPackage(path string, limit int64) (code, reason string) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "corrupt_workbook", "工作簿已损坏或不完整（ZIP 目录无法读取，可能是传输中断）：" + err.Error()
	}
	defer zr.Close()
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(limit) {
			return "too_large", fmt.Sprintf("解压后超过 %d 字节的上限（可能是压缩炸弹），未读取", limit)
		}
	}
	return "", ""
}
