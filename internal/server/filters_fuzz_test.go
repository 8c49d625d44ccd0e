package server

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/luukku-bi/luukku/internal/i18n"
)

// FuzzParseView feeds parseView (and, for the items page, parseItemFilter)
// arbitrary query strings and clock times. Whatever it accepts must be a
// valid view that survives being written back into a URL; whatever it
// refuses must be refused as a bad parameter (a 400), never as a crash.
func FuzzParseView(f *testing.F) {
	seeds := []string{
		"",
		"from=2026-01-01&to=2026-03-31",
		"from=2026-06-30&to=2026-06-30",
		"unit=sivistys&channel=email&channel=phone&channel=email&lang=sv",
		"channel=&channel=chat&channel=",
		"lang=", "lang=fi", "lang=de", "lang=fi&lang=en",
		"from=2026-02-30", "from=2026-1-01", "from=+202-01-01", "from=-001-01-01", "from=2026-01-01T00:00:00Z",
		"from=1989-12-31", "to=2101-01-01", "from=1990-01-01&to=2100-12-31", "to=1990-01-01", "from=2100-12-31",
		"from=2026-05-01&to=2026-04-01",
		"from=2026-01-01&from=2026-02-01",
		"colour=red", "From=2026-01-01", "=x", "&&&", "unit", "unit=%00%ff%fe", "unit=%3Cscript%3E",
		"theme=parks&kind=praise&sort=oldest&page=3",
		"page=+5", "page=05", "page=0", "page=10001", "page=99999999999999999999", "page=", "page=-1",
		"kind=rant", "kind=", "sort=", "sort=random", "theme=", "theme=a&theme=b",
	}
	now := today.Unix()
	for _, s := range seeds {
		f.Add(s, now, false)
		f.Add(s, now, true)
	}
	f.Add("", time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC).Unix(), false) // the night summer time begins
	f.Add("", time.Date(2026, 1, 1, 0, 0, 0, 0, i18n.Helsinki()).Unix(), true)
	f.Fuzz(func(t *testing.T, raw string, nowUnix int64, items bool) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return // the handlers answer these with a 400 before parsing
		}
		// A clock between 2000 and 2090, so that the default period is
		// within the years the parser allows.
		const lo, span = 946_684_800, 90 * 365 * 24 * 60 * 60
		now := time.Unix(lo+((nowUnix%span)+span)%span, 0)
		var extra []string
		if items {
			extra = itemParams
		}
		v, err := parseView(q, now, i18n.Finnish, extra...)
		if err != nil {
			var pe *paramError
			if !errors.As(err, &pe) {
				t.Fatalf("parseView(%q) failed with %T, not a parameter error: %v", raw, err, err)
			}
			return
		}
		checkView(t, raw, q, v, extra)
		defaults, err := parseView(nil, now, i18n.Finnish)
		if err != nil {
			t.Fatalf("the default view is refused at %v: %v", now, err)
		}
		if !items {
			again, err := parseView(v.query(defaults), now, i18n.Finnish)
			if err != nil || !sameView(v, again) {
				t.Fatalf("parseView(%q) = %+v; its URL %q parses as %+v, %v", raw, v, v.query(defaults).Encode(), again, err)
			}
			return
		}
		fl, err := parseItemFilter(q, v.lang)
		if err != nil {
			var pe *paramError
			if !errors.As(err, &pe) {
				t.Fatalf("parseItemFilter(%q) failed with %T, not a parameter error: %v", raw, err, err)
			}
			return
		}
		if fl.kind != "" && !slices.Contains(itemKinds, fl.kind) || !slices.Contains(itemSorts, fl.sort) ||
			fl.page < 1 || fl.page > maxItemsPage {
			t.Fatalf("parseItemFilter(%q) accepted %+v", raw, fl)
		}
		// The page's own URL, and the export's (which has no page), lead
		// back to the same list.
		for _, want := range []itemFilter{fl, {theme: fl.theme, kind: fl.kind, sort: fl.sort, page: 1}} {
			u := itemsQuery(v, defaults, want)
			again, err := parseView(u, now, i18n.Finnish, extra...)
			if err != nil || !sameView(v, again) {
				t.Fatalf("items view %+v: its URL %q parses as %+v, %v", v, u.Encode(), again, err)
			}
			fa, err := parseItemFilter(u, again.lang)
			if err != nil || fa != want {
				t.Fatalf("item filter %+v: its URL %q parses as %+v, %v", want, u.Encode(), fa, err)
			}
		}
	})
}

// checkView asserts what every accepted view must be.
func checkView(t *testing.T, raw string, q url.Values, v view, extra []string) {
	t.Helper()
	for name := range q {
		if !slices.Contains(knownParams, name) && !slices.Contains(extra, name) {
			t.Fatalf("parseView(%q) accepted the unknown parameter %q", raw, name)
		}
	}
	if v.from.After(v.to) {
		t.Fatalf("parseView(%q): from %v is after to %v", raw, v.from, v.to)
	}
	for _, d := range []time.Time{v.from, v.to} {
		if y := d.In(i18n.Helsinki()).Year(); y < 1990 || y > 2100 {
			t.Fatalf("parseView(%q): year %d", raw, y)
		}
		if d.Location() != i18n.Helsinki() || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("parseView(%q): %v is not the start of a day in Helsinki", raw, d)
		}
	}
	for i, c := range v.channels {
		if c == "" || slices.Contains(v.channels[:i], c) {
			t.Fatalf("parseView(%q): channels %q", raw, v.channels)
		}
	}
	if !slices.Contains(i18n.Langs, v.lang) || v.langSet != (q.Get("lang") != "") {
		t.Fatalf("parseView(%q): lang %q, set %v", raw, v.lang, v.langSet)
	}
}

func sameView(a, b view) bool {
	return a.lang == b.lang && a.langSet == b.langSet && a.from.Equal(b.from) && a.to.Equal(b.to) &&
		a.unit == b.unit && slices.Equal(a.channels, b.channels)
}

// Whatever ?next= says, signing in leads to a path on this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/d/themes?unit=kulttuuri", "//evil.example", "/\\evil.example", "https://evil.example/",
		"javascript:alert(1)", "/%2F%2Fevil.example", "/d/x\r\nLocation: x", "", "/ok#frag"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") ||
			strings.ContainsAny(got, "\\\r\n") {
			t.Errorf("safeNext(%q) = %q", next, got)
		}
		if got != "/" && got != next {
			t.Errorf("safeNext(%q) = %q: changed rather than refused", next, got)
		}
	})
}
