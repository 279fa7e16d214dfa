package samples

import (
	"math"
	"math/rand/v2"
)

// A platform's values for a year are drawn so that the configured score,
// Σ weight × min(value / target, 1), lands on a planned score. The plan comes
// from the platform's latent quality and trend (see scores.go); the values
// spread around it indicator by indicator, some above their target, some
// below, the way real reports do.

// term is one scored quantity as it is written in the form. Discrete terms
// are whole numbers, continuous ones amounts with two decimals.
type term struct {
	idx    int     // slot in the value vector
	weight float64 // points the term carries
	target float64 // written value that earns the full weight
	max    float64 // cap on the written value; 0 for none
	bias   float64 // exponent on the level s/100 (0 means 1): below 1 keeps the ratio high
}

// ratioSpread is the spread (log scale) of an indicator's ratio to target
// around the platform's overall level.
const ratioSpread = 0.35

// drawRatios draws one value/target ratio per term around the level s/100.
func drawRatios(rng *rand.Rand, s float64, terms []term) []float64 {
	r := make([]float64, len(terms))
	for i, t := range terms {
		level := s / 100
		if t.bias > 0 {
			level = math.Pow(level, t.bias)
		}
		r[i] = clamp(level*math.Exp(ratioSpread*rng.NormFloat64()), 0.03, 2.5)
	}
	return r
}

// earned is the score of ratios r scaled by lambda.
func earned(terms []term, r []float64, lambda float64) float64 {
	var s float64
	for i, t := range terms {
		s += t.weight * math.Min(lambda*r[i], 1)
	}
	return s
}

// scaleFor finds the factor lambda for which the scaled ratios r earn goal
// points, by bisection (earned is monotone in lambda).
func scaleFor(terms []term, r []float64, goal float64) float64 {
	if goal <= 0 {
		return 0
	}
	hi := 1.0
	for earned(terms, r, hi) < goal && hi < 1e6 {
		hi *= 2
	}
	lo := 0.0
	for range 60 {
		mid := (lo + hi) / 2
		if earned(terms, r, mid) < goal {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// solveTerms writes into v the values of the discrete terms and then of the
// continuous terms so that together they earn about s points.
func solveTerms(rng *rand.Rand, s float64, discrete, continuous []term, v []float64) {
	all := append(append([]term(nil), discrete...), continuous...)
	r := drawRatios(rng, s, all)
	lambda := scaleFor(all, r, s)
	for i, t := range discrete {
		x := math.Round(lambda * r[i] * t.target)
		if t.max > 0 {
			x = math.Min(x, t.max)
		}
		v[t.idx] = math.Max(x, 0)
	}
	got := discreteEarned(discrete, v)
	capacity := 0.0
	for _, t := range continuous {
		capacity += t.weight
	}
	// Nudge whole numbers when the amounts alone cannot make up the difference:
	// the amounts should neither all sit above target nor all be nil.
	for range 40 {
		var dir float64
		switch {
		case s-got > capacity-0.5:
			dir = +1
		case s-got < 0.5:
			dir = -1
		}
		if dir == 0 || !nudge(discrete, v, dir) {
			break
		}
		got = discreteEarned(discrete, v)
	}
	rc := r[len(discrete):]
	mu := scaleFor(continuous, rc, s-got)
	for i, t := range continuous {
		x := math.Min(mu*rc[i], 3) * t.target
		if s-got <= 0 {
			x = 0.02 * rc[i] * t.target
		}
		if t.max > 0 {
			x = math.Min(x, t.max)
		}
		v[t.idx] = round2(x)
	}
}

// discreteEarned is the score of the discrete terms' written values.
func discreteEarned(terms []term, v []float64) float64 {
	var s float64
	for _, t := range terms {
		s += t.weight * math.Min(v[t.idx]/t.target, 1)
	}
	return s
}

// nudge moves one discrete term by one unit: up the one furthest below its
// target, or down the one with the most points. It reports whether it moved.
func nudge(terms []term, v []float64, dir float64) bool {
	best, bestKey := -1, 0.0
	for i, t := range terms {
		ratio := v[t.idx] / t.target
		switch {
		case dir > 0 && ratio < 1 && (t.max == 0 || v[t.idx] < t.max):
			if best < 0 || ratio < bestKey {
				best, bestKey = i, ratio
			}
		case dir < 0 && v[t.idx] >= 1 && ratio <= 1:
			if key := t.weight * ratio; best < 0 || key > bestKey {
				best, bestKey = i, key
			}
		}
	}
	if best < 0 {
		return false
	}
	v[terms[best].idx] += dir
	return true
}

// enclaveValues draws an enclave's values for a year, aiming at score s.
func enclaveValues(rng *rand.Rand, p *platform, s float64) []float64 {
	v := make([]float64, len(enclaveIndicators))
	discrete := []term{
		{idx: enProjects, weight: 5, target: 5},
		{idx: enResults, weight: 15, target: 5},
		{idx: enFirms, weight: 10, target: 5},
		{idx: enTalents, weight: 10, target: 20},
		{idx: enCompletion, weight: 15, target: 100, max: 100, bias: 0.35}, // completion rates run high
	}
	continuous := []term{
		{idx: enContract, weight: 20, target: enclaveContractTarget(p.sub)},
		{idx: enInvestment, weight: 15, target: 2000},
		{idx: enRDNonFiscal, weight: 10, target: 300},
	}
	solveTerms(rng, s, discrete, continuous, v)
	v[enOfficeArea] = p.area
	v[enStaff] = math.Max(float64(p.staff+rng.IntN(3)-1), 5)
	if p.sub == subGovLed {
		v[enEventSpend] = round2(10 + 70*rng.Float64())
	} else {
		v[enEventSpend] = round2(2 + 28*rng.Float64())
	}
	// Only an inbound enclave has support funds from the site it lands in
	// (the base of its support, enclave_guide 六(二)); the others leave the
	// column blank or write "—".
	v[enLocalSupport] = math.NaN()
	if p.sub == subInbound {
		v[enLocalSupport] = round2((20 + 100*rng.Float64()) * (0.6 + 0.8*s/100))
	}
	return v
}

// demoValues draws a demo zone's values for year index yi, aiming at score s.
// The three shares are written as their parts: the firm share through the
// number of high-tech firms, the R&D intensity through R&D spending against
// the park's GDP, the revenue share through high-tech revenue.
func demoValues(rng *rand.Rand, p *platform, s float64, yi int) []float64 {
	v := make([]float64, len(demoIndicators))
	growth := math.Pow(1.06, float64(yi))
	v[dzParkFirms] = math.Round(p.parkFirms * growth * (0.97 + 0.06*rng.Float64()))
	gdpYi := round2(p.gdp * growth * (0.95 + 0.1*rng.Float64())) // 亿元, two decimals
	v[dzParkGDP] = math.Round(gdpYi * 10000)                     // 万元, a multiple of 100
	v[dzParkRevenue] = round2(v[dzParkGDP] * (1.4 + 1.2*rng.Float64()))
	discrete := []term{
		{idx: dzInstitutions, weight: 10, target: 15},
		{idx: dzBrokers, weight: 10, target: 20},
		{idx: dzContractCount, weight: 10, target: 100},
		{idx: dzHitechFirms, weight: dzShareWeight, target: v[dzParkFirms] * dzFirmShareTarget / 100, max: v[dzParkFirms] * 0.9},
	}
	continuous := []term{
		{idx: dzContract, weight: 25, target: 10000},
		{idx: dzRDSpend, weight: dzShareWeight, target: v[dzParkGDP] * dzIntensityTarget / 100},
		{idx: dzHitechRevenue, weight: dzShareWeight, target: v[dzParkRevenue] * dzRevenueShareTarg / 100, max: v[dzParkRevenue] * 0.92},
	}
	solveTerms(rng, s, discrete, continuous, v)
	return v
}

// ticValues draws a centre's values, aiming at score s. directorMonths
// overrides the director's months when positive.
func ticValues(rng *rand.Rand, p *platform, s float64, directorMonths float64) []float64 {
	v := make([]float64, len(ticIndicators))
	discrete := []term{
		{idx: tcKeyTech, weight: 15, target: 5},
		{idx: tcPatents, weight: 10, target: 10},
		{idx: tcResults, weight: 15, target: 5},
		{idx: tcSpinoffs, weight: 10, target: 3},
		{idx: tcSMEs, weight: 15, target: 50},
	}
	continuous := []term{
		{idx: tcRDSpend, weight: 15, target: 3000},
		{idx: tcServiceRevenue, weight: 20, target: 1000},
	}
	solveTerms(rng, s, discrete, continuous, v)
	size := p.committee
	if rng.IntN(4) == 0 {
		size = min(max(size+rng.IntN(3)-1, 9), 25)
	}
	v[tcCommittee] = float64(size)
	insiders := size/3 - rng.IntN(3)
	if rng.IntN(16) == 0 {
		insiders = size/3 + 1 // more than a third: a governance warning
	}
	v[tcInsiders] = float64(max(insiders, 1))
	v[tcDirectorMonths] = [...]float64{12, 12, 12, 12, 12, 11, 11, 10, 10, 9}[rng.IntN(10)]
	if directorMonths > 0 {
		v[tcDirectorMonths] = directorMonths
	}
	v[tcFiscal] = p.fiscal
	v[tcMatching] = round2(p.fiscal * (0.75 + 2.25*rng.Float64()))
	return v
}

// scoreOf computes the configured score of a row of values, the way the
// engine's default configuration does, for checks and documentation.
func scoreOf(prog programme, sub subtype, v []float64) float64 {
	part := func(value, weight, target float64) float64 {
		if math.IsNaN(value) || target <= 0 {
			return 0
		}
		return weight * clamp(value/target, 0, 1)
	}
	var s float64
	for i, ind := range indicatorsOf(prog) {
		target := ind.target
		if prog == progEnclave && i == enContract {
			target = enclaveContractTarget(sub)
		}
		s += part(v[i], ind.weight, target)
	}
	if prog == progDemo {
		s += part(100*v[dzHitechFirms]/v[dzParkFirms], dzShareWeight, dzFirmShareTarget)
		s += part(100*v[dzRDSpend]/v[dzParkGDP], dzShareWeight, dzIntensityTarget)
		s += part(100*v[dzHitechRevenue]/v[dzParkRevenue], dzShareWeight, dzRevenueShareTarg)
	}
	return s
}

// round2 rounds to two decimals.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// clamp limits x to [lo, hi].
func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
