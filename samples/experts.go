package samples

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Expert-score workbooks (专家评分汇总表): one per year that has assessments
// with an expert panel, in long format, one row per expert per platform.
const expertsSheet = "专家评分"

// expertsHeader is the expert-score table's header (config `expert_scores`).
var expertsHeader = []string{"序号", "平台编号", "平台名称", "年度", "专家", "评分"}

// expertsFileName is a year's expert-score file relative to the output folder.
func expertsFileName(y int) string {
	return path.Join(fmt.Sprint(y), fmt.Sprintf("%d年度专家评分汇总表.xlsx", y))
}

// Panel sizes.
const (
	panelSize      = 5 // the usual panel
	panelSizeLarge = 7 // now and then a larger one
	panelShortSize = 2 // the short panel of the stories: too few to count
	expertPool     = 9 // experts on a year's roster
)

// gradeCuts are the grade cut-offs of the assessments with an expert panel:
// the enclave's comprehensive evaluation, the demo zone's and the centre's
// evaluations.
var gradeCuts = [numProgrammes][]float64{
	progEnclave: {60, 75, 85},
	progDemo:    {60, 85},
	progTIC:     {60, 75, 85},
}

// panelWeight is the share of the expert panel in the final score.
var panelWeight = [numProgrammes]float64{progEnclave: 0.4, progDemo: 0.4, progTIC: 0.3}

// gradeBand returns the grade band [lo, hi) of score s on prog's scale.
func gradeBand(prog programme, s float64) (lo, hi float64) {
	lo, hi = 0, 100.01
	for _, c := range gradeCuts[prog] {
		if s >= c {
			lo = c
		} else {
			hi = c
			break
		}
	}
	return lo, hi
}

// expertScore is one expert's score of a platform.
type expertScore struct {
	name  string
	score float64
	text  bool // written as text, "86.5"
}

// panel is a platform's expert scores in a year.
type panel struct {
	i      int
	scores []expertScore
}

// trimmedMean drops the single highest and lowest score and averages the rest.
func trimmedMean(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	s = s[1 : len(s)-1]
	var sum float64
	for _, x := range s {
		sum += x
	}
	return sum / float64(len(s))
}

// expertNames draws the year's roster of experts: fictitious names in some
// years, 专家一 … in others.
func expertNames(rng *rand.Rand, yi int) []string {
	names := make([]string, 0, expertPool)
	if yi%2 == 0 {
		for k := range expertPool {
			names = append(names, "专家"+chineseNumber(k+1))
		}
		return names
	}
	for len(names) < expertPool {
		n := surnames[rng.IntN(len(surnames))] + givenNames[rng.IntN(len(givenNames))]
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// panels draws the expert panels of year y: one for every platform up for an
// assessment with a panel, in register order. The panel's trimmed mean lies
// near the platform's planned score, inside the same grade band, so that the
// combined score keeps the planned grade; single scores spread around it.
func (pl *plan) panels(y int) []panel {
	o := pl.opts
	yi := y - o.FirstYear
	rng := rand.New(rand.NewPCG(o.Seed, streamExperts+uint64(yi)))
	roster := expertNames(rng, yi)
	var out []panel
	for i := range pl.platforms {
		if !pl.panelDue(i, y, pl.stateAt(i, y-1)) {
			continue
		}
		prog := pl.platforms[i].prog
		s := pl.scores[yi][i]
		lo, hi := gradeBand(prog, s)
		mean := clamp(s+3*rng.NormFloat64(), lo+0.6, hi-0.6)
		n := panelSize
		if rng.IntN(6) == 0 {
			n = panelSizeLarge
		}
		who := rng.Perm(len(roster))[:n]
		slices.Sort(who)
		xs := make([]float64, n)
		for k := range xs {
			xs[k] = clamp(math.Round(2*(mean+4*rng.NormFloat64()))/2, 0, 100)
		}
		for range 40 { // shift the panel until its trimmed mean sits on the planned mean
			d := mean - trimmedMean(xs)
			if math.Abs(d) <= 0.25 {
				break
			}
			step := math.Round(2*d) / 2
			if step == 0 {
				step = math.Copysign(0.5, d)
			}
			for k := range xs {
				xs[k] = clamp(xs[k]+step, 0, 100)
			}
		}
		switch i {
		case pl.roles.panelShort:
			n = panelShortSize
		case pl.roles.panelNone:
			n = 0
		}
		p := panel{i: i}
		for k := range n {
			p.scores = append(p.scores, expertScore{name: roster[who[k]], score: xs[k], text: rng.IntN(8) == 0})
		}
		if n > 0 {
			out = append(out, p)
		}
	}
	return out
}

// writeExperts writes year y's expert-score workbook, if the year has any
// panel, and returns its path relative to dir ("" when there is none).
func writeExperts(dir string, pl *plan, y int) (string, error) {
	panels := pl.panels(y)
	if len(panels) == 0 {
		return "", nil
	}
	rel := expertsFileName(y)
	t := table{
		sheet:  expertsSheet,
		title:  fmt.Sprintf("%d年度创新平台评估评价专家评分汇总表", y),
		header: expertsHeader,
		widths: []float64{6, 16, 40, 8, 12, 10},
		notes:  []string{"注：评分为百分制；计算专家评分时去掉一个最高分和一个最低分后取平均值，有效评分不足3个的按定量评价结果计。"},
		rows: func(st styles, emit func([]any) error) error {
			seq := 0
			for _, p := range panels {
				pf := &pl.platforms[p.i]
				for _, e := range p.scores {
					var score any = e.score
					style := st.number
					if e.text {
						score, style = strconv.FormatFloat(e.score, 'f', -1, 64), st.text
					}
					seq++
					err := emit([]any{
						excelize.Cell{StyleID: st.centre, Value: seq},
						excelize.Cell{StyleID: st.text, Value: pf.id},
						excelize.Cell{StyleID: st.text, Value: pf.name},
						excelize.Cell{StyleID: st.centre, Value: y},
						excelize.Cell{StyleID: st.centre, Value: e.name},
						excelize.Cell{StyleID: style, Value: score},
					})
					if err != nil {
						return err
					}
				}
			}
			return nil
		},
	}
	return rel, t.write(filepath.Join(dir, filepath.FromSlash(rel)))
}
