package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/luukku-bi/luukku/internal/i18n"
)

// view is a dashboard's state as the URL gives it: the same URL always
// shows the same view.
type view struct {
	lang     i18n.Lang
	langSet  bool // lang came from the URL, so links must keep it
	from, to time.Time
	unit     string   // org unit code; empty = the whole city
	channels []string // channel codes; empty = all
}

var knownParams = []string{"from", "to", "unit", "channel", "lang"}

// langCookie remembers the language a person last chose from the menu.
const langCookie = "luukku_lang"

// langOf picks the language from ?lang=, else the one last chosen, else
// the browser's Accept-Language, else Finnish. It never fails so that
// even an error page speaks the user's language when it can.
func langOf(r *http.Request) i18n.Lang {
	if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := i18n.Parse(c.Value); ok {
			return l
		}
	}
	l, _ := i18n.Negotiate(r.Header.Get("Accept-Language"))
	return l
}

// rememberLang keeps a language chosen by ?lang= in a cookie, so that the
// pages reached from it without the parameter, and the next visit, speak
// it too.
func (s *Server) rememberLang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok && r.Method == http.MethodGet {
			if c, err := r.Cookie(langCookie); err != nil || c.Value != string(l) {
				http.SetCookie(w, &http.Cookie{
					Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
					HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
				})
			}
		}
		next.ServeHTTP(w, r)
	})
}

// parseView validates the syntax of every parameter. Whether a unit or
// channel exists is checked against the database later. Without ?lang=
// the view speaks base. Parameters beyond the view's own are allowed when
// named in extra.
func parseView(q url.Values, now time.Time, base i18n.Lang, extra ...string) (view, error) {
	v := view{lang: base}
	if l, ok := i18n.Parse(q.Get("lang")); ok {
		v.lang, v.langSet = l, true
	}
	for name, vals := range q {
		if allowed := append(knownParams[:len(knownParams):len(knownParams)], extra...); !slices.Contains(allowed, name) {
			return v, &paramError{name, v.lang.Pick(
				"tuntematon parametri; sallitut: "+strings.Join(allowed, ", "),
				"okänd parameter; tillåtna: "+strings.Join(allowed, ", "),
				"unknown parameter; allowed: "+strings.Join(allowed, ", "))}
		}
		if name != "channel" && len(vals) > 1 {
			return v, &paramError{name, v.lang.Pick("annettu useammin kuin kerran", "angiven mer än en gång", "given more than once")}
		}
	}
	if s := q.Get("lang"); s != "" && !v.langSet {
		return v, &paramError{"lang", "fi, sv, en"}
	}
	today := now.In(i18n.Helsinki())
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, i18n.Helsinki())
	v.to = today
	var err error
	if s := q.Get("to"); s != "" {
		if v.to, err = parseDate(v.lang, "to", s); err != nil {
			return v, err
		}
	}
	// Without a start, the view is the twelve calendar months up to its end.
	v.from = monthsUpTo(v.to, 12)
	if v.from.Year() < minYear {
		v.from = time.Date(minYear, 1, 1, 0, 0, 0, 0, i18n.Helsinki())
	}
	if s := q.Get("from"); s != "" {
		if v.from, err = parseDate(v.lang, "from", s); err != nil {
			return v, err
		}
	}
	if v.from.After(v.to) {
		return v, &paramError{"from", v.lang.Pick("alkupäivä on loppupäivän jälkeen", "startdatum efter slutdatum", "start date is after the end date")}
	}
	v.unit = q.Get("unit")
	for _, c := range q["channel"] {
		if c == "" {
			continue
		}
		if !slices.Contains(v.channels, c) {
			v.channels = append(v.channels, c)
		}
	}
	return v, nil
}

// monthsUpTo is the first day of the n calendar months that end with t's
// month: the default view, and the history a forecast is fitted to.
func monthsUpTo(t time.Time, n int) time.Time {
	return time.Date(t.Year(), t.Month()-time.Month(n-1), 1, 0, 0, 0, 0, t.Location())
}

// The years a date parameter may name: wide enough for any real data,
// narrow enough that date arithmetic stays sane.
const minYear, maxYear = 1990, 2100

func parseDate(lang i18n.Lang, name, s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, i18n.Helsinki())
	if err != nil {
		return t, &paramError{name, lang.Pick(
			"päivämäärä ei ole muotoa VVVV-KK-PP: "+s,
			"datumet har inte formen ÅÅÅÅ-MM-DD: "+s,
			"date is not of the form YYYY-MM-DD: "+s)}
	}
	if t.Year() < minYear || t.Year() > maxYear {
		return t, &paramError{name, lang.Pick("vuosi ei ole väliltä 1990–2100", "året är inte mellan 1990 och 2100", "year is not between 1990 and 2100")}
	}
	return t, nil
}

// query encodes the view as URL parameters, leaving defaults out.
func (v view) query(defaults view) url.Values {
	q := url.Values{}
	if !v.from.Equal(defaults.from) || !v.to.Equal(defaults.to) {
		q.Set("from", v.from.Format(time.DateOnly))
		q.Set("to", v.to.Format(time.DateOnly))
	}
	if v.unit != "" {
		q.Set("unit", v.unit)
	}
	for _, c := range v.channels {
		q.Add("channel", c)
	}
	if v.langSet {
		q.Set("lang", string(v.lang))
	}
	return q
}

// key is the whole view as a string, for cache keys.
func (v view) key() string {
	return fmt.Sprintf("%s %t %s %s %q %q", v.lang, v.langSet, v.from.Format(time.DateOnly), v.to.Format(time.DateOnly), v.unit, v.channels)
}

// periodLabel is the view's period in Finnish date format: 1.12.2025–23.11.2026.
func (v view) periodLabel() string { return i18n.Date(v.from) + "–" + i18n.Date(v.to) }
