package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"assessor/assess"
	"assessor/config"
	"assessor/dataset"
	"assessor/internal/xlsxout"
)

// Sheet names of the result workbook; each programme's ranked sheet is named
// after the programme.
const (
	SheetSummary    = "汇总"
	SheetAccounting = "数据核对"
	SheetIssues     = "问题清单"
)

// statusNames are the statuses as the workbook shows them.
var statusNames = map[assess.Status]string{
	assess.StatusAssessed:  "已评定",
	assess.StatusNoReport:  "未报送",
	assess.StatusDataError: "数据有误",
	assess.StatusConflict:  "重复（未采用）",
	assess.StatusNotDue:    "未到评估期",
}

// StatusName is the Chinese name of a status as the workbook shows it.
func StatusName(s assess.Status) string { return statusNames[s] }

// WriteResults writes the year's result workbook to path: a summary, one ranked
// sheet per programme, the input accounting and every problem found. The file
// appears complete or not at all, and the same inputs give the same bytes.
func WriteResults(path string, cfg *config.Config, res *assess.Result, set *dataset.Set, version string) error {
	problems := append(append([]dataset.Problem(nil), set.Problems...), res.Problems...)
	dataset.SortProblems(problems)
	title := fmt.Sprintf("%d年度创新平台绩效评估结果", res.Year)
	return writeWorkbook(path, cfg, title, res.Year, version, func(st *styles) []*table {
		tables := []*table{summaryTable(res, st)}
		for _, prog := range res.Programmes {
			tables = append(tables, rankedTable(cfg, prog, st))
		}
		return append(tables, accountingTable(cfg, set, res), issuesTable(problems, st))
	})
}

// WriteProblems writes the problems report of a validation: every problem found
// in the input and the account of every file and row, ready to send back to
// whoever filled in the workbooks.
func WriteProblems(path string, cfg *config.Config, set *dataset.Set, found []dataset.Problem, version string) error {
	problems := append(append([]dataset.Problem(nil), set.Problems...), found...)
	dataset.SortProblems(problems)
	return writeWorkbook(path, cfg, "输入数据问题清单", 0, version, func(st *styles) []*table {
		return []*table{issuesTable(problems, st), accountingTable(cfg, set, nil)}
	})
}

// writeWorkbook writes the tables that build makes, with the workbook's styles,
// as the sheets of one workbook.
func writeWorkbook(path string, cfg *config.Config, title string, year int, version string, build func(*styles) []*table) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f, cfg)
	if err != nil {
		return err
	}
	tables := build(st)
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName("Sheet1", t.sheet)
		} else {
			_, err = f.NewSheet(t.sheet)
		}
		if err != nil {
			return fmt.Errorf("sheet %s: %w", t.sheet, err)
		}
	}
	for _, t := range tables {
		if err := t.write(f, st); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	created := cfg.Output.Created
	switch {
	case created == "" && year > 0:
		created = fmt.Sprintf("%d-12-31T00:00:00Z", year)
	case created == "":
		created = "2000-01-01T00:00:00Z" // a fixed date keeps the file reproducible
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: title, Creator: cfg.Output.Author, LastModifiedBy: cfg.Output.Author,
		Created: created, Modified: created, Description: "assessor " + version, Language: "zh-CN",
	}); err != nil {
		return fmt.Errorf("document properties: %w", err)
	}
	if err := xlsxout.Save(f, path); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}

// summaryTable counts, per programme, the platforms of each grade and of each
// status without a grade.
func summaryTable(res *assess.Result, st *styles) *table {
	t := &table{sheet: SheetSummary, columns: []column{
		{title: "平台类别", minWidth: 16}, {title: "等次或状态", minWidth: 14}, {title: "平台数"}, {title: "占已评等次比例"},
	}}
	for _, prog := range res.Programmes {
		p := prog.Config
		graded, byGrade, byStatus := 0, map[string]int{}, map[assess.Status]int{}
		for _, o := range prog.Outcomes {
			if o.Graded() {
				graded++
				byGrade[o.Grade]++
			} else {
				byStatus[o.Status]++
			}
		}
		for _, g := range p.Grades {
			share := excelize.Cell{}
			if graded > 0 {
				share = excelize.Cell{Value: float64(byGrade[g.Code]) / float64(graded), StyleID: st.percent}
			}
			t.rows = append(t.rows, []excelize.Cell{
				{Value: p.Name}, {Value: g.Name, StyleID: st.grade[p.Key()+"/"+g.Code]}, {Value: byGrade[g.Code]}, share,
			})
		}
		for _, s := range []assess.Status{assess.StatusDataError, assess.StatusConflict, assess.StatusNotDue} {
			if byStatus[s] > 0 {
				t.rows = append(t.rows, []excelize.Cell{{Value: p.Name}, {Value: statusNames[s]}, {Value: byStatus[s]}, {}})
			}
		}
		t.rows = append(t.rows, []excelize.Cell{{Value: p.Name}, {Value: "合计"}, {Value: len(prog.Outcomes)}, {}})
	}
	return t
}

// rankedTable lists a programme's outcomes, ranked ones first, with the reasons
// and the indicator values behind each score.
func rankedTable(cfg *config.Config, prog *assess.Programme, st *styles) *table {
	p := prog.Config
	hasSubtypes := len(p.Subtypes) > 0
	cols := []column{{title: "排名", minWidth: 6}, {title: "平台编号", minWidth: 12}, {title: "平台名称", minWidth: 24, maxWidth: 44}}
	if hasSubtypes {
		cols = append(cols, column{title: "建设模式"})
	}
	cols = append(cols, column{title: "所在盟市"}, column{title: "牵头单位", maxWidth: 30},
		column{title: "综合得分"}, column{title: "等次"}, column{title: "状态"},
		column{title: "说明（依据）", minWidth: 40, maxWidth: 80, wrap: true})
	for _, ind := range p.Indicators {
		title := ind.Name
		if ind.Unit != "" {
			title += "（" + ind.Unit + "）"
		}
		cols = append(cols, column{title: title, minWidth: 10, maxWidth: 16, wrap: true})
	}
	t := &table{sheet: p.Name, columns: cols}
	for _, o := range prog.Outcomes {
		rank := excelize.Cell{}
		if o.Rank > 0 {
			rank = excelize.Cell{Value: o.Rank, StyleID: st.integer}
			if o.Tied {
				rank.StyleID = st.tiedRank
			}
		}
		row := []excelize.Cell{rank, {Value: o.ID}, {Value: o.Name}}
		if hasSubtypes {
			sub, _ := p.Subtype(o.Subtype)
			row = append(row, excelize.Cell{Value: sub.Name})
		}
		score, grade := excelize.Cell{}, excelize.Cell{}
		if o.Scored() {
			score = excelize.Cell{Value: o.Score, StyleID: st.score}
		}
		if g, ok := p.Grade(o.Grade); ok {
			grade = excelize.Cell{Value: g.Name, StyleID: st.grade[p.Key()+"/"+g.Code]}
		}
		row = append(row, excelize.Cell{Value: enumName(cfg, config.KindLeague, o.League)}, excelize.Cell{Value: o.LeadUnit},
			score, grade, excelize.Cell{Value: statusNames[o.Status]}, excelize.Cell{Value: reasons(cfg, o.Reasons)})
		for _, s := range o.Indicators {
			c := excelize.Cell{}
			if s.Present {
				c = excelize.Cell{Value: s.Value, StyleID: st.number}
			}
			row = append(row, c)
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// reasons renders reasons one per line, each with its cited clause.
func reasons(cfg *config.Config, rs []assess.Reason) string {
	lines := make([]string, len(rs))
	for i, r := range rs {
		lines[i] = r.Text
		if r.Clause != "" {
			lines[i] += "〔" + cfg.Cite(r.Clause) + "〕"
		}
	}
	return strings.Join(lines, "\n")
}

// enumName returns the display name of an enumeration code.
func enumName(cfg *config.Config, kind, code string) string {
	for _, v := range cfg.EnumValues(kind) {
		if v.Code == code {
			return v.Name
		}
	}
	return code
}

// accountingTable accounts for every file and every data row read; with an
// assessment result it also counts the report rows of other years.
func accountingTable(cfg *config.Config, set *dataset.Set, res *assess.Result) *table {
	t := &table{sheet: SheetAccounting, columns: []column{
		{title: "文件", minWidth: 20, maxWidth: 50}, {title: "工作表"}, {title: "识别为", minWidth: 14}, {title: "表头行"},
		{title: "数据行"}, {title: "采用"}, {title: "拒收"}, {title: "跳过"}, {title: "空行"}, {title: "说明", maxWidth: 60, wrap: true},
	}}
	tableNames := map[string]string{}
	for _, tb := range cfg.Tables() {
		tableNames[tb.Key] = tb.Name
		if tb.Key != config.TableRegister {
			tableNames[tb.Key] += "年度报告"
		}
	}
	bySource := map[string][]dataset.Source{}
	for _, src := range set.Sources {
		bySource[src.File] = append(bySource[src.File], src)
	}
	fileReasons := map[string]string{}
	for _, p := range set.Problems {
		if p.Sheet == "" && p.Cell == "" {
			fileReasons[p.File] = p.Reason
		}
	}
	var total dataset.RowCount
	for _, f := range set.Files {
		srcs := bySource[f.Path]
		if len(srcs) == 0 {
			note := fileReasons[f.Path]
			if note == "" {
				note = "未找到可识别的表"
			}
			t.rows = append(t.rows, []excelize.Cell{{Value: f.Path}, {}, {Value: fileStatusName(f.Status)}, {}, {}, {}, {}, {}, {}, {Value: note}})
			continue
		}
		for _, src := range srcs {
			r := src.Rows
			total.Add(r)
			note := ""
			if !r.Balanced() {
				note = "行数不平衡"
			}
			t.rows = append(t.rows, []excelize.Cell{{Value: f.Path}, {Value: src.Sheet}, {Value: tableNames[src.Table]},
				{Value: src.HeaderRow}, {Value: r.Read}, {Value: r.Accepted}, {Value: r.Rejected}, {Value: r.Skipped}, {Value: r.Blank}, {Value: note}})
		}
	}
	t.footer = append(t.footer, []excelize.Cell{{Value: "合计"}, {}, {}, {}, {Value: total.Read}, {Value: total.Accepted},
		{Value: total.Rejected}, {Value: total.Skipped}, {Value: total.Blank}, {Value: "数据行 = 采用 + 拒收 + 跳过；拒收与跳过的行见“问题清单”"}})
	if res == nil {
		return t
	}
	for _, prog := range res.Programmes {
		if n := res.Unused[prog.Config.Key()]; n > 0 {
			t.footer = append(t.footer, []excelize.Cell{{Value: fmt.Sprintf("%s年度报告中其他年度的 %d 行已采用，不参与 %d 年度评估", prog.Config.Name, n, res.Year)}})
		}
	}
	return t
}

func fileStatusName(s dataset.FileStatus) string {
	switch s {
	case dataset.FileRejected:
		return "未读取（拒收）"
	case dataset.FileIgnored:
		return "已忽略"
	}
	return "已读取"
}

// severityNames are the severities as the workbook shows them.
var severityNames = map[dataset.Severity]string{dataset.Error: "错误", dataset.Warning: "警告", dataset.Info: "提示"}

// issuesTable lists every problem, in file, sheet and cell order.
func issuesTable(problems []dataset.Problem, st *styles) *table {
	t := &table{sheet: SheetIssues, columns: []column{
		{title: "严重程度"}, {title: "文件", minWidth: 20, maxWidth: 50}, {title: "工作表"}, {title: "单元格"}, {title: "列", maxWidth: 30},
		{title: "原始值", maxWidth: 30}, {title: "应为", maxWidth: 36, wrap: true}, {title: "问题", minWidth: 30, maxWidth: 70, wrap: true}, {title: "代码"},
	}}
	for _, p := range problems {
		t.rows = append(t.rows, []excelize.Cell{
			{Value: severityNames[p.Severity], StyleID: st.severity[p.Severity]}, {Value: p.File}, {Value: p.Sheet}, {Value: p.Cell},
			{Value: p.Column}, {Value: p.Raw}, {Value: p.Expected}, {Value: p.Reason}, {Value: p.Code},
		})
	}
	return t
}
