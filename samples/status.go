package samples

// The set plans each platform's status across the years the way the engine's
// default configuration decides it, so that the stories come out as the README
// says and no other platform is revoked:
//
//   - 科创飞地: the annual assessment every year from the first report; a
//     failed one opens one year of rectification, and failing again (two
//     years running) revokes. A report due but not filed is a fail. The
//     comprehensive evaluation (approval year + 3, + 6 …) combines the
//     indicator score with the expert panel and does not touch the status.
//   - 示范区: evaluated in approval year + 3, + 6 …; a fail opens two years of
//     rectification and failing the re-evaluation at their end revokes.
//   - 技术创新中心: evaluated every year from approval year + 3; a fail opens
//     one year of rectification and failing the re-evaluation revokes. A
//     report due but not filed, and the events of revokingEvents, revoke at
//     once.
//
// A row the engine refuses (a documented bad value, a row written twice)
// leaves the platform ungraded and its status as it was. The pass mark is 60
// in every programme, and the planned score stands for the final score: the
// expert panel is drawn inside the same grade band (experts.go).

// status is a platform's standing at the end of a year.
type status int

const (
	stActive status = iota
	stRectifying
	stRevoked
)

// statusNames are the statuses as the published results write them.
var statusNames = [...]string{"正常", "整改", "撤销"}

// passMark is the lowest passing score of every programme's status
// assessment.
const passMark = 60

// track is a platform's status at the end of a year and how the year went.
type track struct {
	status status
	review int     // while rectifying: the year of the re-assessment
	graded bool    // the status assessment was graded this year
	failed bool    // ... and failed (a due report not filed counts as a fail)
	score  float64 // the planned score it was graded on; NaN when not filed
}

// rectificationYears is the rectification window of each programme.
var rectificationYears = [numProgrammes]int{progEnclave: 1, progDemo: 2, progTIC: 1}

// scheduled tells whether year y is one of the platform's three-yearly
// evaluation years, approval year + 3, + 6 …: the enclave's comprehensive
// evaluation and the demo zone's evaluation.
func (p *platform) scheduled(y int) bool {
	d := y - p.approved.Year()
	return d >= 3 && d%3 == 0
}

// statusDue tells whether the platform's status assessment is due in year y
// given its status at the end of the year before; the report must be due too.
func (p *platform) statusDue(before track, y int) bool {
	switch {
	case !p.reports(y) || before.status == stRevoked:
		return false
	case before.status == stRectifying:
		return y >= before.review
	case p.prog == progEnclave:
		return true
	case p.prog == progDemo:
		return p.scheduled(y)
	}
	return y-p.approved.Year() >= 3
}

// graded tells whether platform i's status assessment is graded on a filed
// report in year y: due, filed, not refused and not revoked by an event first.
func (pl *plan) graded(i, y int, before track) bool {
	return pl.platforms[i].statusDue(before, y) && !pl.roles.skipped(pl.opts, i, y) &&
		!pl.roles.refused(pl.opts, i, y) && !pl.eventRevokes(i, y)
}

// panelDue tells whether platform i is up for an assessment with an expert
// panel in year y: a centre's or a demo zone's evaluation, an enclave's
// comprehensive evaluation. A platform revoked earlier or by an event of the
// year, or one that filed nothing, has no panel.
func (pl *plan) panelDue(i, y int, before track) bool {
	p := &pl.platforms[i]
	if !p.reports(y) || before.status == stRevoked || pl.roles.skipped(pl.opts, i, y) || pl.eventRevokes(i, y) {
		return false
	}
	if p.prog == progEnclave {
		return p.scheduled(y)
	}
	return p.statusDue(before, y)
}

// step moves platform i through year y from its status at the end of the
// year before, on its planned score.
func (pl *plan) step(i, y int, before track, score float64) track {
	p := &pl.platforms[i]
	t := track{status: before.status, review: before.review, score: score}
	filed := !pl.roles.skipped(pl.opts, i, y)
	switch {
	case before.status == stRevoked || !p.reports(y):
		return t
	case pl.eventRevokes(i, y), !filed && p.prog == progTIC:
		t.status, t.review = stRevoked, 0
		return t
	case filed && pl.roles.refused(pl.opts, i, y), !p.statusDue(before, y):
		return t
	}
	t.graded = true
	t.failed = !filed || score < passMark
	switch {
	case t.failed && before.status == stRectifying:
		t.status, t.review = stRevoked, 0
	case t.failed:
		t.status, t.review = stRectifying, y+rectificationYears[p.prog]
	default:
		t.status, t.review = stActive, 0
	}
	return t
}

// stateAt is platform i's track at the end of year y, from the published
// year FirstYear-1 on; before it, an active platform with nothing graded.
func (pl *plan) stateAt(i, y int) track {
	k := y - (pl.opts.FirstYear - 1)
	if k < 0 || k >= len(pl.states) {
		return track{}
	}
	return pl.states[k][i]
}
