package samples

import (
	"math"
	"math/rand/v2"
	"slices"
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
	demoDip int // below 60 in the last year, an evaluation year
	// Centres.
	ticRecover  int    // below 60 in the second-to-last year, above 60 in the last
	ticDirector int    // last year: director at the centre 7 months
	ticSkip     [2]int // due in the last year, filed nothing
	badSMEs     int    // last year: 服务科技型中小企业数 "五十"
	badRD       int    // last year: 研发经费投入 "1,2345"
	ticDup      int    // last year: row written twice

	// Roles of the multi-year stories (see status.go), picked after the
	// others so that adding them left the earlier picks where they were.
	enclaveRestored int // fails in the published year FirstYear-1, passes in FirstYear
	enclaveAward    int // comprehensive evaluation in the last year: excellent
	panelShort      int // comprehensive evaluation in the last year: two expert scores only
	panelNone       int // comprehensive evaluation in the last year: no expert scores
	enclaveEvent    int // 弄虚作假 recorded in LastYear-2 (noted only)
	ticFraud        int // 弄虚作假 in LastYear-1: revoked; still files for the last year
	ticStopped      int // 牵头单位停产破产 in the last year: revoked
}

// list returns the platforms that have a role, in no particular order; -1
// where a role is not taken.
func (r *roles) list() []int {
	return []int{r.enclaveFail, r.enclaveOffice, r.enclaveStaff, r.enclaveSkip[0], r.enclaveSkip[1],
		r.badContract, r.badStaff, r.badInvest, r.badTalents, r.badDash, r.demoDip,
		r.ticRecover, r.ticDirector, r.ticSkip[0], r.ticSkip[1], r.badSMEs, r.badRD, r.ticDup,
		r.enclaveRestored, r.enclaveAward, r.panelShort, r.panelNone, r.enclaveEvent, r.ticFraud, r.ticStopped}
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
	// The demo zone's dip falls in its evaluation year, the last; it is drawn
	// among the zones due the year before (which kept the default set's
	// pick) and again among those evaluated in the last year if need be.
	r.demoDip = k.pick(progDemo, duePrev)
	if i := r.demoDip; i >= 0 && !ps[i].scheduled(last) {
		if j := k.pick(progDemo, func(p *platform) bool { return dueLast(p) && p.scheduled(last) }); j >= 0 {
			k.used[i], r.demoDip = false, j
		}
	}
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
	// The stories across years.
	comprehensiveLast := func(p *platform) bool { return dueLast(p) && p.scheduled(last) }
	r.enclaveRestored = k.pick(progEnclave, func(p *platform) bool { return p.reports(o.FirstYear - 1) })
	r.enclaveAward = k.pick(progEnclave, comprehensiveLast)
	r.panelShort = k.pick(progEnclave, comprehensiveLast)
	r.panelNone = k.pick(progEnclave, comprehensiveLast)
	r.enclaveEvent = k.pick(progEnclave, func(p *platform) bool { return p.reports(last - 2) })
	r.ticFraud = k.pick(progTIC, func(p *platform) bool { return dueLast(p) && p.reports(last-1) && last-1-p.approved.Year() >= 3 })
	if r.ticFraud < 0 {
		r.ticFraud = k.pick(progTIC, func(p *platform) bool { return dueLast(p) && p.reports(last-1) })
	}
	r.ticStopped = k.pick(progTIC, dueLast)
	setStanding(ps, r.enclaveAward, 1.5, 0.1)
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
	return i >= 0 && y == o.LastYear && (i == r.enclaveSkip[0] || i == r.enclaveSkip[1] || i == r.ticSkip[0] || i == r.ticSkip[1])
}

// refused tells whether platform i's row for year y carries a documented bad
// value (or is written twice), so that the engine refuses it: it neither
// grades the platform that year nor changes its status.
func (r *roles) refused(o Options, i, y int) bool {
	switch {
	case i < 0:
		return false
	case y == o.LastYear:
		return slices.Contains([]int{r.badContract, r.badStaff, r.badInvest, r.badTalents, r.badSMEs, r.badRD, r.ticDup}, i)
	case y == o.dashYear():
		return i == r.badDash
	}
	return false
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
	case i < 0:
		return 0, false
	case i == r.enclaveFail && y == last-1:
		return 50 + 6*rng.Float64(), true
	case i == r.enclaveFail && y == last:
		return 46 + 8*rng.Float64(), true
	case i == r.ticRecover && y == last-1:
		return 51 + 6*rng.Float64(), true
	case i == r.ticRecover && y == last:
		return 66 + 6*rng.Float64(), true
	case i == r.demoDip && y == last:
		return 50 + 7*rng.Float64(), true
	case i == r.enclaveRestored && y == o.FirstYear-1:
		return 45 + 10*rng.Float64(), true
	case i == r.enclaveRestored && y == o.FirstYear:
		return 64 + 8*rng.Float64(), true
	case i == r.enclaveAward && y == last:
		return 88 + 5*rng.Float64(), true
	}
	return 0, false
}

// planYears plans every platform's score for the published year
// FirstYear-1 and for every report year, and follows each platform's status
// through them. Each year the platforms of a programme that file are ranked
// by quality + trend × years + noise, and the rank is mapped through the
// programme's bands; story platforms get their story's score instead. The
// year's scores are then settled so that only the stories revoke, and the
// statuses stepped on.
func (pl *plan) planYears() {
	o, ps, r := pl.opts, pl.platforms, &pl.roles
	y0 := o.FirstYear - 1
	pl.scores = make([][]float64, o.LastYear-o.FirstYear+1)
	pl.states = make([][]track, o.LastYear-y0+1)
	standing := make([]float64, len(ps))
	before := make([]track, len(ps)) // everyone active before the published year
	for y := y0; y <= o.LastYear; y++ {
		yi := y - o.FirstYear
		stream := streamScores + uint64(yi)
		if y == y0 {
			stream = streamPublished
		}
		rng := rand.New(rand.NewPCG(o.Seed, stream))
		sc := make([]float64, len(ps))
		forced := make([]bool, len(ps))
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
					sc[i], forced[i] = s, true
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
		pl.settle(rng, y, sc, forced, before)
		now := make([]track, len(ps))
		for i := range ps {
			now[i] = pl.step(i, y, before[i], sc[i])
		}
		if y > y0 { // the published year's scores live on in its tracks
			pl.scores[yi] = sc
		}
		pl.states[y-y0] = now
		before = now
	}
}

// settle keeps the year's planned scores to the stories: a platform that is
// rectifying must not fail its re-assessment (that would revoke it), and a
// role platform fails only where its story says so. Such a failing score is
// swapped with the lowest passing score of a platform free of both, so that
// the year's grade spread stays as planned; when there is none, the score is
// lifted to a pass.
func (pl *plan) settle(rng *rand.Rand, y int, sc []float64, forced []bool, before []track) {
	ps := pl.platforms
	isRole := make([]bool, len(ps))
	for _, i := range pl.roles.list() {
		if i >= 0 {
			isRole[i] = true
		}
	}
	graded := make([]bool, len(ps))
	var free [numProgrammes][]int // platforms free to take a fail, lowest score first
	for j := range ps {
		graded[j] = pl.graded(j, y, before[j])
		if graded[j] && !isRole[j] && !forced[j] && before[j].status == stActive && sc[j] >= passMark {
			free[ps[j].prog] = append(free[ps[j].prog], j)
		}
	}
	for prog := range numProgrammes {
		sortByLatent(free[prog], sc)
	}
	var next [numProgrammes]int
	for i := range ps {
		if forced[i] || !(sc[i] < passMark) || !graded[i] || (before[i].status != stRectifying && !isRole[i]) {
			continue
		}
		prog := ps[i].prog
		if next[prog] < len(free[prog]) {
			j := free[prog][next[prog]]
			next[prog]++
			sc[i], sc[j] = sc[j], sc[i]
		} else {
			sc[i] = passMark + 2 + 8*rng.Float64()
		}
	}
}
