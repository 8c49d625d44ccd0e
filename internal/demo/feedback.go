package demo

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/luukku-bi/luukku/internal/theme"
)

func feedbackColumns() []string {
	return []string{
		"source", "source_id", "channel_id", "platform", "unit_id", "received_at",
		"first_response_at", "resolved_at", "status", "kind", "language", "body", "themes",
		"lat", "lon",
	}
}

// Source is the feedback.source of every demo row.
const Source = "demo"

// feedbackGen generates feedback rows in order of day. It implements
// pgx.CopyFromSource, so rows stream into COPY without being held in memory.
type feedbackGen struct {
	m       *model
	r       *rand.Rand
	places  places
	effects effects
	cls     *theme.Set
	phrases phrases

	tmpls []template
	// byTheme[theme][lang][kind] lists template indexes.
	byTheme [][numLangs][numKinds][]int
	kinds   []weights // per theme
	// routes[template][channel] picks the unit for feedback from template
	// on channel; hubs[channel] takes what no unit of the theme serves.
	routes [][numChannels]route
	hubs   [numChannels]int
	// anyUnit[channel] picks a unit that serves the channel, for the few
	// items that land on the wrong desk.
	anyUnit [numChannels]route
	hours   [numChannels]weights

	dayCounts []int
	day       int
	left      int // rows still to produce on day
	dayStart  time.Time
	chanW     weights
	themeW    weights

	seq int
	row []any
	b   strings.Builder

	// counts[(unit*numChannels+channel)*days+day] counts the generated
	// rows; contact volumes are built on top of them.
	counts []int32
}

type route struct {
	units []int
	w     weights
}

const (
	langFi = iota
	langSv
	langEn
	numLangs
)

func newFeedbackGen(m *model, seed int64, n int, cls *theme.Set) *feedbackGen {
	g := &feedbackGen{
		m:       m,
		r:       newRand(seed, streamFeedback),
		places:  newPlaces(seed),
		effects: newEffects(m, seed),
		cls:     cls,
		phrases: newPhrases(),
		tmpls:   templates(),
		row:     make([]any, len(feedbackColumns())),
		counts:  make([]int32, len(m.units)*int(numChannels)*m.period.days),
	}
	g.index()
	g.spread(n)
	g.day = -1
	return g
}

// index prepares the lookups that make each row cheap.
func (g *feedbackGen) index() {
	m := g.m
	themeIdx := make(map[string]int, len(m.themes))
	g.byTheme = make([][numLangs][numKinds][]int, len(m.themes))
	g.kinds = make([]weights, len(m.themes))
	for i, t := range m.themes {
		themeIdx[t.code] = i
		g.kinds[i] = newWeights(t.kinds[:])
	}
	for i, t := range g.tmpls {
		ti := themeIdx[t.theme]
		var lang int
		switch t.lang {
		case "sv":
			lang = langSv
		case "en":
			lang = langEn
		}
		g.byTheme[ti][lang][t.kind] = append(g.byTheme[ti][lang][t.kind], i)
	}

	for c := range numChannels {
		g.hubs[c] = m.byCode[hub(c)]
		var units []int
		for i, u := range m.units {
			if u.channels.has(c) {
				units = append(units, i)
			}
		}
		g.anyUnit[c] = m.newRoute(units)
	}
	g.routes = make([][numChannels]route, len(g.tmpls))
	for i, t := range g.tmpls {
		codes := t.units
		if len(codes) == 0 {
			codes = m.themes[themeIdx[t.theme]].units
		}
		for c := range numChannels {
			var units []int
			for _, code := range codes {
				if u := m.byCode[code]; m.units[u].channels.has(c) {
					units = append(units, u)
				}
			}
			g.routes[i][c] = m.newRoute(units)
		}
	}

	for c := range numChannels {
		g.hours[c] = newWeights(hourProfile(c))
	}
}

// newRoute weights units by the square root of their staff: a bigger unit
// gets more feedback, but not proportionally more.
func (m *model) newRoute(units []int) route {
	w := make([]float64, len(units))
	for i, u := range units {
		w[i] = math.Sqrt(float64(m.units[u].headcount))
	}
	return route{units: units, w: newWeights(w)}
}

// spread divides n rows over the days in proportion to each day's weight.
// Rounding the running total keeps the sum exactly n.
func (g *feedbackGen) spread(n int) {
	m := g.m
	w := make([]float64, m.period.days)
	total := 0.0
	for d := range w {
		day := m.period.day(d)
		themes := 0.0
		for _, t := range m.themes {
			themes += m.themeWeight(t, day)
		}
		channels := 0.0
		for c := range numChannels {
			channels += m.chanDay[c][d]
		}
		w[d] = themes * channels * quietMonth(m.dayMonth[d])
		total += w[d]
	}
	g.dayCounts = make([]int, len(w))
	cum, prev := 0.0, 0
	for d, x := range w {
		cum += x
		next := int(math.Round(cum / total * float64(n)))
		g.dayCounts[d] = next - prev
		prev = next
	}
}

// nextDay moves to the next day that has rows and prepares its weights.
func (g *feedbackGen) nextDay() bool {
	for g.left == 0 {
		g.day++
		if g.day >= len(g.dayCounts) {
			return false
		}
		g.left = g.dayCounts[g.day]
	}
	m := g.m
	g.dayStart = m.period.day(g.day)
	cw := make([]float64, numChannels)
	for c := range numChannels {
		cw[c] = m.chanDay[c][g.day]
	}
	g.chanW = newWeights(cw)
	tw := make([]float64, len(m.themes))
	for i, t := range m.themes {
		tw[i] = m.themeWeight(t, g.dayStart)
	}
	g.themeW = newWeights(tw)
	return true
}

// Next implements pgx.CopyFromSource.
func (g *feedbackGen) Next() bool {
	if g.left == 0 && !g.nextDay() {
		return false
	}
	g.left--
	g.seq++
	g.generate()
	return true
}

// Values implements pgx.CopyFromSource. The slice is reused: COPY encodes
// each row before asking for the next.
func (g *feedbackGen) Values() ([]any, error) { return g.row, nil }

// Err implements pgx.CopyFromSource; generation cannot fail.
func (g *feedbackGen) Err() error { return nil }

func (g *feedbackGen) generate() {
	m, r := g.m, g.r
	c := channel(g.chanW.draw(r))

	lang := langFi
	switch x := r.Float64(); {
	case x < 0.062:
		lang = langSv
	case x < 0.072:
		lang = langEn
	}
	ti := g.themeW.draw(r)
	k := kind(g.kinds[ti].draw(r))
	tpl := g.template(ti, lang, k)
	t := g.tmpls[tpl]

	var u int
	switch rt := g.routes[tpl][c]; {
	case r.Float64() < 0.05:
		// Some feedback lands with a unit that has nothing to do with it.
		u = g.anyUnit[c].units[g.anyUnit[c].w.draw(r)]
	case len(rt.units) == 0:
		u = g.hubs[c]
	default:
		u = rt.units[rt.w.draw(r)]
	}
	g.counts[(u*int(numChannels)+int(c))*m.period.days+g.day]++

	// A development action done in the unit turns some complaints on its
	// themes into other feedback and may speed up the answers.
	other, speed := g.effects.apply(u, g.day, m.themes[ti].code, t.kind)
	if other {
		tpl = g.template(ti, lang, [...]kind{question, suggestion, praise}[g.effects.r.IntN(3)])
		t = g.tmpls[tpl]
	}

	received := g.receivedAt(c)
	first, resolved := g.handling(c, t.kind, m.units[u].speed*speed, received)
	status := "closed"
	switch {
	case first.IsZero():
		status = "open"
	case resolved.IsZero():
		status = "in_progress"
	}

	g.b.Reset()
	g.phrases.fill(&g.b, r, t)
	body := g.b.String()

	g.row[0] = Source
	g.row[1] = "demo-" + strconv.Itoa(g.seq)
	g.row[2] = m.chanIDs[c]
	g.row[3] = g.platform(c)
	g.row[4] = m.units[u].id
	g.row[5] = received
	g.row[6] = nullTime(first)
	g.row[7] = nullTime(resolved)
	g.row[8] = status
	g.row[9] = t.kind.code()
	g.row[10] = t.lang
	g.row[11] = body
	g.row[12] = g.cls.Classify(body)
	g.row[13], g.row[14] = g.places.locate(m.themes[ti].code, c)
}

// template picks a template for the theme, language and kind, falling back
// to any kind and then to Finnish when the language has no such template.
func (g *feedbackGen) template(ti, lang int, k kind) int {
	for _, l := range []int{lang, langFi} {
		if list := g.byTheme[ti][l][k]; len(list) > 0 {
			return list[g.r.IntN(len(list))]
		}
		var all []int
		for kk := range numKinds {
			all = append(all, g.byTheme[ti][l][kk]...)
		}
		if len(all) > 0 {
			return all[g.r.IntN(len(all))]
		}
	}
	panic("demo: theme " + g.m.themes[ti].code + " has no Finnish templates")
}

// receivedAt places the row within its day by the channel's opening hours.
func (g *feedbackGen) receivedAt(c channel) time.Time {
	h := g.hours[c].draw(g.r)
	sec := g.r.IntN(3600)
	y, mo, d := g.dayStart.Date()
	return time.Date(y, mo, d, h, sec/60, sec%60, 0, g.m.period.loc)
}

// hourProfile is the hour-of-day distribution of a channel: office hours
// for phone, the service point and letters (the registry stamps them),
// staffed hours for chat and video, the whole day for the rest.
func hourProfile(c channel) []float64 {
	h := make([]float64, 24)
	switch c {
	case phone:
		copy(h[8:], []float64{1.2, 1.5, 1.4, 1.1, 1.0, 1.1, 1.0, 0.8})
	case servicePoint:
		copy(h[9:], []float64{1.0, 1.3, 1.2, 1.3, 1.1, 1.0, 0.8})
	case letter:
		copy(h[9:], []float64{1, 1, 1, 1, 1, 1})
	case chat, video:
		copy(h[8:], []float64{0.8, 1.2, 1.3, 1.1, 1.0, 1.1, 1.0, 0.9, 0.6, 0.4})
	default:
		copy(h, []float64{0.2, 0.1, 0.08, 0.05, 0.05, 0.1, 0.3, 0.7, 1.2, 1.4, 1.4, 1.3,
			1.2, 1.2, 1.2, 1.1, 1.0, 0.9, 1.0, 1.1, 1.1, 0.9, 0.6, 0.4})
	}
	return h
}

// response describes how quickly a channel gets its first answer: the
// median in hours and the log-normal spread. Offices answer email, forms,
// e-services, letters and call-backs in office hours.
type response struct {
	median, sigma float64
	unanswered    float64 // share never answered
	officeHours   bool
}

func responseOf(c channel) response {
	return [numChannels]response{
		servicePoint:     {median: 1, sigma: 1.0, unanswered: 0.01, officeHours: true},
		phone:            {median: 1.5, sigma: 0.9, unanswered: 0.015, officeHours: true},
		email:            {median: 20, sigma: 0.7, unanswered: 0.025, officeHours: true},
		webForm:          {median: 30, sigma: 0.8, unanswered: 0.03, officeHours: true},
		eService:         {median: 30, sigma: 0.8, unanswered: 0.02, officeHours: true},
		socialMedia:      {median: 5, sigma: 1.0, unanswered: 0.06},
		chat:             {median: 0.08, sigma: 0.7, unanswered: 0.01},
		video:            {median: 0.3, sigma: 0.8, unanswered: 0.01},
		instantMessaging: {median: 2, sigma: 0.9, unanswered: 0.03},
		chatbot:          {median: 0.01, sigma: 0.5, unanswered: 0.02},
		whatsapp:         {median: 3, sigma: 0.9, unanswered: 0.03},
		letter:           {median: 200, sigma: 0.45, unanswered: 0.04, officeHours: true},
	}[c]
}

// handling returns the first response and resolution times, zero when they
// have not happened by the end of the period. Slow units (speed > 1) take
// longer on both.
func (g *feedbackGen) handling(c channel, k kind, speed float64, received time.Time) (first, resolved time.Time) {
	r, loc, end := g.r, g.m.period.loc, g.m.period.end
	resp := responseOf(c)
	if r.Float64() < resp.unanswered {
		return time.Time{}, time.Time{}
	}
	if c == chatbot {
		speed = 1 // a bot is as fast everywhere
	}
	first = received.Add(hours(logNormal(r, resp.median*speed, resp.sigma)))
	if resp.officeHours {
		first = nextWorkingTime(first, loc, time.Duration(r.IntN(120))*time.Minute)
	}
	if !first.Before(end) {
		return time.Time{}, time.Time{}
	}

	// Questions and praise are usually settled by the answer itself.
	var more float64
	switch x := r.Float64(); k {
	case question:
		if x >= 0.65 {
			more = logNormal(r, 24, 1.0)
		}
	case praise:
		if x >= 0.9 {
			more = logNormal(r, 2, 1.0)
		}
	case complaint:
		more = logNormal(r, 72, 1.0)
	case suggestion:
		more = logNormal(r, 240, 1.1)
	}
	resolved = first
	if more > 0 {
		resolved = nextWorkingTime(first.Add(hours(more*speed)), loc, time.Duration(r.IntN(480))*time.Minute)
	}
	if !resolved.Before(end) {
		return first, time.Time{}
	}
	return first, resolved
}

func hours(h float64) time.Duration {
	return time.Duration(h * float64(time.Hour)).Round(time.Second)
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// platform names the service behind social media and instant messages.
// Instagram gains on Facebook and X over the period.
func (g *feedbackGen) platform(c channel) any {
	switch c {
	case socialMedia:
		t := g.m.period.progress(g.day)
		switch x := g.r.Float64(); {
		case x < 0.60-0.12*t:
			return "facebook"
		case x < 0.85-0.03*t:
			return "instagram"
		default:
			return "x"
		}
	case instantMessaging:
		switch x := g.r.Float64(); {
		case x < 0.5:
			return "teams"
		case x < 0.8:
			return "messenger"
		default:
			return "signal"
		}
	}
	return nil
}
