package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"assessor/assess"
	"assessor/config"
	"assessor/dataset"
)

// Sheet names of the result workbook. Each programme's ranked sheet is named
// after the programme; a sub-type's after the programme and the sub-type, a
// further assessment's after the programme and the assessment, and the
// indicator values' sheet after the programme and sheetIndicatorsSuffix.
const (
	SheetSummary    = "汇总"
	SheetChanges    = "变动情况"
	SheetNotDue     = "未到评估期"
	SheetFunds      = "资金核定"
	SheetAccounting = "数据核对"
	SheetIssues     = "问题清单"
	SheetRunInfo    = "运行信息"

	sheetIndicatorsSuffix = "指标"
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

// book is what the sheets of one result workbook are made from: the year's
// result, for the whole region or cut to one 盟市.
type book struct {
	cfg  *config.Config
	res  *assess.Result
	set  *dataset.Set
	info RunInfo
	st   *styles
	// league is the 盟市 a split workbook covers; its code is "" for the
	// region-wide workbook.
	league config.EnumValue
	// problems are the problems the workbook lists.
	problems []dataset.Problem
}

// regional reports whether the workbook covers the whole region.
func (b *book) regional() bool { return b.league.Code == "" }

// title is the workbook's title.
func (b *book) title() string {
	t := fmt.Sprintf("%d年度创新平台绩效评估结果", b.res.Year)
	if !b.regional() {
		t += "（" + b.league.Name + "）"
	}
	return t
}

// workbook lays out the result workbook: the summary; per programme its
// ranked sheet, a ranked sheet per sub-type with platforms when the sub-types
// are scored against different targets, a sheet per further assessment due
// and the indicator values; the changes, the platforms not due, the funds, the input
// accounting and problems, and the run information. A 盟市's workbook lists
// its own platforms with their region-wide ranks, leaves out the programmes it
// has none of, and lists only the problems found in its platforms' report
// rows; the input accounting is the region's concern.
func (b *book) workbook() workbook {
	if b.regional() {
		b.problems = append(append([]dataset.Problem(nil), b.set.Problems...), b.res.Problems...)
	} else {
		b.problems = leagueProblems(b.res, b.set, append(append([]dataset.Problem(nil), b.set.Problems...), b.res.Problems...))
	}
	dataset.SortProblems(b.problems)
	return workbook{title: b.title(), year: b.res.Year, version: b.info.Version, sheets: func(st *styles) []func() *sheet {
		b.st = st
		builders := []func() *sheet{b.summary}
		for _, prog := range b.res.Programmes {
			if prog.Len() == 0 && !b.regional() {
				continue
			}
			for k, a := range prog.Config.AssessmentList() {
				if k == 0 || anyDue(prog, k) {
					builders = append(builders, func() *sheet { return b.ranked(prog, k, a) })
				}
				if k == 0 && prog.Config.SubtypeRules() {
					for _, sub := range prog.Config.Subtypes {
						if hasSubtype(prog, sub.Code) {
							builders = append(builders, func() *sheet { return b.subtypeRanked(prog, sub) })
						}
					}
				}
			}
			builders = append(builders, func() *sheet { return b.indicators(prog) })
		}
		builders = append(builders, b.changes, b.notDue, b.funds)
		if b.regional() {
			builders = append(builders, b.accounting)
		}
		return append(builders, b.issues, b.runInfo)
	}}
}

// hasSubtype reports whether any platform of the programme is of the sub-type.
func hasSubtype(prog *assess.Programme, code string) bool {
	for _, o := range prog.Outcomes() {
		if o.Subtype == code {
			return true
		}
	}
	return false
}

// anyDue reports whether any platform of the programme was due for assessment k.
func anyDue(prog *assess.Programme, k int) bool {
	for _, o := range prog.Outcomes() {
		if o.Assessments[k].Due {
			return true
		}
	}
	return false
}

// gradeKey is the style key of a grade.
func gradeKey(p *config.Programme, a *config.Assessment, code string) string {
	return p.Key() + "/" + a.Key + "/" + code
}

// rankTitle is the title of a rank column: ranks are region-wide, which a
// 盟市's workbook says.
func (b *book) rankTitle(title string) string {
	if b.regional() {
		return title
	}
	return "全区" + title
}

// ranked lists a programme's outcomes on assessment k: the status assessment
// lists every platform, ranked ones first; a further assessment lists the
// platforms due for it.
func (b *book) ranked(prog *assess.Programme, k int, a *config.Assessment) *sheet {
	p := prog.Config
	name, n, at := p.Name, prog.Len(), func(i int) int { return i }
	if k > 0 {
		order := rankedOn(prog, k)
		name, n, at = p.Name+a.Name, len(order), func(i int) int { return order[i] }
	}
	t := b.rankedTable(a, []column{{title: b.rankTitle("排名"), minWidth: 8}}, len(p.Subtypes) > 0)
	return single(name, t.streamed(n, func(i int, row []excelize.Cell) []excelize.Cell {
		o := prog.Outcome(at(i))
		defer prog.Done(o)
		ar := o.Assessments[k]
		return b.rankedRow(p, k, a, o, append(row, b.rankCell(ar.Rank, ar.Tied)), len(p.Subtypes) > 0)
	}))
}

// subtypeRanked lists the platforms of one sub-type on the programme's status
// assessment, ranked within the sub-type, with their rank in the programme.
func (b *book) subtypeRanked(prog *assess.Programme, sub config.EnumValue) *sheet {
	p := prog.Config
	a := p.StatusAssessment()
	t := b.rankedTable(a, []column{{title: b.rankTitle("类内排名"), minWidth: 8}, {title: b.rankTitle(p.Name + "排名"), minWidth: 8}}, false)
	var outcomes []int // positions in the programme's list
	for at, o := range prog.Outcomes() {
		if o.Subtype == sub.Code {
			outcomes = append(outcomes, at)
		}
	}
	return single(p.Name+"（"+sub.Name+"）", t.streamed(len(outcomes), func(i int, row []excelize.Cell) []excelize.Cell {
		o := prog.Outcome(outcomes[i])
		defer prog.Done(o)
		ar := o.Main()
		row = append(row, b.rankCell(ar.SubtypeRank, ar.SubtypeTied), b.rankCell(ar.Rank, ar.Tied))
		return b.rankedRow(p, 0, a, o, row, false)
	}))
}

// rankedTable makes the columns of a ranked sheet after the given rank
// columns: id, name, sub-type, 盟市, lead unit, score and its parts, grade,
// outcome, status and the reasons with their clauses.
func (b *book) rankedTable(a *config.Assessment, ranks []column, subtype bool) *table {
	cols := append(ranks, column{title: "平台编号", minWidth: 12}, column{title: "平台名称", minWidth: 20, maxWidth: 26, wrap: true})
	if subtype {
		cols = append(cols, column{title: "建设模式"})
	}
	cols = append(cols, column{title: "所在盟市"}, column{title: "牵头单位", maxWidth: 18, wrap: true}, column{title: a.Name + "得分", maxWidth: 10, wrap: true})
	if a.Expert != nil {
		cols = append(cols, column{title: "定量得分"}, column{title: "专家评分（去最高最低）", maxWidth: 12, wrap: true})
	}
	return &table{columns: append(cols, column{title: "等次", minWidth: 7}, column{title: "本年结果"}, column{title: "年末状态", minWidth: 7},
		column{title: "说明（依据）", minWidth: 40, maxWidth: 50, wrap: true})}
}

// rankedRow is one platform's row of a ranked sheet, after its rank cells.
func (b *book) rankedRow(p *config.Programme, k int, a *config.Assessment, o *assess.Outcome, row []excelize.Cell, subtype bool) []excelize.Cell {
	ar := o.Assessments[k]
	row = append(row, excelize.Cell{Value: o.ID}, excelize.Cell{Value: o.Name})
	if subtype {
		sub, _ := p.Subtype(o.Subtype)
		row = append(row, excelize.Cell{Value: sub.Name})
	}
	row = append(row, excelize.Cell{Value: enumName(b.cfg.Leagues, o.League)}, excelize.Cell{Value: o.LeadUnit}, b.scoreCell(ar.Scored, ar.Score))
	if a.Expert != nil {
		expert := excelize.Cell{}
		if ar.Expert != nil && ar.Expert.Applied {
			expert = excelize.Cell{Value: ar.Expert.Mean, StyleID: b.st.score}
		}
		row = append(row, b.scoreCell(ar.Scored, ar.Quantitative), expert)
	}
	grade := excelize.Cell{}
	if g, ok := a.Grade(ar.Grade); ok && ar.Graded {
		grade = excelize.Cell{Value: g.Name, StyleID: b.st.grade[gradeKey(p, a, g.Code)]}
	}
	return append(row, grade, excelize.Cell{Value: statusNames[o.Status]},
		excelize.Cell{Value: enumName(b.cfg.Statuses, string(o.After))}, excelize.Cell{Value: reasons(b.cfg, o.Reasons)})
}

// rankCell shows a rank; a shared one reads "2（并列）" while staying a number.
func (b *book) rankCell(rank int, tied bool) excelize.Cell {
	switch {
	case rank == 0:
		return excelize.Cell{}
	case tied:
		return excelize.Cell{Value: rank, StyleID: b.st.tiedRank}
	}
	return excelize.Cell{Value: rank, StyleID: b.st.integer}
}

func (b *book) scoreCell(scored bool, v float64) excelize.Cell {
	if !scored {
		return excelize.Cell{}
	}
	return excelize.Cell{Value: v, StyleID: b.st.score}
}

// indicators lists the indicator values of a programme's platforms as
// reported (derived ones computed), in the order of the ranked sheet.
func (b *book) indicators(prog *assess.Programme) *sheet {
	p := prog.Config
	cols := []column{{title: "平台编号", minWidth: 12}, {title: "平台名称", minWidth: 20, maxWidth: 30, wrap: true}}
	if len(p.Subtypes) > 0 {
		cols = append(cols, column{title: "建设模式"})
	}
	for _, ind := range p.Indicators {
		title := ind.Name
		if ind.Unit != "" {
			title += "（" + ind.Unit + "）"
		}
		cols = append(cols, column{title: title, minWidth: 10, maxWidth: 12, wrap: true})
	}
	t := &table{columns: cols}
	return single(p.Name+sheetIndicatorsSuffix, t.streamed(prog.Len(), func(k int, row []excelize.Cell) []excelize.Cell {
		o := prog.Outcome(k)
		defer prog.Done(o)
		row = append(row, excelize.Cell{Value: o.ID}, excelize.Cell{Value: o.Name})
		if len(p.Subtypes) > 0 {
			sub, _ := p.Subtype(o.Subtype)
			row = append(row, excelize.Cell{Value: sub.Name})
		}
		for i, s := range o.Indicators() {
			c := excelize.Cell{}
			if s.Present {
				c = excelize.Cell{Value: s.Value, StyleID: b.st.number}
				if i < len(p.Indicators) && p.Indicators[i].Kind == config.KindCount {
					c.StyleID = b.st.integer
				}
			}
			row = append(row, c)
		}
		return row
	}))
}

// rankedOn returns the positions of the programme's outcomes due for
// assessment k, ranked ones first.
func rankedOn(prog *assess.Programme, k int) []int {
	type keyed struct {
		rank, at int
		id       string
	}
	var ranked []keyed
	var rest []int
	for at, o := range prog.Outcomes() {
		switch ar := o.Assessments[k]; {
		case ar.Rank > 0:
			ranked = append(ranked, keyed{ar.Rank, at, o.ID})
		case ar.Due:
			rest = append(rest, at)
		}
	}
	// A programme has one outcome per id: the order is total.
	slices.SortFunc(ranked, func(a, b keyed) int { return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.id, b.id)) })
	out := make([]int, 0, len(ranked)+len(rest))
	for _, r := range ranked {
		out = append(out, r.at)
	}
	return append(out, rest...)
}

// reasons renders reasons one per line, each with its cited clause.
func reasons(cfg *config.Config, rs []assess.Reason) string {
	n := 0
	for _, r := range rs {
		n += len(r.Text) + len("\n〔〕") + len(r.Clause) + 16 // a citation is about as long as its clause
	}
	var b strings.Builder
	b.Grow(n)
	for i, r := range rs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(r.Text)
		if r.Clause != "" {
			b.WriteString("〔")
			cfg.WriteCite(&b, r.Clause)
			b.WriteString("〕")
		}
	}
	return b.String()
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

// changes lists the year's status changes — entered rectification, restored,
// revoked — with their clauses.
func (b *book) changes() *sheet {
	return single(SheetChanges, b.changeTable(false, column{title: "变动"}, column{title: "整改期满评估年度", maxWidth: 10, wrap: true},
		func(c *assess.Change) excelize.Cell { return excelize.Cell{Value: changeNames[c.Kind]} }))
}

// notDue lists the platforms with nothing due this year, with their approval
// date and the year they become due.
func (b *book) notDue() *sheet {
	return single(SheetNotDue, b.changeTable(true, column{title: "批复（备案）时间", minWidth: 12, wrap: true}, column{title: "开始评估年度", maxWidth: 10, wrap: true},
		func(c *assess.Change) excelize.Cell {
			if c.Approved.IsZero() {
				return excelize.Cell{}
			}
			return excelize.Cell{Value: c.Approved, StyleID: b.st.date}
		}))
}

// changeTable lists the changes of the year that are (notDue true) or are
// not (false) platforms not due: programme, id, name and 盟市, then a column
// of the change's own (what says), its year (Until), text and clause.
func (b *book) changeTable(notDue bool, what, until column, whatCell func(*assess.Change) excelize.Cell) *table {
	t := &table{columns: []column{
		{title: "平台类别", minWidth: 14}, {title: "平台编号", minWidth: 12}, {title: "平台名称", minWidth: 20, maxWidth: 30, wrap: true},
		{title: "所在盟市"}, what, until,
		{title: "说明", minWidth: 30, maxWidth: 60, wrap: true}, {title: "依据", maxWidth: 30, wrap: true},
	}}
	var changes []*assess.Change
	for _, c := range b.res.Changes {
		if (c.Kind == assess.ChangeNotDue) == notDue {
			changes = append(changes, c)
		}
	}
	// A national roster has hundreds of thousands of changes: their rows
	// are made on demand, as the ranked sheets' are.
	return t.streamed(len(changes), func(i int, row []excelize.Cell) []excelize.Cell {
		c := changes[i]
		year := excelize.Cell{}
		if c.Until > 0 {
			year = excelize.Cell{Value: c.Until}
		}
		return append(row, excelize.Cell{Value: b.cfg.Programmes[c.Programme].Name}, excelize.Cell{Value: c.ID}, excelize.Cell{Value: c.Name},
			excelize.Cell{Value: enumName(b.cfg.Leagues, c.League)}, whatCell(c), year, excelize.Cell{Value: c.Text}, excelize.Cell{Value: b.cfg.Cite(c.Clause)})
	})
}

// funds lists every fund decision: the formula, its inputs, the amount before
// and after the cap, and the times granted; the total granted below.
func (b *book) funds() *sheet {
	st := b.st
	t := &table{columns: []column{
		{title: "平台类别", maxWidth: 12, wrap: true}, {title: "平台编号", minWidth: 12}, {title: "平台名称", minWidth: 16, maxWidth: 22, wrap: true},
		{title: "资金项目", minWidth: 12, maxWidth: 14, wrap: true}, {title: "计算公式", maxWidth: 30, wrap: true}, {title: "输入值", maxWidth: 30, wrap: true},
		{title: "计算额（元）", minWidth: 13}, {title: "上限（元）", minWidth: 13}, {title: "核定额（元）", minWidth: 13},
		{title: "累计次数", minWidth: 6, maxWidth: 6, wrap: true}, {title: "说明", maxWidth: 20, wrap: true}, {title: "依据", maxWidth: 16, wrap: true},
	}}
	// The sheet lists every grant decision: one row each, made on demand.
	type decision struct {
		prog *assess.Programme
		at   int // the outcome's position in the programme's list
		g    int // index in its Grants
	}
	var decisions []decision
	total := 0.0
	for _, prog := range b.res.Programmes {
		for at, o := range prog.Outcomes() {
			for i, g := range o.Grants {
				decisions = append(decisions, decision{prog, at, i})
				if granted(g) {
					total += g.Amount
				}
			}
		}
	}
	t.streamed(len(decisions), func(i int, row []excelize.Cell) []excelize.Cell {
		d := decisions[i]
		p, o := d.prog.Config, d.prog.Outcome(d.at)
		defer d.prog.Done(o)
		g := o.Grants[d.g]
		f := g.Fund
		formula := f.Formula
		if formula == "" && f.Amount != nil {
			formula = "定额 " + strconv.FormatFloat(*f.Amount, 'f', -1, 64)
		}
		computed, amount, limit := excelize.Cell{}, excelize.Cell{}, excelize.Cell{}
		if granted(g) {
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
			note = strings.TrimPrefix(note+"；限 "+strconv.Itoa(f.MaxTimes)+" 次", "；")
		}
		return append(row, excelize.Cell{Value: p.Name}, excelize.Cell{Value: o.ID}, excelize.Cell{Value: o.Name},
			excelize.Cell{Value: f.Name}, excelize.Cell{Value: formula}, excelize.Cell{Value: inputs(p, g.Inputs)},
			computed, limit, amount, excelize.Cell{Value: g.Times}, excelize.Cell{Value: note}, excelize.Cell{Value: b.cfg.Cite(f.Clause)})
	})
	t.footer = [][]excelize.Cell{{{Value: "合计"}, {}, {}, {}, {}, {}, {}, {}, {Value: total, StyleID: st.money}, {},
		{Value: "金额待定的项目不计入"}, {}}}
	return single(SheetFunds, t)
}

// granted reports whether a grant has an amount: computed, not open, not
// refused.
func granted(g assess.Grant) bool { return !g.Open && g.Reason == "" }

// inputs lists a fund's input values: "contract_turnover（技术合同成交额）= 1,234".
func inputs(p *config.Programme, in assess.Values) string {
	parts := make([]string, len(in))
	for i, v := range in {
		name := v.Name
		if ind := p.Indicator(v.Name); ind != nil {
			name = v.Name + "（" + ind.Name + "）"
		}
		parts[i] = name + " = " + strconv.FormatFloat(v.Value, 'f', -1, 64)
	}
	return strings.Join(parts, "\n")
}

// runInfo records what the run was: year, scope, engine, configuration,
// history, and every input file with its size and SHA-256.
func (b *book) runInfo() *sheet {
	t := &table{columns: []column{{title: "项目", minWidth: 12}, {title: "内容", minWidth: 40, maxWidth: 60, wrap: true},
		{title: "大小（字节）", minWidth: 12}, {title: "SHA-256", minWidth: 80, maxWidth: 80}}} // 64 hex digits, letters wider than digits
	prev := "首个年度（无往年结果）"
	if b.info.PreviousYear > 0 {
		prev = fmt.Sprintf("%d 年历史结果", b.info.PreviousYear)
	}
	scope := "全区"
	if !b.regional() {
		scope = b.league.Name + "（仅含该盟市的平台，排名为全区排名；输入数据核对见全区工作簿）"
	}
	t.rows = [][]excelize.Cell{
		{{Value: "评估年度"}, {Value: b.res.Year}},
		{{Value: "范围"}, {Value: scope}},
		{{Value: "引擎版本"}, {Value: "assessor " + b.info.Version}},
		{{Value: "配置哈希（SHA-256）"}, {}, {}, {Value: b.info.ConfigHash}},
		{{Value: "起始状态"}, {Value: prev}},
		{{Value: "输入文件数"}, {Value: len(b.info.Inputs)}},
	}
	for _, in := range b.info.Inputs {
		t.rows = append(t.rows, []excelize.Cell{{Value: "输入文件"}, {Value: in.Path}, {Value: in.Size, StyleID: b.st.integer}, {Value: in.SHA256}})
	}
	return single(SheetRunInfo, t)
}

// accounting accounts for every file and every data row read; with an
// assessment result it also counts the report rows of other years.
func (b *book) accounting() *sheet {
	cfg, set := b.cfg, b.set
	t := &table{columns: []column{
		{title: "文件", minWidth: 20, maxWidth: 40, wrap: true}, {title: "工作表", maxWidth: 20, wrap: true}, {title: "识别为", minWidth: 14},
		{title: "表头行", minWidth: 6}, {title: "数据行", minWidth: 6}, {title: "采用", minWidth: 6}, {title: "拒收", minWidth: 6},
		{title: "跳过", minWidth: 6}, {title: "空行", minWidth: 6}, {title: "说明", maxWidth: 50, wrap: true},
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
	if b.res != nil {
		for _, prog := range b.res.Programmes {
			if n := b.res.Unused[prog.Config.Key()]; n > 0 {
				t.footer = append(t.footer, []excelize.Cell{{Value: fmt.Sprintf("%s年度报告中其他年度的 %d 行已采用，不参与 %d 年度评估", prog.Config.Name, n, b.res.Year)}})
			}
		}
	}
	return single(SheetAccounting, t)
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

// issues lists every problem, in file, sheet and cell order.
func (b *book) issues() *sheet {
	t := &table{columns: []column{
		{title: "严重程度", minWidth: 6}, {title: "文件", minWidth: 20, maxWidth: 30, wrap: true}, {title: "工作表", maxWidth: 14, wrap: true},
		{title: "单元格", minWidth: 6}, {title: "列", maxWidth: 20, wrap: true}, {title: "原始值", maxWidth: 20, wrap: true},
		{title: "应为", maxWidth: 24, wrap: true}, {title: "问题", minWidth: 30, maxWidth: 50, wrap: true}, {title: "代码", maxWidth: 18},
	}}
	// A bad national roster can have a problem on every row: the rows are
	// made on demand.
	return single(SheetIssues, t.streamed(len(b.problems), func(i int, row []excelize.Cell) []excelize.Cell {
		p := &b.problems[i]
		return append(row, excelize.Cell{Value: severityNames[p.Severity], StyleID: b.st.severity[p.Severity]},
			excelize.Cell{Value: p.File}, excelize.Cell{Value: p.Sheet}, excelize.Cell{Value: p.Cell}, excelize.Cell{Value: p.Column},
			excelize.Cell{Value: p.Raw}, excelize.Cell{Value: p.Expected}, excelize.Cell{Value: p.Reason}, excelize.Cell{Value: p.Code})
	}))
}
