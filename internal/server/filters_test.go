package server

import (
	"errors"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/luukku-bi/luukku/internal/definitions"
	"github.com/luukku-bi/luukku/internal/i18n"
)

func TestParseView(t *testing.T) {
	now := time.Date(2026, 11, 23, 15, 0, 0, 0, i18n.Helsinki())
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, i18n.Helsinki()) }
	tests := []struct {
		query      string
		from, to   time.Time
		unit       string
		channels   []string
		lang       i18n.Lang
		wantErrFor string // the parameter a 400 names
	}{
		{query: "", from: day(2025, 12, 1), to: day(2026, 11, 23), lang: i18n.Finnish},
		{query: "from=2026-01-01&to=2026-03-31", from: day(2026, 1, 1), to: day(2026, 3, 31), lang: i18n.Finnish},
		// An end alone: the twelve months up to it, not an error about a start nobody gave.
		{query: "to=2025-03-15", from: day(2024, 4, 1), to: day(2025, 3, 15), lang: i18n.Finnish},
		{query: "from=2026-11-01", from: day(2026, 11, 1), to: day(2026, 11, 23), lang: i18n.Finnish},
		{query: "unit=sivistys&channel=email&channel=phone&channel=email&channel=", from: day(2025, 12, 1), to: day(2026, 11, 23),
			unit: "sivistys", channels: []string{"email", "phone"}, lang: i18n.Finnish},
		{query: "lang=sv", from: day(2025, 12, 1), to: day(2026, 11, 23), lang: i18n.Swedish},
		{query: "from=2026-05-01&to=2026-04-01", wantErrFor: "from"},
		{query: "from=2026-5-1", wantErrFor: "from"},
		{query: "to=1989-12-31", wantErrFor: "to"},
		{query: "unit=a&unit=b", wantErrFor: "unit"},
		{query: "colour=red", wantErrFor: "colour"},
		{query: "lang=de", wantErrFor: "lang"},
	}
	for _, tt := range tests {
		q, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		v, err := parseView(q, now, i18n.Finnish)
		var pe *paramError
		switch {
		case tt.wantErrFor != "":
			if !errors.As(err, &pe) || pe.param != tt.wantErrFor {
				t.Errorf("%q: err = %v, want a 400 naming %s", tt.query, err, tt.wantErrFor)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.query, err)
		case !v.from.Equal(tt.from) || !v.to.Equal(tt.to) || v.unit != tt.unit || !slices.Equal(v.channels, tt.channels) || v.lang != tt.lang:
			t.Errorf("%q = %s–%s %q %v %s, want %s–%s %q %v %s", tt.query, v.from.Format(time.DateOnly), v.to.Format(time.DateOnly),
				v.unit, v.channels, v.lang, tt.from.Format(time.DateOnly), tt.to.Format(time.DateOnly), tt.unit, tt.channels, tt.lang)
		}
	}
}

// The items page offers exactly the kinds and orders that its query
// declares it accepts.
func TestItemFilterMatchesTheQuery(t *testing.T) {
	set, err := (&definitions.Loader{}).Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	q, _ := set.Queries().Get("feedback_items")
	kind, _ := q.Param("kind")
	sort, _ := q.Param("sort")
	if !slices.Equal(kind.Values, append([]string{""}, itemKinds...)) || !slices.Equal(sort.Values, itemSorts) {
		t.Errorf("query accepts kinds %q and sorts %q; the page offers %q and %q", kind.Values, sort.Values, itemKinds, itemSorts)
	}
}
