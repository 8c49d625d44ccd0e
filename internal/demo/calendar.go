package demo

import (
	"time"
)

// period is the span the demo data covers: the 36 calendar months that end
// in the month of Until, cut off at the end of Until's day. All calendar
// arithmetic happens in Europe/Helsinki, so days and months are Finnish ones.
type period struct {
	loc   *time.Location
	start time.Time // midnight of the first day, inclusive
	end   time.Time // midnight after Until's day, exclusive: nothing happens at or after it
	days  int       // number of days in [start, end)
}

const months = 36

func newPeriod(until time.Time, loc *time.Location) period {
	y, m, d := until.In(loc).Date()
	start := time.Date(y, m-months+1, 1, 0, 0, 0, 0, loc)
	end := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	days := 0
	for t := start; t.Before(end); t = t.AddDate(0, 0, 1) {
		days++
	}
	return period{loc: loc, start: start, end: end, days: days}
}

// day returns midnight of day i of the period. AddDate keeps local midnight
// across daylight-saving changes, which adding 24 hours would not.
func (p period) day(i int) time.Time {
	return p.start.AddDate(0, 0, i)
}

// progress is how far into the period day i is, from 0 to 1. Trends such as
// the shift to digital channels are functions of it.
func (p period) progress(i int) float64 {
	if p.days <= 1 {
		return 1
	}
	return float64(i) / float64(p.days-1)
}

// month returns the first day of month i of the period (0 ≤ i < months).
func (p period) month(i int) time.Time {
	return p.start.AddDate(0, i, 0)
}

// elapsed is the share of month i that lies inside the period: 1 for every
// month but the last, which ends with Until's day.
func (p period) elapsed(i int) float64 {
	first := p.month(i)
	next := first.AddDate(0, 1, 0)
	if !next.After(p.end) {
		return 1
	}
	return float64(p.end.Day()-1) / float64(daysIn(first))
}

func daysIn(month time.Time) int {
	return time.Date(month.Year(), month.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// workday reports whether t's date is a Finnish working day: Monday to
// Friday and not a public holiday.
func workday(t time.Time) bool {
	switch t.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !holiday(t.Date())
}

// holiday reports the Finnish public holidays that close municipal offices,
// including Midsummer Eve and Christmas Eve, which are not official holidays
// but on which offices are closed.
func holiday(y int, m time.Month, d int) bool {
	switch {
	case m == time.January && (d == 1 || d == 6),
		m == time.May && d == 1,
		m == time.December && (d == 6 || d == 24 || d == 25 || d == 26):
		return true
	case m == time.June && d >= 19 && d <= 25:
		// Midsummer Eve is the Friday between 19 and 25 June.
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Weekday() == time.Friday
	}
	easter := easterSunday(y)
	for _, offset := range []int{-2, 1, 39} { // Good Friday, Easter Monday, Ascension Day
		h := easter.AddDate(0, 0, offset)
		if h.Month() == m && h.Day() == d {
			return true
		}
	}
	return false
}

// easterSunday computes Western Easter with the anonymous Gregorian
// algorithm (Meeus/Jones/Butcher).
func easterSunday(y int) time.Time {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// nextWorkingTime moves t into office hours (8–16 on a working day). Staff
// answer email, forms and letters during office hours, so a reply computed
// for a Saturday night is sent on Monday morning instead. jitter spreads
// the morning replies over the first hours.
func nextWorkingTime(t time.Time, loc *time.Location, jitter time.Duration) time.Time {
	local := t.In(loc)
	if workday(local) && local.Hour() >= 8 && local.Hour() < 16 {
		return t
	}
	y, m, d := local.Date()
	if local.Hour() >= 16 || !workday(local) {
		d++
	}
	for {
		morning := time.Date(y, m, d, 8, 0, 0, 0, loc)
		if workday(morning) {
			return morning.Add(jitter)
		}
		d++
	}
}
