package samples

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// platform is one registered platform, with what the register says about it
// and the latent traits its yearly values are drawn from.
type platform struct {
	prog     programme
	sub      subtype
	id       string
	name     string
	lead     string
	league   int
	approved time.Time // the true approval date

	// How the register writes it.
	leagueText   string
	categoryText string
	dateText     string // "" means an Excel date cell
	dateStyle    int    // which date number format an Excel date cell uses
	mistyped     bool   // dateText is a typing error (a month of 13)

	// Latent traits.
	quality float64 // standard normal: the platform's standing in its programme
	trend   float64 // yearly drift of the standing

	// Stable facts behind some values.
	area      float64 // enclave office area, 平方米
	staff     int     // enclave full-time staff
	committee int     // centre technical committee size
	fiscal    float64 // centre regional fiscal support, 万元
	parkFirms float64 // demo zone: firms in the park in the first year
	gdp       float64 // demo zone: park GDP in the first year, 亿元
}

// reports tells whether the platform is due to report for year y: it was
// approved on or before 30 June of y.
func (p *platform) reports(y int) bool {
	return !p.approved.After(time.Date(y, time.June, 30, 0, 0, 0, 0, time.UTC))
}

// splitProgrammes divides n platforms in the 60:6:30 proportions of the
// default set, with at least one of each programme; or gives all n to the
// programme only names.
func splitProgrammes(n int, only string) [numProgrammes]int {
	var counts [numProgrammes]int
	if p, ok := programmeOf(only); ok {
		counts[p] = n
		return counts
	}
	demo := max(1, int(math.Round(float64(n)*6/96)))
	tic := max(1, int(math.Round(float64(n)*30/96)))
	return [numProgrammes]int{n - demo - tic, demo, tic}
}

// uniqueNames hands out names, numbering repeats: "X", "X（2）", ...
type uniqueNames map[string]int

// take returns name, or a numbered variant if it was taken before.
func (u uniqueNames) take(name string) string {
	u[name]++
	if n := u[name]; n > 1 {
		return u.take(fmt.Sprintf("%s（%d）", name, n))
	}
	return name
}

// buildPlatforms creates the register's platforms in register order: enclaves,
// demo zones, centres, each by approval date.
func buildPlatforms(rng *rand.Rand, o Options) []platform {
	counts := splitProgrammes(o.Platforms, o.Only)
	names := uniqueNames{}
	all := make([]platform, 0, o.Platforms)
	for _, group := range [][]platform{
		buildEnclaves(rng, o.LastYear, counts[progEnclave], names),
		buildDemoZones(rng, o.LastYear, counts[progDemo], names),
		buildCentres(rng, o.LastYear, counts[progTIC], names),
	} {
		slices.SortStableFunc(group, func(a, b platform) int { return a.approved.Compare(b.approved) })
		assignIDs(group)
		all = append(all, group...)
	}
	demo := 0
	for i := range all {
		dressRegisterRow(rng, &all[i])
		if all[i].prog == progDemo {
			if demo%3 == 1 { // every third demo zone is written with the short alias
				all[i].categoryText = "成果转移转化示范区"
			}
			demo++
		}
	}
	return all
}

// assignIDs numbers a programme's platforms by approval year, in date order.
func assignIDs(ps []platform) {
	if len(ps) == 0 {
		return
	}
	prefix, width := "FD", 3
	switch ps[0].prog {
	case progDemo:
		prefix, width = "SFQ", 2
	case progTIC:
		prefix = "JSZX"
	}
	seq := map[int]int{}
	for i := range ps {
		y := ps[i].approved.Year()
		seq[y]++
		ps[i].id = fmt.Sprintf("%s-%d-%0*d", prefix, y, width, seq[y])
	}
}

// dateIn draws a date between from and to (inclusive).
func dateIn(rng *rand.Rand, from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours()/24) + 1
	return from.AddDate(0, 0, rng.IntN(days))
}

// ymd is a UTC date.
func ymd(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// pickWeighted draws an index with probability proportional to its weight.
func pickWeighted(rng *rand.Rand, w []float64) int {
	var sum float64
	for _, x := range w {
		sum += x
	}
	r := rng.Float64() * sum
	for i, x := range w {
		if r < x {
			return i
		}
		r -= x
	}
	return len(w) - 1
}

// latent draws a platform's quality and trend.
func latent(rng *rand.Rand, p *platform) {
	p.quality = rng.NormFloat64()
	p.trend = 0.15 * rng.NormFloat64()
}

// Forced dates among the enclaves: the register always holds one enclave filed
// early in the year after the last (not yet due), two filed in the second half
// of the last year, and one whose date is mistyped in the register.
const (
	forcedNextYear = iota
	forcedLate1
	forcedLate2
	forcedBadDate
	numForced
)

// buildEnclaves creates n enclaves filed from LastYear-4 to LastYear.
func buildEnclaves(rng *rand.Rand, last, n int, names uniqueNames) []platform {
	subs := make([]subtype, 0, n)
	gov := int(math.Round(float64(n) / 3))
	out := int(math.Round(float64(n) * 5 / 12))
	for i := range n {
		switch {
		case i < gov:
			subs = append(subs, subGovLed)
		case i < gov+out:
			subs = append(subs, subOutbound)
		default:
			subs = append(subs, subInbound)
		}
	}
	rng.Shuffle(len(subs), func(i, j int) { subs[i], subs[j] = subs[j], subs[i] })
	yearWeights := []float64{0.12, 0.2, 0.24, 0.24, 0.2}
	ps := make([]platform, n)
	for i := range ps {
		p := &ps[i]
		p.prog, p.sub = progEnclave, subs[i]
		y := last - 4 + pickWeighted(rng, yearWeights)
		p.approved = dateIn(rng, ymd(y, 1, 5), ymd(y, 12, 28))
		if n >= 8 && i < numForced {
			switch i {
			case forcedNextYear:
				p.approved = dateIn(rng, ymd(last+1, 1, 8), ymd(last+1, 2, 26))
			case forcedLate1:
				p.approved = dateIn(rng, ymd(last, 7, 10), ymd(last, 9, 30))
			case forcedLate2:
				p.approved = dateIn(rng, ymd(last, 10, 8), ymd(last, 12, 20))
			case forcedBadDate:
				p.approved = ymd(last-2, 3, 5)
				p.dateText = fmt.Sprintf("%d年13月5日", last-2) // 3月 mistyped as 13月
				p.mistyped = true
			}
		}
		nameEnclave(rng, p, names)
		latent(rng, p)
		if p.sub == subGovLed {
			p.area = math.Round(200 + 1300*math.Pow(rng.Float64(), 2))
			p.staff = 5 + rng.IntN(16)
		} else {
			p.area = math.Round(100 + 700*math.Pow(rng.Float64(), 1.5))
			p.staff = 5 + rng.IntN(40)
		}
	}
	return ps
}

// nameEnclave names an enclave and its lead unit by its subtype, drawing
// again (a few times) when the name is taken.
func nameEnclave(rng *rand.Rand, p *platform, names uniqueNames) {
	var name string
	for try := 0; ; try++ {
		hub := hubs[rng.IntN(len(hubs))]
		p.league = pickWeighted(rng, leagueWeights[:])
		lg := leagues[p.league]
		switch p.sub {
		case subGovLed:
			name = fmt.Sprintf("%s（%s）科创飞地", lg.name, hub)
			if rng.IntN(2) == 0 {
				p.lead = lg.name + "科学技术局"
			} else {
				p.lead = lg.short + "科创飞地运营管理有限公司"
			}
		case subOutbound:
			brand, ind := brands[rng.IntN(len(brands))], industries[rng.IntN(len(industries))]
			base := [...]string{"（%s）研发中心", "%s创新基地", "%s研究院"}[rng.IntN(3)]
			name = brand + ind + fmt.Sprintf(base, hub)
			p.lead = companyName(rng, lg, brand, ind)
		default:
			inst := outsideInstitutes[rng.IntN(len(outsideInstitutes))]
			name = inst + lg.short + "研究院"
			if strings.HasSuffix(inst, "研究院") {
				name = inst + lg.short + "分院"
			}
			p.lead = inst
		}
		if names[name] == 0 || try == 10 {
			break
		}
	}
	p.name = names.take(name)
}

// companyName makes a fictitious company name.
func companyName(rng *rand.Rand, lg league, brand, industry string) string {
	switch rng.IntN(3) {
	case 0:
		return "内蒙古" + brand + industry + "有限公司"
	case 1:
		return lg.short + brand + industry + "股份有限公司"
	}
	return "内蒙古" + brand + industry + "集团有限公司"
}

// buildDemoZones creates n demonstration zones, approved in two batches in
// LastYear-3 and LastYear-2; the first six are the parks of the guide.
func buildDemoZones(rng *rand.Rand, last, n int, names uniqueNames) []platform {
	batches := [2]time.Time{
		dateIn(rng, ymd(last-3, 4, 1), ymd(last-3, 5, 31)),
		dateIn(rng, ymd(last-2, 2, 1), ymd(last-2, 11, 30)),
	}
	ps := make([]platform, n)
	for i := range ps {
		p := &ps[i]
		p.prog = progDemo
		if i < len(demoParks) {
			park := demoParks[i]
			p.name, p.league = names.take(park.name), park.league
			p.approved = batches[park.batch]
		} else {
			p.league = pickWeighted(rng, leagueWeights[:])
			p.name = names.take(leagues[p.league].short + parkKinds[rng.IntN(len(parkKinds))])
			p.approved = batches[rng.IntN(2)]
		}
		p.lead = p.name + "管理委员会"
		latent(rng, p)
		p.parkFirms = math.Round(110 + 500*rng.Float64())
		p.gdp = round2(30 + 570*math.Pow(rng.Float64(), 1.5))
	}
	return ps
}

// centreQualifiers make further centre names once the thirty fields are used.
var centreQualifiers = [...]string{"绿色", "智能", "高端", "特色", "低碳", "先进"}

// buildCentres creates n technology innovation centres approved in batches
// from LastYear-5 (the centre plan dates from September of that year) to
// LastYear.
func buildCentres(rng *rand.Rand, last, n int, names uniqueNames) []platform {
	yearWeights := []float64{6, 6, 5, 5, 4, 4}
	var batches [6][2]time.Time
	for k := range batches {
		y := last - 5 + k
		from := ymd(y, 3, 1)
		if k == 0 {
			from = ymd(y, 9, 15)
		}
		for b := range batches[k] {
			batches[k][b] = dateIn(rng, from, ymd(y, 12, 20))
		}
	}
	ps := make([]platform, n)
	for i := range ps {
		p := &ps[i]
		p.prog = progTIC
		field := centreFields[i%len(centreFields)]
		label := field.field
		if i >= len(centreFields) {
			label = centreQualifiers[(i/len(centreFields)-1)%len(centreQualifiers)] + label
		}
		p.name = names.take("内蒙古自治区" + label + "技术创新中心")
		p.league = field.league
		if field.university != "" && rng.IntN(3) > 0 {
			p.lead = field.university
		} else {
			p.lead = companyName(rng, leagues[p.league], brands[rng.IntN(len(brands))], field.industry)
		}
		k := pickWeighted(rng, yearWeights)
		p.approved = batches[k][rng.IntN(2)]
		latent(rng, p)
		p.committee = 9 + rng.IntN(17)
		p.fiscal = float64(100 + 50*rng.IntN(19))
	}
	return ps
}

// dressRegisterRow decides how the register writes a platform: league alias
// and the form of the approval date.
func dressRegisterRow(rng *rand.Rand, p *platform) {
	lg := leagues[p.league]
	p.leagueText = lg.name
	if lg.alias != "" && rng.IntN(4) == 0 {
		p.leagueText = lg.alias
	}
	p.categoryText = p.prog.category()
	if p.dateText != "" {
		return
	}
	d := p.approved
	switch r := rng.IntN(20); {
	case r < 13:
		p.dateStyle = 0 // Excel date, yyyy-mm-dd
	case r < 16:
		p.dateStyle = 1 // Excel date, yyyy年m月d日
	case r == 16:
		p.dateText = fmt.Sprintf("%d年%d月%d日", d.Year(), d.Month(), d.Day())
	case r == 17:
		p.dateText = d.Format("2006-01-02")
	case r == 18:
		p.dateText = fmt.Sprintf("%d/%d/%d", d.Year(), d.Month(), d.Day())
	default:
		p.dateText = d.Format("2006.01")
	}
}

// byProgramme lists the indexes of a programme's platforms in register order.
func byProgramme(ps []platform, prog programme) []int {
	var idx []int
	for i := range ps {
		if ps[i].prog == prog {
			idx = append(idx, i)
		}
	}
	return idx
}

// sortByLatent orders platform indexes by a latent value, ties by index.
func sortByLatent(idx []int, val []float64) {
	slices.SortStableFunc(idx, func(a, b int) int {
		if c := cmp.Compare(val[a], val[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
}
