package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"assessor/assess"
	"assessor/config"
	"assessor/dataset"
	"assessor/internal/atomicfile"
	"assessor/internal/xlsxout"
)

// Sheet names of the result workbook; each programme's ranked sheet is named
// after the programme, and a further assessment's after the programme and it.
const (
	SheetSummary    = "汇总"
	SheetChanges    = "变动情况"
	SheetFunds      = "资金核定"
	SheetAccounting = "数据核对"
	SheetIssues     = "问题清单"
	SheetRunInfo    = "运行信息"
)

// statusNames are the outcome statuses as the workbook shows them.
var statusNames = map[assess.Status]string{
	assess.StatusAssessed:       "已评定",
	assess.StatusNoReport:       "未报送",
	assess.StatusRectifying:     "整改期内",
	assess.StatusDataError:      "数据有误",
	assess.StatusConflict:       "重复（未采用）",
	assess.StatusIncomplete:     "评审材料不全",
	assess.StatusRevoked:        "撤销（重大事项）",
	assess.StatusNotDue:         "未到评估期",
	assess.StatusRevokedEarlier: "已撤销",
}

// StatusName is the Chinese name of an outcome status as the workbook shows it.
func StatusName(s assess.Status) string { return statusNames[s] }

// changeNames are the kinds of change as the workbook shows them.
var changeNames = map[assess.ChangeKind]string{
	assess.ChangeRevoked:       "撤销",
	assess.ChangeRectification: "进入整改期",
	assess.ChangeRestored:      "整改后恢复",
	assess.ChangeNotDue:        "未到评估期",
}

// ChangeName is the Chinese name of a kind of change as the workbook shows it.
func ChangeName(k assess.ChangeKind) string { return changeNames[k] }

// RunInfo describes the run for the 运行信息 sheet.
type RunInfo struct {
	Version    string
	ConfigHash string
	// PreviousYear is the history year the run started from; 0 when the year
	// was the first of the history.
	PreviousYear int
}

// StageResults writes the year's result workbook beside path without renaming
// it into place (see atomicfile.Stage): a summary, one ranked sheet per
// programme and per further assessment due, the changes, the funds, the input
// accounting, every problem found and the run information. The same inputs give
// the same bytes.
func StageResults(path string, cfg *config.Config, res *assess.Result, set *dataset.Set, info RunInfo) (*atomicfile.Staged, error) {
	problems := append(append([]dataset.Problem(nil), set.Problems...), res.Problems...)
	dataset.SortProblems(problems)
	title := fmt.Sprintf("%d年度创新平台绩效评估结果", res.Year)
	return stageWorkbook(path, cfg, title, res.Year, info.Version, func(st *styles) []*table {
		tables := []*table{summaryTable(cfg, res, st)}
		for _, prog := range res.Programmes {
			for i, a := range prog.Config.AssessmentList() {
				if i == 0 || anyDue(prog, i) {
					tables = append(tables, rankedTable(cfg, prog, i, a, st))
				}
			}
		}
		return append(tables, changesTable(cfg, res), fundsTable(cfg, res, st), accountingTable(cfg, set, res),
			issuesTable(problems, st), runInfoTable(res, set, info))
	})
}

// WriteResults stages and commits the result workbook.
func WriteResults(path string, cfg *config.Config, res *assess.Result, set *dataset.Set, info RunInfo) error {
	s, err := StageResults(path, cfg, res, set, info)
	if err != nil {
		return err
	}
	return s.Commit()
}

// WriteProblems writes the problems report of a validation: every problem found
// in the input and the account of every file and row, ready to send back to
// whoever filled in the workbooks.
func WriteProblems(path string, cfg *config.Config, set *dataset.Set, found []dataset.Problem, version string) error {
	problems := append(append([]dataset.Problem(nil), set.Problems...), found...)
	dataset.SortProblems(problems)
	s, err := stageWorkbook(path, cfg, "输入数据问题清单", 0, version, func(st *styles) []*table {
		return []*table{issuesTable(problems, st), accountingTable(cfg, set, nil)}
	})
	if err != nil {
		return err
	}
	return s.Commit()
}

// anyDue reports whether any platform of the programme was due for assessment k.
func anyDue(prog *assess.Programme, k int) bool {
	for _, o := range prog.Outcomes {
		if o.Assessments[k].Due {
			return true
		}
	}
	return false
}

// stageWorkbook writes the tables that build makes, with the workbook's styles,
// as the sheets of one workbook staged beside path.
func stageWorkbook(path string, cfg *config.Config, title string, year int, version string, build func(*styles) []*table) (*atomicfile.Staged, error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f, cfg)
	if err != nil {
		return nil, err
	}
	tables := build(st)
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName("Sheet1", t.sheet)
		} else {
			_, err = f.NewSheet(t.sheet)
		}
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", t.sheet, err)
		}
	}
	for _, t := range tables {
		if err := t.write(f, st); err != nil {
			return nil, err
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
		return nil, fmt.Errorf("document properties: %w", err)
	}
	s, err := xlsxout.Stage(f, path)
	if err != nil {
		return nil, fmt.Errorf("save %s: %w", path, err)
	}
	return s, nil
}

// summaryTable counts, per programme, the platforms of each grade of each
// assessment, each outcome without a grade, and each status after the year.
func summaryTable(cfg *config.Config, res *assess.Result, st *styles) *table {
	t := &table{sheet: SheetSummary, columns: []column{
		{title: "平台类别", minWidth: 16}, {title: "评估", minWidth: 14}, {title: "等次或状态", minWidth: 14}, {title: "平台数"}, {title: "占比"},
	}}
	for _, prog := range res.Programmes {
		p := prog.Config
		for k, a := range p.AssessmentList() {
			graded, byGrade := 0, map[string]int{}
			for _, o := range prog.Outcomes {
				if ar := o.Assessments[k]; ar.Graded {
					graded++
					byGrade[ar.Grade]++
				}
			}
			if k > 0 && graded == 0 {
				continue
			}
			for _, g := range a.Grades {
				share := excelize.Cell{}
				if graded > 0 {
					share = excelize.Cell{Value: float64(byGrade[g.Code]) / float64(graded), StyleID: st.percent}
				}
				t.rows = append(t.rows, []excelize.Cell{{Value: p.Name}, {Value: a.Name},
					{Value: g.Name, StyleID: st.grade[gradeKey(p, a, g.Code)]}, {Value: byGrade[g.Code]}, share})
			}
		}
		byOutcome := map[assess.Status]int{}
		byStatus := map[dataset.PlatformStatus]int{}
		for _, o := range prog.Outcomes {
			byOutcome[o.Status]++
			if o.Status != assess.StatusNotDue || o.After != dataset.Active || o.Approved.Year() <= res.Year {
				byStatus[o.After]++
			}
		}
		for _, s := range []assess.Status{assess.StatusNotDue, assess.StatusRectifying, assess.StatusNoReport, assess.StatusDataError,
			assess.StatusConflict, assess.StatusIncomplete, assess.StatusRevoked, assess.StatusRevokedEarlier} {
			if byOutcome[s] > 0 {
				t.rows = append(t.rows, []excelize.Cell{{Value: p.Name}, {Value: "本年结果"}, {Value: statusNames[s]}, {Value: byOutcome[s]}, {}})
			}
		}
		for _, s := range cfg.Statuses {
			t.rows = append(t.rows, []excelize.Cell{{Value: p.Name}, {Value: "年末状态"}, {Value: s.Name},
				{Value: byStatus[dataset.PlatformStatus(s.Code)]}, {}})
		}
		t.rows = append(t.rows, []excelize.Cell{{Value: p.Name}, {Value: "合计"}, {}, {Value: len(prog.Outcomes)}, {}})
	}
	return t
}

// gradeKey is the style key of a grade.
func gradeKey(p *config.Programme, a *config.Assessment, code string) string {
	return p.Key() + "/" + a.Key + "/" + code
}

// rankedTable lists a programme's outcomes on assessment k: the status
// assessment lists every platform, ranked ones first; a further assessment
// lists the platforms due for it.
func rankedTable(cfg *config.Config, prog *assess.Programme, k int, a *config.Assessment, st *styles) *table {
	p := prog.Config
	hasSubtypes := len(p.Subtypes) > 0
	sheet := p.Name
	if k > 0 {
		sheet = p.Name + a.Name
	}
	cols := []column{{title: "排名", minWidth: 6}, {title: "平台编号", minWidth: 12}, {title: "平台名称", minWidth: 24, maxWidth: 44}}
	if hasSubtypes {
		cols = append(cols, column{title: "建设模式"})
	}
	cols = append(cols, column{title: "所在盟市"}, column{title: "牵头单位", maxWidth: 30}, column{title: a.Name + "得分"})
	if a.Expert != nil {
		cols = append(cols, column{title: "定量得分"}, column{title: "专家评分（去最高最低）"})
	}
	cols = append(cols, column{title: "等次"}, column{title: "本年结果"}, column{title: "年末状态"},
		column{title: "说明（依据）", minWidth: 40, maxWidth: 80, wrap: true})
	for _, ind := range p.Indicators {
		title := ind.Name
		if ind.Unit != "" {
			title += "（" + ind.Unit + "）"
		}
		cols = append(cols, column{title: title, minWidth: 10, maxWidth: 16, wrap: true})
	}
	t := &table{sheet: sheet, columns: cols}
	outcomes := prog.Outcomes
	if k > 0 {
		outcomes = rankedOn(prog.Outcomes, k)
	}
	for _, o := range outcomes {
		ar := o.Assessments[k]
		rank := excelize.Cell{}
		if ar.Rank > 0 {
			rank = excelize.Cell{Value: ar.Rank, StyleID: st.integer}
			if ar.Tied {
				rank.StyleID = st.tiedRank
			}
		}
		row := []excelize.Cell{rank, {Value: o.ID}, {Value: o.Name}}
		if hasSubtypes {
			sub, _ := p.Subtype(o.Subtype)
			row = append(row, excelize.Cell{Value: sub.Name})
		}
		row = append(row, excelize.Cell{Value: enumName(cfg.Leagues, o.League)}, excelize.Cell{Value: o.LeadUnit}, scoreCell(ar.Scored, ar.Score, st))
		if a.Expert != nil {
			expert := excelize.Cell{}
			if ar.Expert != nil && ar.Expert.Applied {
				expert = excelize.Cell{Value: ar.Expert.Mean, StyleID: st.score}
			}
			row = append(row, scoreCell(ar.Scored, ar.Quantitative, st), expert)
		}
		grade := excelize.Cell{}
		if g, ok := a.Grade(ar.Grade); ok && ar.Graded {
			grade = excelize.Cell{Value: g.Name, StyleID: st.grade[gradeKey(p, a, g.Code)]}
		}
		row = append(row, grade, excelize.Cell{Value: statusNames[o.Status]},
			excelize.Cell{Value: enumName(cfg.Statuses, string(o.After))}, excelize.Cell{Value: reasons(cfg, o.Reasons)})
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

// rankedOn returns the outcomes due for assessment k, ranked ones first.
func rankedOn(outs []*assess.Outcome, k int) []*assess.Outcome {
	var ranked, rest []*assess.Outcome
	for _, o := range outs {
		switch ar := o.Assessments[k]; {
		case ar.Rank > 0:
			ranked = append(ranked, o)
		case ar.Due:
			rest = append(rest, o)
		}
	}
	sortByRank(ranked, k)
	return append(ranked, rest...)
}

// sortByRank orders outcomes by their rank on assessment k, then id.
func sortByRank(outs []*assess.Outcome, k int) {
	slices.SortStableFunc(outs, func(a, b *assess.Outcome) int {
		if c := cmp.Compare(a.Assessments[k].Rank, b.Assessments[k].Rank); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

func scoreCell(scored bool, v float64, st *styles) excelize.Cell {
	if !scored {
		return excelize.Cell{}
	}
	return excelize.Cell{Value: v, StyleID: st.score}
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

// enumName returns the display name of a code among enumeration values.
func enumName(vals []config.EnumValue, code string) string {
	for _, v := range vals {
		if v.Code == code {
			return v.Name
		}
	}
	return code
}

// changesTable lists the year's status changes, with their clauses, and the
// platforms not due with the year they become due.
func changesTable(cfg *config.Config, res *assess.Result) *table {
	t := &table{sheet: SheetChanges, columns: []column{
		{title: "平台类别", minWidth: 14}, {title: "平台编号", minWidth: 12}, {title: "平台名称", minWidth: 24, maxWidth: 44},
		{title: "变动"}, {title: "整改期至或评估年度"}, {title: "说明", minWidth: 30, maxWidth: 60, wrap: true}, {title: "依据", maxWidth: 40, wrap: true},
	}}
	for _, c := range res.Changes {
		until := excelize.Cell{}
		if c.Until > 0 {
			until = excelize.Cell{Value: c.Until}
		}
		t.rows = append(t.rows, []excelize.Cell{{Value: cfg.Programmes[c.Programme].Name}, {Value: c.ID}, {Value: c.Name},
			{Value: changeNames[c.Kind]}, until, {Value: c.Text}, {Value: cfg.Cite(c.Clause)}})
	}
	return t
}

// fundsTable lists every fund decision: the formula, its inputs, the amount
// before and after the cap, and the times granted.
func fundsTable(cfg *config.Config, res *assess.Result, st *styles) *table {
	t := &table{sheet: SheetFunds, columns: []column{
		{title: "平台类别", minWidth: 14}, {title: "平台编号", minWidth: 12}, {title: "平台名称", minWidth: 24, maxWidth: 44},
		{title: "资金项目", minWidth: 16}, {title: "计算公式", maxWidth: 50, wrap: true}, {title: "输入值", maxWidth: 50, wrap: true},
		{title: "计算额（元）", minWidth: 14}, {title: "上限（元）", minWidth: 12}, {title: "核定额（元）", minWidth: 14},
		{title: "累计次数"}, {title: "说明", maxWidth: 40, wrap: true}, {title: "依据", maxWidth: 30},
	}}
	for _, prog := range res.Programmes {
		p := prog.Config
		for _, o := range prog.Outcomes {
			for _, g := range o.Grants {
				f := g.Fund
				formula := f.Formula
				if formula == "" && f.Amount != nil {
					formula = "定额 " + strconv.FormatFloat(*f.Amount, 'f', -1, 64)
				}
				computed, amount, limit := excelize.Cell{}, excelize.Cell{}, excelize.Cell{}
				if !g.Open && g.Reason == "" {
					computed = excelize.Cell{Value: g.Computed, StyleID: st.money}
					amount = excelize.Cell{Value: g.Amount, StyleID: st.money}
				}
				if f.Cap > 0 {
					limit = excelize.Cell{Value: f.Cap, StyleID: st.money}
				}
				note := g.Reason
				switch {
				case g.Open:
					note = "文件未规定金额，由主管部门另行确定"
				case g.Capped:
					note = "超过上限，按上限核定"
				}
				if f.MaxTimes > 0 {
					note = strings.TrimPrefix(note+fmt.Sprintf("；限 %d 次", f.MaxTimes), "；")
				}
				t.rows = append(t.rows, []excelize.Cell{{Value: p.Name}, {Value: o.ID}, {Value: o.Name}, {Value: f.Name},
					{Value: formula}, {Value: inputs(p, g.Inputs)}, computed, limit, amount, {Value: g.Times}, {Value: note},
					{Value: cfg.Cite(f.Clause)}})
			}
		}
	}
	return t
}

// inputs lists a fund's input values: "contract_turnover（技术合同成交额）= 1,234".
func inputs(p *config.Programme, in map[string]float64) string {
	keys := slices.Sorted(maps.Keys(in))
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := k
		for _, ind := range p.Indicators {
			if ind.Key == k {
				name = k + "（" + ind.Name + "）"
			}
		}
		parts[i] = name + " = " + strconv.FormatFloat(in[k], 'f', -1, 64)
	}
	return strings.Join(parts, "\n")
}

// runInfoTable records what the run was: year, engine, configuration and
// history.
func runInfoTable(res *assess.Result, set *dataset.Set, info RunInfo) *table {
	t := &table{sheet: SheetRunInfo, columns: []column{{title: "项目", minWidth: 16}, {title: "内容", minWidth: 40, maxWidth: 80}}}
	prev := "首个年度（无往年结果）"
	if info.PreviousYear > 0 {
		prev = fmt.Sprintf("%d 年历史结果", info.PreviousYear)
	}
	t.rows = [][]excelize.Cell{
		{{Value: "评估年度"}, {Value: res.Year}},
		{{Value: "引擎版本"}, {Value: "assessor " + info.Version}},
		{{Value: "配置哈希（SHA-256）"}, {Value: info.ConfigHash}},
		{{Value: "起始状态"}, {Value: prev}},
		{{Value: "输入文件数"}, {Value: len(set.Files)}},
	}
	return t
}

// accountingTable accounts for every file and every data row read; with an
// assessment result it also counts the report rows of other years.
func accountingTable(cfg *config.Config, set *dataset.Set, res *assess.Result) *table {
	t := &table{sheet: SheetAccounting, columns: []column{
		{title: "文件", minWidth: 20, maxWidth: 50}, {title: "工作表"}, {title: "识别为", minWidth: 14}, {title: "表头行"},
		{title: "数据行"}, {title: "采用"}, {title: "拒收"}, {title: "跳过"}, {title: "空行"}, {title: "说明", maxWidth: 60, wrap: true},
	}}
	tableNames := map[string]string{}
	for _, tb := range append(cfg.Tables(), cfg.PublishedTable()) {
		tableNames[tb.Key] = tb.Name
		if _, ok := cfg.Programmes[tb.Key]; ok {
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
