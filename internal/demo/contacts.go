package demo

import (
	"math/rand/v2"
	"time"
)

func contactColumns() []string {
	return []string{"day", "unit_id", "channel_id", "contacts"}
}

// contactRatio is how many contacts a channel carries per feedback item:
// most calls and e-service transactions are errands, not feedback, while a
// web form is mostly used to give feedback.
func contactRatio(c channel) float64 {
	return [numChannels]float64{
		servicePoint: 10, phone: 12, email: 6, webForm: 2.5, eService: 25,
		socialMedia: 4, chat: 8, video: 3, instantMessaging: 6, chatbot: 30,
		whatsapp: 5, letter: 3,
	}[c]
}

// baseContacts is the daily errand traffic per staff member on a channel
// that a unit gets whether or not anyone gives feedback, so that units with
// little feedback still see contacts.
func baseContacts(c channel) float64 {
	switch c {
	case phone:
		return 0.06
	case email:
		return 0.05
	case servicePoint:
		return 0.04
	default:
		return 0.01
	}
}

// contactGen generates a row per day, unit and channel the unit serves.
// Each count is the day's generated feedback on that unit and channel plus
// other contacts, whose expected total over the period is contactRatio
// times the feedback. It implements pgx.CopyFromSource.
type contactGen struct {
	m      *model
	r      *rand.Rand
	counts []int32 // from feedbackGen

	// Per unit and channel: the feedback total, and the sum and mean of the
	// day weights, which spread the extra contacts over the period.
	feedback []float64
	wSum     []float64
	// season[unit][month of the period]; monthOf[day] is the day's month
	// of the period.
	season  [][]float64
	monthOf []int

	day, unit int
	ch        channel
	date      time.Time
	row       []any
}

func newContactGen(m *model, seed int64, counts []int32) *contactGen {
	g := &contactGen{
		m:        m,
		r:        newRand(seed, streamContacts),
		counts:   counts,
		feedback: make([]float64, len(m.units)*int(numChannels)),
		wSum:     make([]float64, len(m.units)*int(numChannels)),
		season:   make([][]float64, len(m.units)),
		day:      0,
		unit:     0,
		ch:       -1,
		row:      make([]any, len(contactColumns())),
	}
	p := m.period
	monthOf := make([]int, p.days)
	for d := range p.days {
		day := p.day(d)
		monthOf[d] = (day.Year()-p.start.Year())*12 + int(day.Month()) - int(p.start.Month())
	}
	for u := range m.units {
		g.season[u] = make([]float64, months)
		for i := range months {
			g.season[u][i] = m.unitSeason(u, p.month(i))
		}
	}
	for u := range m.units {
		for c := range numChannels {
			uc := u*int(numChannels) + int(c)
			for d := range p.days {
				g.feedback[uc] += float64(counts[uc*p.days+d])
				g.wSum[uc] += m.chanDay[c][d] * g.season[u][monthOf[d]]
			}
		}
	}
	g.monthOf = monthOf
	g.date = p.day(0)
	return g
}

// Next implements pgx.CopyFromSource: days in order, then units in
// organisation order, then the unit's channels in channel order.
func (g *contactGen) Next() bool {
	m := g.m
	for {
		g.ch++
		if g.ch == numChannels {
			g.ch = 0
			g.unit++
		}
		if g.unit == len(m.units) {
			g.unit = 0
			g.day++
			if g.day == m.period.days {
				return false
			}
			g.date = m.period.day(g.day)
		}
		if m.units[g.unit].channels.has(g.ch) {
			break
		}
	}
	g.row[0] = civilDate(g.date)
	g.row[1] = m.units[g.unit].id
	g.row[2] = m.chanIDs[g.ch]
	g.row[3] = int32(g.contacts())
	return true
}

func (g *contactGen) contacts() int {
	m, u, c, d := g.m, g.unit, g.ch, g.day
	uc := u*int(numChannels) + int(c)
	fb := int(g.counts[uc*m.period.days+d])
	if g.wSum[uc] == 0 {
		return fb
	}
	w := m.chanDay[c][d] * g.season[u][g.monthOf[d]]
	meanW := g.wSum[uc] / float64(m.period.days)
	extra := (contactRatio(c)-1)*g.feedback[uc]*w/g.wSum[uc] +
		baseContacts(c)*float64(m.units[u].headcount)*w/meanW
	return fb + poisson(g.r, extra)
}

// Values implements pgx.CopyFromSource; the slice is reused.
func (g *contactGen) Values() ([]any, error) { return g.row, nil }

// Err implements pgx.CopyFromSource.
func (g *contactGen) Err() error { return nil }

// civilDate turns a local midnight into the value pgx sends as a date: pgx
// takes the year, month and day as they read in the time's own location,
// and UTC keeps them from shifting anywhere else.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
