package samples

import (
	"fmt"
	"path/filepath"

	"github.com/xuri/excelize/v2"
)

// Published results (历年评估结果) of the year before the first report year:
// they seed the engine's history (`assessor history import`), so that the
// first year is assessed from the statuses the year before left.
const publishedSheet = "历年评估结果"

// publishedHeader is the published results' header (config
// `published_results`).
var publishedHeader = []string{"序号", "平台编号", "平台名称", "平台类别", "年度", "等次", "状态"}

// publishedFileName is the published results' file name for year y, relative
// to Options.PublishedDir.
func publishedFileName(y int) string {
	return fmt.Sprintf("%d年度评估结果（已公布）.xlsx", y)
}

// gradeName is the grade of score s on prog's scale of its status assessment:
// pass or fail for the enclave's annual assessment.
func gradeName(prog programme, s float64) string {
	switch {
	case s >= 85 && prog != progEnclave:
		return "优秀"
	case s >= 75 && prog == progTIC:
		return "良好"
	case s >= passMark:
		return "合格"
	}
	return "不合格"
}

// writePublished writes the published results of FirstYear-1: every platform
// whose first report year is no later, with the grade of its status assessment
// when it was graded that year (empty otherwise) and its status.
func writePublished(dir string, pl *plan) (string, error) {
	y := pl.opts.FirstYear - 1
	rel := publishedFileName(y)
	t := table{
		sheet:  publishedSheet,
		title:  fmt.Sprintf("%d年度内蒙古自治区创新平台考核评估结果（已公布）", y),
		header: publishedHeader,
		widths: []float64{6, 16, 40, 24, 8, 10, 10},
		notes: []string{fmt.Sprintf("注：1.据自治区科技厅公布的%d年度科创飞地年度考核、科技成果转移转化示范区绩效评估和技术创新中心评估评价结果整理；"+
			"2.未到评估年度的平台等次为空；3.年度考核（评估）不合格的平台进入整改期。", y)},
		rows: func(st styles, emit func([]any) error) error {
			seq := 0
			for i := range pl.platforms {
				p := &pl.platforms[i]
				if !p.reports(y) {
					continue
				}
				tr := pl.stateAt(i, y)
				grade := ""
				if tr.graded {
					grade = gradeName(p.prog, tr.score)
				}
				seq++
				err := emit([]any{
					excelize.Cell{StyleID: st.centre, Value: seq},
					excelize.Cell{StyleID: st.text, Value: p.id},
					excelize.Cell{StyleID: st.text, Value: p.name},
					excelize.Cell{StyleID: st.text, Value: p.prog.category()},
					excelize.Cell{StyleID: st.centre, Value: y},
					textCell(st.centre, grade),
					excelize.Cell{StyleID: st.centre, Value: statusNames[tr.status]},
				})
				if err != nil {
					return err
				}
			}
			return nil
		},
	}
	return rel, t.write(filepath.Join(dir, rel))
}
