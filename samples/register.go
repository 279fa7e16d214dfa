package samples

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"assessor/internal/xlsxout"
)

// Register layout.
const (
	registerSheet     = "平台名录"
	registerHelpSheet = "填表说明"
	registerHeaderRow = 2
	registerDateCol   = 7 // G: 批复（备案）时间
)

// registerHeader is the register's header row.
var registerHeader = []string{"序号", "平台编号", "平台名称", "平台类别", "建设模式", "所在盟市", "批复（备案）时间", "牵头单位"}

// registerWidths are the register's column widths.
var registerWidths = []float64{6, 16, 40, 24, 12, 12, 18, 36}

// registerHelp is the text of the instructions sheet.
var registerHelp = []string{
	"填表说明",
	"1. 平台编号按“类别代码-批复（备案）年份-序号”编制：科创飞地为FD，科技成果转移转化示范区为SFQ，技术创新中心为JSZX。",
	"2. 平台类别填写科创飞地、科技成果转移转化示范区、技术创新中心之一。",
	"3. 建设模式仅科创飞地填写：政府主导型、飞出平台、飞入平台。",
	"4. 所在盟市：政府主导型科创飞地填写派出盟市，飞出平台填写建设单位所在盟市，飞入平台填写落地盟市。",
	"5. 批复（备案）时间以自治区科技厅批复或备案文件落款日期为准。",
	"6. 名录由自治区科技厅统一维护，平台信息如有变更，请于每年3月31日前报送。",
}

// writeRegister writes the platform register.
func writeRegister(dir, rel string, pl *plan, bad *[]badCell) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", registerSheet); err != nil {
		return fmt.Errorf("rename sheet: %w", err)
	}
	st, err := newStyles(f, false)
	if err != nil {
		return err
	}
	if err := writeRegisterSheet(f, st, pl, rel, bad); err != nil {
		return fmt.Errorf("sheet %s: %w", registerSheet, err)
	}
	if err := writeHelpSheet(f, st); err != nil {
		return fmt.Errorf("sheet %s: %w", registerHelpSheet, err)
	}
	return xlsxout.Save(f, filepath.Join(dir, filepath.FromSlash(rel)))
}

// writeRegisterSheet streams the register table.
func writeRegisterSheet(f *excelize.File, st styles, pl *plan, rel string, bad *[]badCell) error {
	sw, err := f.NewStreamWriter(registerSheet)
	if err != nil {
		return fmt.Errorf("stream writer: %w", err)
	}
	for i, width := range registerWidths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return fmt.Errorf("column width: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: registerHeaderRow, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("panes: %w", err)
	}
	w := &sheetWriter{sw: sw}
	ncol := len(registerHeader)
	title := fmt.Sprintf("内蒙古自治区创新平台名录（截至%d年3月31日）", pl.opts.LastYear+1)
	if err := w.next([]any{excelize.Cell{StyleID: st.title, Value: title}}, excelize.RowOpts{Height: 32}); err != nil {
		return err
	}
	if err := w.merge(1, 1, ncol, 1); err != nil {
		return err
	}
	header := make([]any, ncol)
	for i, h := range registerHeader {
		header[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := w.next(header, excelize.RowOpts{Height: 24}); err != nil {
		return err
	}
	blankAfter := len(pl.platforms) / 2
	for i := range pl.platforms {
		p := &pl.platforms[i]
		if err := w.next(registerRow(st, i+1, p)); err != nil {
			return err
		}
		if p.mistyped {
			*bad = append(*bad, badCell{rel, registerSheet, cellName(registerDateCol, w.row), p.dateText,
				"批复（备案）时间 with month 13 (a typing error for 3月)"})
		}
		if i+1 == blankAfter {
			if err := w.next(blankRow(ncol, st.text)); err != nil {
				return err
			}
		}
	}
	note := "注：1.平台编号由自治区科技厅统一编制；2.批复（备案）时间以自治区科技厅批复或备案文件为准；3.建设模式仅科创飞地填写；4.本名录动态调整，已撤销平台不再列入。"
	if err := w.next([]any{excelize.Cell{StyleID: st.note, Value: note}}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	return nil
}

// registerRow is one platform's register row.
func registerRow(st styles, seq int, p *platform) []any {
	var date any = textCell(st.text, p.dateText)
	if p.dateText == "" {
		style := st.date0
		if p.dateStyle == 1 {
			style = st.date1
		}
		date = excelize.Cell{StyleID: style, Value: p.approved}
	}
	return []any{
		excelize.Cell{StyleID: st.centre, Value: seq},
		excelize.Cell{StyleID: st.text, Value: p.id},
		excelize.Cell{StyleID: st.text, Value: p.name},
		excelize.Cell{StyleID: st.text, Value: p.categoryText},
		textCell(st.text, p.sub.label()),
		excelize.Cell{StyleID: st.text, Value: p.leagueText},
		date,
		excelize.Cell{StyleID: st.text, Value: p.lead},
	}
}

// writeHelpSheet streams the instructions sheet: lines of text, no table.
func writeHelpSheet(f *excelize.File, st styles) error {
	if _, err := f.NewSheet(registerHelpSheet); err != nil {
		return fmt.Errorf("new sheet: %w", err)
	}
	sw, err := f.NewStreamWriter(registerHelpSheet)
	if err != nil {
		return fmt.Errorf("stream writer: %w", err)
	}
	if err := sw.SetColWidth(1, 1, 110); err != nil {
		return fmt.Errorf("column width: %w", err)
	}
	w := &sheetWriter{sw: sw}
	for i, line := range registerHelp {
		style := st.note
		if i == 0 {
			style = st.subtitle
		}
		if err := w.next([]any{excelize.Cell{StyleID: style, Value: line}}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	return nil
}
