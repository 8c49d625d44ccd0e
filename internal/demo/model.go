package demo

import (
	"math"
	"time"
)

// model holds what every generator shares: the period, the organisation
// with its database ids, the weather and the daily channel weights. Feedback
// and contact volumes follow the same weights, so they move together.
type model struct {
	period  period
	units   []unit // in organisation order
	byCode  map[string]int
	chanIDs [numChannels]int16
	themes  []themeDef
	weather weather

	// chanDay[c][d] is the relative volume of channel c on day d: the
	// channel's share at that point of the period (the channel shift) times
	// its weekday or holiday factor.
	chanDay [numChannels][]float64
	// dayMonth[d] is the calendar month (0 = January) of day d.
	dayMonth []int
}

func newModel(p period, units []unit, chanIDs [numChannels]int16, w weather) *model {
	m := &model{
		period:   p,
		units:    units,
		byCode:   make(map[string]int, len(units)),
		chanIDs:  chanIDs,
		themes:   themes(),
		weather:  w,
		dayMonth: make([]int, p.days),
	}
	for i, u := range units {
		m.byCode[u.code] = i
	}
	for c := range numChannels {
		m.chanDay[c] = make([]float64, p.days)
	}
	for d := range p.days {
		day := p.day(d)
		m.dayMonth[d] = int(day.Month()) - 1
		t := p.progress(d)
		for c := range numChannels {
			m.chanDay[c][d] = share(c, t) * dayFactor(c, day)
		}
	}
	return m
}

// share is channel c's weight on an ordinary weekday at point t (0 to 1)
// of the period. The numbers follow the Kuntaliitto survey: phone and the
// service point dominate, email and web forms are large, e-services and
// social media grow, letters fade, and the newer channels stay small.
func share(c channel, t float64) float64 {
	from, to := [numChannels]float64{
		servicePoint: 0.22, phone: 0.25, email: 0.14, webForm: 0.13,
		eService: 0.06, socialMedia: 0.06, chat: 0.02, video: 0.008,
		instantMessaging: 0.01, chatbot: 0.005, whatsapp: 0.004, letter: 0.035,
	}[c], [numChannels]float64{
		servicePoint: 0.17, phone: 0.21, email: 0.12, webForm: 0.13,
		eService: 0.13, socialMedia: 0.10, chat: 0.035, video: 0.015,
		instantMessaging: 0.015, chatbot: 0.02, whatsapp: 0.008, letter: 0.015,
	}[c]
	return from + (to-from)*t
}

// dayFactor is channel c's volume on day relative to a midweek day. Offices
// and the service point close on weekends and holidays; residents keep
// writing on digital channels.
func dayFactor(c channel, day time.Time) float64 {
	var week [7]float64 // Sunday first, as time.Weekday
	var closed float64  // on a public holiday
	switch c {
	case servicePoint, letter:
		week = [7]float64{0, 1.2, 1.05, 1.0, 1.05, 0.75, 0}
	case phone:
		// A weekend on-call line takes a few calls.
		week = [7]float64{0.02, 1.25, 1.1, 1.0, 1.0, 0.8, 0.03}
		closed = 0.02
	case chat, video:
		week = [7]float64{0.05, 1.2, 1.1, 1.0, 1.0, 0.8, 0.1}
		closed = 0.05
	default:
		week = [7]float64{0.6, 1.2, 1.1, 1.0, 1.0, 0.85, 0.5}
		closed = 0.55
	}
	wd := day.Weekday()
	if wd != time.Saturday && wd != time.Sunday && holiday(day.Date()) {
		return closed
	}
	return week[wd]
}

// quietMonth scales all feedback by month: July is the Finnish holiday
// month, and the weeks around Christmas are calm.
func quietMonth(month int) float64 {
	return [12]float64{1, 1, 1, 1, 1, 1, 0.7, 0.95, 1, 1, 1, 0.9}[month]
}

// themeWeight is theme t's volume in a month, including the weather.
func (m *model) themeWeight(t themeDef, day time.Time) float64 {
	w := t.weight * t.season[day.Month()-1]
	if t.winter {
		w *= m.weather.severity(day)
	}
	if t.code == growingTheme {
		// A new e-service draws more and more feedback over the last
		// months: the themes dashboard should find it growing.
		if left := m.period.end.Sub(day).Hours() / 24; left < growDays {
			w *= 1 + growBy*(1-left/growDays)
		}
	}
	return w
}

// growingTheme gets up to growBy more feedback over the last growDays of
// the period.
const (
	growingTheme = "digital_services"
	growDays     = 180
	growBy       = 1.5
)

// unitSeason is the yearly rhythm of a unit's contacts: that of the first
// theme it handles, or only the quiet months for units without one.
func (m *model) unitSeason(u int, month time.Time) float64 {
	code := m.units[u].code
	for _, t := range m.themes {
		for _, c := range t.units {
			if c == code {
				mean := 0.0
				for _, s := range t.season {
					mean += s
				}
				mean /= 12
				return m.themeWeight(t, month) / t.weight / mean * quietMonth(int(month.Month())-1)
			}
		}
	}
	return quietMonth(int(month.Month()) - 1)
}

// weather gives each winter a severity around 1: a snowy winter brings more
// street-maintenance feedback, overtime and winter-maintenance costs.
type weather struct {
	firstYear int
	winters   []float64 // by the year in which the winter starts
}

func newWeather(seed int64, p period) weather {
	r := newRand(seed, streamWeather)
	w := weather{firstYear: p.start.Year() - 1}
	for y := w.firstYear; y <= p.end.Year(); y++ {
		w.winters = append(w.winters, math.Min(1.6, math.Max(0.6, logNormal(r, 1, 0.25))))
	}
	return w
}

func (w weather) severity(t time.Time) float64 {
	y, m := t.Year(), t.Month()
	switch {
	case m >= time.October:
	case m <= time.April:
		y--
	default:
		return 1
	}
	if i := y - w.firstYear; i >= 0 && i < len(w.winters) {
		return w.winters[i]
	}
	return 1
}
