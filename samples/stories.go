package samples

import (
	"math"
	"math/rand/v2"
)

// roles names the platforms that carry the set's deliberate stories, gate
// failures and bad values; -1 where a (small) set has no platform for a role.
type roles struct {
	// Enclaves.
	enclaveFail   int    // below 60 in both of the last two years
	enclaveOffice int    // government-led, office under 200 m²
	enclaveStaff  int    // self-built, fewer than 5 full-time staff
	enclaveSkip   [2]int // due in the last year, filed nothing
	badContract   int    // last year: 技术合同成交额 "待核实"
	badStaff      int    // last year: 全职人员数 12.5
	badInvest     int    // last year: 落地自治区科技项目投资额 -300
	badTalents    int    // last year: 引进培育人才数 left empty
	badDash       int    // dashYear: 区内落地转化成果数 "—"
	// Demo zones.
	demoDip int // below 60 in the second-to-last year
	// Centres.
	ticRecover  int    // below 60 in the second-to-last year, above 60 in the last
	ticDirector int    // last year: director at the centre 7 months
	ticSkip     [2]int // due in the last year, filed nothing
	badSMEs     int    // last year: 服务科技型中小企业数 "五十"
	badRD       int    // last year: 研发经费投入 "1,2345"
	ticDup      int    // last year: row written twice
}

// Years of the file variants that depend on the year range.
func (o Options) yuanYear() int { return max(o.LastYear-2, o.FirstYear) } // enclave contract in 元

// dashYear is the earlier year whose enclave file has a "—"; 0 when the set
// has a single year.
func (o Options) dashYear() int {
	if o.FirstYear == o.LastYear {
		return 0
	}
	return o.LastYear - 1
}

// picker chooses role platforms, each platform at most once.
type picker struct {
	rng  *rand.Rand
	ps   []platform
	used []bool
}

// pick draws a platform of prog that satisfies ok and has no role yet; -1 if
// there is none.
func (k *picker) pick(prog programme, ok func(p *platform) bool) int {
	var cand []int
	for i := range k.ps {
		if !k.used[i] && k.ps[i].prog == prog && ok(&k.ps[i]) {
			cand = append(cand, i)
		}
	}
	if len(cand) == 0 {
		return -1
	}
	i := cand[k.rng.IntN(len(cand))]
	k.used[i] = true
	return i
}

// assignRoles picks the platforms of the stories.
func assignRoles(rng *rand.Rand, o Options, ps []platform) roles {
	k := &picker{rng: rng, ps: ps, used: make([]bool, len(ps))}
	for i := range ps {
		k.used[i] = ps[i].mistyped // keep the mistyped register date out of the stories
	}
	last := o.LastYear
	dueLast := func(p *platform) bool { return p.reports(last) }
	duePrev := func(p *platform) bool { return p.reports(last - 1) }
	var r roles
	r.enclaveFail = k.pick(progEnclave, duePrev)
	r.enclaveOffice = k.pick(progEnclave, func(p *platform) bool { return dueLast(p) && p.sub == subGovLed })
	r.enclaveStaff = k.pick(progEnclave, func(p *platform) bool { return dueLast(p) && p.sub != subGovLed })
	r.enclaveSkip = [2]int{k.pick(progEnclave, dueLast), k.pick(progEnclave, dueLast)}
	r.badContract = k.pick(progEnclave, dueLast)
	r.badStaff = k.pick(progEnclave, dueLast)
	r.badInvest = k.pick(progEnclave, dueLast)
	r.badTalents = k.pick(progEnclave, dueLast)
	r.badDash = -1
	if dy := o.dashYear(); dy != 0 {
		r.badDash = k.pick(progEnclave, func(p *platform) bool { return p.reports(dy) })
	}
	r.demoDip = k.pick(progDemo, duePrev)
	r.ticRecover = k.pick(progTIC, duePrev)
	r.ticDirector = k.pick(progTIC, dueLast)
	r.ticSkip = [2]int{k.pick(progTIC, dueLast), k.pick(progTIC, dueLast)}
	r.badSMEs = k.pick(progTIC, dueLast)
	r.badRD = k.pick(progTIC, dueLast)
	r.ticDup = k.pick(progTIC, dueLast)
	// The story platforms' standing fits their story in the other years too.
	setStanding(ps, r.enclaveFail, -1.3, -0.1)
	setStanding(ps, r.ticRecover, -0.9, 0.1)
	setStanding(ps, r.demoDip, -0.4, 0)
	if r.enclaveOffice >= 0 {
		ps[r.enclaveOffice].area = float64(150 + rng.IntN(40))
	}
	return r
}

// setStanding sets the latent quality and trend of platform i, if any.
func setStanding(ps []platform, i int, quality, trend float64) {
	if i >= 0 {
		ps[i].quality, ps[i].trend = quality, trend
	}
}

// skipped tells whether platform i filed nothing for year y although due.
func (r *roles) skipped(o Options, i, y int) bool {
	return y == o.LastYear && (i == r.enclaveSkip[0] || i == r.enclaveSkip[1] || i == r.ticSkip[0] || i == r.ticSkip[1])
}

// band maps a share of a programme's platforms, ranked by standing, to scores:
// platforms ranked below upTo score between lo and hi.
type band struct{ upTo, lo, hi float64 }

// scoreBands give the grade spread of each programme, bottom up. Centres: 15 %
// below 60, 40 % 60–75, 30 % 75–85, 15 % 85 and over; enclaves: 83 % pass
// (bad values and stories bring it to about 80 %);
// demo zones: all pass, the best sixth excellent. The bands keep clear of the
// grade cut-offs so that rounding cannot move a platform across one.
var scoreBands = [numProgrammes][]band{
	progEnclave: {{0.17, 40, 59}, {0.6, 61, 75}, {1, 75.5, 94}},
	progDemo:    {{5.0 / 6, 62, 83}, {1, 86, 93}},
	progTIC:     {{0.15, 44, 59.2}, {0.55, 60.8, 74.2}, {0.85, 75.8, 84.2}, {1, 85.8, 95}},
}

// bandScore maps a rank share u in (0, 1) to a score.
func bandScore(prog programme, u float64) float64 {
	from := 0.0
	bands := scoreBands[prog]
	for i, b := range bands {
		if u < b.upTo || i == len(bands)-1 {
			return b.lo + (u-from)/(b.upTo-from)*(b.hi-b.lo)
		}
		from = b.upTo
	}
	return 0
}

// storyScore returns the forced score of a story platform in year y, or false.
func storyScore(rng *rand.Rand, o Options, r *roles, i, y int) (float64, bool) {
	last := o.LastYear
	switch {
	case i == r.enclaveFail && y == last-1:
		return 50 + 6*rng.Float64(), true
	case i == r.enclaveFail && y == last:
		return 46 + 8*rng.Float64(), true
	case i == r.ticRecover && y == last-1:
		return 51 + 6*rng.Float64(), true
	case i == r.ticRecover && y == last:
		return 66 + 6*rng.Float64(), true
	case i == r.demoDip && y == last-1:
		return 50 + 7*rng.Float64(), true
	}
	return 0, false
}

// planScores plans every platform's score for every year. Each year the
// platforms of a programme that file are ranked by quality + trend × years +
// noise, and the rank is mapped through the programme's bands; story platforms
// get their story's score instead.
func planScores(o Options, ps []platform, r *roles) [][]float64 {
	years := o.LastYear - o.FirstYear + 1
	scores := make([][]float64, years)
	standing := make([]float64, len(ps))
	for yi := range years {
		y := o.FirstYear + yi
		rng := rand.New(rand.NewPCG(o.Seed, streamScores+uint64(yi)))
		sc := make([]float64, len(ps))
		for i := range sc {
			sc[i] = math.NaN()
		}
		for prog := range numProgrammes {
			var ranked []int
			for i := range ps {
				p := &ps[i]
				if p.prog != prog || !p.reports(y) || r.skipped(o, i, y) {
					continue
				}
				if s, ok := storyScore(rng, o, r, i, y); ok {
					sc[i] = s
					continue
				}
				standing[i] = p.quality + p.trend*float64(yi) + 0.35*rng.NormFloat64()
				ranked = append(ranked, i)
			}
			sortByLatent(ranked, standing)
			for rank, i := range ranked {
				sc[i] = bandScore(prog, (float64(rank)+0.5)/float64(len(ranked)))
			}
		}
		scores[yi] = sc
	}
	return scores
}
