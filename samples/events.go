package samples

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"

	"github.com/xuri/excelize/v2"
)

// Events workbook (重大事项登记表): one row per event found about a platform in
// a year, for all years in one file at the top of the output folder.
const (
	eventsFile  = "重大事项登记表.xlsx"
	eventsSheet = "重大事项"
)

// eventsHeader is the events table's header (config `events`).
var eventsHeader = []string{"序号", "平台编号", "平台名称", "年度", "事项类型", "认定文件", "情况说明"}

// Event types as config/default.yaml names them.
const (
	evRefused     = "无故不参加评估评价"
	evFraud       = "弄虚作假"
	evLeadStopped = "牵头单位停产破产"
	evBreachOfLaw = "违反国家法律"
)

// revokingEvents revoke a technology innovation centre at once (tic_plan
// 三(六)3); for enclaves and demo zones events are only recorded.
var revokingEvents = []string{evRefused, evFraud, evLeadStopped, evBreachOfLaw}

// event is one row of the events workbook.
type event struct {
	i        int // platform
	year     int
	kind     string
	document string
	note     string
}

// planEvents writes up the events of the stories: fraud noted about an
// enclave in LastYear-2, fraud that revokes a centre in LastYear-1 and the
// lead unit of another centre stopping production in the last year. Events of
// years before the first are left out.
func planEvents(rng *rand.Rand, o Options, ps []platform, r *roles) []event {
	last := o.LastYear
	drafts := []struct {
		i, year int
		kind    string
		office  string
		note    func(p *platform, y int) string
	}{
		{r.enclaveEvent, last - 2, evFraud, "内科成转字", func(p *platform, y int) string {
			return fmt.Sprintf("经核查，该飞地报送的%d年度绩效数据中全职人员数和办公场地面积与实际不符，已责令限期改正并通报批评。", y)
		}},
		{r.ticFraud, last - 1, evFraud, "内科发", func(p *platform, y int) string {
			return fmt.Sprintf("经专项审计，该中心%d年度评估评价材料中研发经费投入、技术服务收入等数据严重失实，属严重弄虚作假。", y)
		}},
		{r.ticStopped, last, evLeadStopped, "内科发", func(p *platform, y int) string {
			return fmt.Sprintf("牵头单位%s于%d年%d月停产，已进入破产清算程序。", p.lead, y, 5+rng.IntN(6))
		}},
	}
	var out []event
	for _, d := range drafts {
		if d.i < 0 || d.year < o.FirstYear {
			continue
		}
		p := &ps[d.i]
		doc := fmt.Sprintf("%s〔%d〕%d号", d.office, d.year, 10+rng.IntN(140))
		out = append(out, event{i: d.i, year: d.year, kind: d.kind, document: doc, note: d.note(p, d.year)})
	}
	return out
}

// eventRevokes tells whether an event of year y revokes platform i.
func (pl *plan) eventRevokes(i, y int) bool {
	if pl.platforms[i].prog != progTIC {
		return false
	}
	for _, e := range pl.events {
		if e.i == i && e.year == y {
			for _, k := range revokingEvents {
				if e.kind == k {
					return true
				}
			}
		}
	}
	return false
}

// writeEvents writes the events workbook.
func writeEvents(dir string, pl *plan) error {
	t := table{
		sheet:  eventsSheet,
		title:  fmt.Sprintf("内蒙古自治区创新平台重大事项登记表（%d—%d年度）", pl.opts.FirstYear, pl.opts.LastYear),
		header: eventsHeader,
		widths: []float64{6, 16, 36, 8, 18, 20, 70},
		notes:  []string{"注：事项类型按《内蒙古自治区技术创新中心建设实施方案（暂行）》三(六)3、《内蒙古自治区科创飞地建设与备案管理工作指引（暂行）》七(四)等规定填写；认定文件为自治区科技厅处理决定文号。"},
		rows: func(st styles, emit func([]any) error) error {
			for k, e := range pl.events {
				p := &pl.platforms[e.i]
				err := emit([]any{
					excelize.Cell{StyleID: st.centre, Value: k + 1},
					excelize.Cell{StyleID: st.text, Value: p.id},
					excelize.Cell{StyleID: st.text, Value: p.name},
					excelize.Cell{StyleID: st.centre, Value: e.year},
					excelize.Cell{StyleID: st.text, Value: e.kind},
					excelize.Cell{StyleID: st.text, Value: e.document},
					excelize.Cell{StyleID: st.text, Value: e.note},
				})
				if err != nil {
					return err
				}
			}
			return nil
		},
	}
	return t.write(filepath.Join(dir, eventsFile))
}
