package demo

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/language"
	"github.com/luukku-bi/luukku/internal/theme"
)

func TestPeriod(t *testing.T) {
	loc := i18n.Helsinki()
	tests := []struct {
		until       time.Time
		start, last string
		days        int
		lastElapsed float64
	}{
		{time.Date(2026, 6, 15, 12, 0, 0, 0, loc), "2023-07-01", "2026-06-15", 1081, 15.0 / 30},
		// Late evening UTC is already the next day in Helsinki.
		{time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC), "2023-08-01", "2026-07-01", 1066, 1.0 / 31},
		{time.Date(2025, 12, 31, 0, 0, 0, 0, loc), "2023-01-01", "2025-12-31", 1096, 1},
		{time.Date(2024, 3, 1, 0, 0, 0, 0, loc), "2021-04-01", "2024-03-01", 1066, 1.0 / 31},
	}
	for _, tt := range tests {
		p := newPeriod(tt.until, loc)
		last := p.day(p.days - 1)
		if got := p.start.Format(time.DateOnly); got != tt.start {
			t.Errorf("%v: start %s, want %s", tt.until, got, tt.start)
		}
		if got := last.Format(time.DateOnly); got != tt.last {
			t.Errorf("%v: last day %s, want %s", tt.until, got, tt.last)
		}
		if p.days != tt.days {
			t.Errorf("%v: %d days, want %d", tt.until, p.days, tt.days)
		}
		if got := p.elapsed(months - 1); got != tt.lastElapsed {
			t.Errorf("%v: last month %.3f elapsed, want %.3f", tt.until, got, tt.lastElapsed)
		}
		if got := p.month(months - 1); got.Month() != last.Month() || got.Day() != 1 {
			t.Errorf("%v: last month %v, want the first of %v", tt.until, got, last.Month())
		}
	}
}

func TestHoliday(t *testing.T) {
	tests := []struct {
		date string
		want bool
	}{
		{"2025-01-01", true},
		{"2025-01-06", true},
		{"2025-04-18", true}, // Good Friday
		{"2025-04-21", true}, // Easter Monday
		{"2025-05-29", true}, // Ascension Day
		{"2025-06-20", true}, // Midsummer Eve
		{"2026-06-19", true},
		{"2026-06-20", false},
		{"2025-12-24", true},
		{"2025-12-06", true},
		{"2024-03-29", true}, // Good Friday
		{"2026-04-03", true}, // Good Friday
		{"2025-04-22", false},
		{"2025-06-19", false},
	}
	for _, tt := range tests {
		d, err := time.Parse(time.DateOnly, tt.date)
		if err != nil {
			t.Fatal(err)
		}
		if got := holiday(d.Date()); got != tt.want {
			t.Errorf("holiday(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestNextWorkingTime(t *testing.T) {
	loc := i18n.Helsinki()
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct{ in, want string }{
		{"2025-06-10 10:00", "2025-06-10 10:00"}, // Tuesday in office hours
		{"2025-06-10 07:15", "2025-06-10 08:00"},
		{"2025-06-10 16:00", "2025-06-11 08:00"},
		{"2025-06-13 18:00", "2025-06-16 08:00"}, // Friday evening → Monday
		{"2025-06-19 17:00", "2025-06-23 08:00"}, // over Midsummer
		{"2025-12-23 20:00", "2025-12-29 08:00"}, // over Christmas
	}
	for _, tt := range tests {
		got := nextWorkingTime(at(tt.in), loc, 0)
		if !got.Equal(at(tt.want)) {
			t.Errorf("nextWorkingTime(%s) = %s, want %s", tt.in, got.Format("2006-01-02 15:04"), tt.want)
		}
	}
}

func TestOrganisation(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z0-9_]{1,60}$`)
	codes := map[string]bool{cityCode: true}
	units := map[string]unitDef{}
	byToimiala := map[string]float64{}
	total, small := 0.0, 0
	org := organisation()
	for _, ta := range org {
		for _, code := range append([]string{ta.code}, unitCodes(ta)...) {
			if !valid.MatchString(code) {
				t.Errorf("code %q is not a valid ltree label", code)
			}
			if codes[code] {
				t.Errorf("code %q is used twice", code)
			}
			codes[code] = true
		}
		for _, u := range ta.units {
			units[u.code] = u
			if u.fi == "" || u.sv == "" || u.en == "" || u.channels == 0 {
				t.Errorf("unit %s lacks a name or channels", u.code)
			}
			if u.headcount < 5 {
				small++
			}
			b := annualBudget(u)
			for g := range numGroups {
				if !g.income() {
					byToimiala[ta.code] += b[g]
					total += b[g]
				}
			}
		}
	}
	if len(org) != 7 || len(units) < 45 || len(units) > 55 {
		t.Errorf("%d toimialat and %d units, want 7 and about 50", len(org), len(units))
	}
	if small < 3 {
		t.Errorf("%d units of fewer than 5 people, want some to test suppression", small)
	}
	if total < 270e6 || total > 340e6 {
		t.Errorf("operating expenses %.0f M€, want about 300", total/1e6)
	}
	for code, e := range byToimiala {
		if code != "sivistys" && e >= byToimiala["sivistys"] {
			t.Errorf("%s spends %.0f M€, more than sivistys (%.0f M€)", code, e/1e6, byToimiala["sivistys"]/1e6)
		}
	}

	for c := range numChannels {
		if h, ok := units[hub(c)]; !ok || !h.channels.has(c) {
			t.Errorf("hub %q for %s does not exist or does not serve it", hub(c), c.code())
		}
	}
	for _, th := range themes() {
		for _, code := range th.units {
			if _, ok := units[code]; !ok {
				t.Errorf("theme %q names unknown unit %q", th.code, code)
			}
		}
	}
	for _, tp := range templates() {
		for _, code := range tp.units {
			if _, ok := units[code]; !ok {
				t.Errorf("template %q names unknown unit %q", tp.text, code)
			}
		}
	}
}

func unitCodes(t toimialaDef) []string {
	var codes []string
	for _, u := range t.units {
		codes = append(codes, u.code)
	}
	return codes
}

// migratedClassifier classifies with the built-in themes.
func migratedClassifier(t testing.TB) *theme.Set {
	t.Helper()
	set, err := theme.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// Every template must be found by the rules as its theme, whatever the
// placeholders, openings and closings; English ones may be missed, since the
// rules have no English stems, but must not be misread.
func TestTemplatesMatchRules(t *testing.T) {
	cls := migratedClassifier(t)
	ph := newPhrases()
	for name, list := range ph.lists {
		for _, v := range list {
			if got := cls.Classify(v); len(got) > 0 && name != "puisto" && name != "park" {
				t.Errorf("placeholder %s value %q matches %q", name, v, got)
			}
		}
	}
	for lang, list := range ph.openings {
		for _, v := range list {
			if got := cls.Classify(v); len(got) > 0 {
				t.Errorf("%s opening %q matches %q", lang, v, got)
			}
		}
	}
	for lang, byKind := range ph.closings {
		for _, list := range byKind {
			for _, v := range list {
				if got := cls.Classify(v); len(got) > 0 {
					t.Errorf("%s closing %q matches %q", lang, v, got)
				}
			}
		}
	}

	placeholder := regexp.MustCompile(`\{(\w+)\}`)
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for _, tp := range templates() {
		for _, m := range placeholder.FindAllStringSubmatch(tp.text, -1) {
			if len(ph.lists[m[1]]) == 0 {
				t.Errorf("template %q uses unknown placeholder %s", tp.text, m[0])
			}
		}
		for range 30 {
			b.Reset()
			ph.fill(&b, r, tp)
			text := b.String()
			got := cls.Classify(text)
			switch {
			case tp.theme == "" && len(got) > 0:
				t.Errorf("%q: themes %q, want none", text, got)
			case tp.theme != "" && tp.lang != "en" && !slices.Contains(got, tp.theme):
				t.Errorf("%q: themes %q, want %s among them", text, got, tp.theme)
			case tp.lang == "en" && len(got) > 0 && !slices.Equal(got, []string{tp.theme}):
				t.Errorf("%q: themes %q, want none or %s", text, got, tp.theme)
			}
			if strings.Contains(text, "{") || strings.Contains(text, "  ") {
				t.Errorf("%q: badly filled", text)
			}
		}
	}
}

func TestTemplateCoverage(t *testing.T) {
	type key struct {
		theme, lang string
		kind        kind
	}
	have := map[key]bool{}
	for _, tp := range templates() {
		have[key{tp.theme, tp.lang, tp.kind}] = true
		have[key{tp.theme, tp.lang, -1}] = true
	}
	for _, th := range themes() {
		if th.code == "" {
			continue
		}
		for k := range numKinds {
			if !have[key{th.code, "fi", k}] {
				t.Errorf("theme %s has no Finnish %s template", th.code, k.code())
			}
		}
		if !have[key{th.code, "sv", -1}] {
			t.Errorf("theme %s has no Swedish template", th.code)
		}
	}
}

// testModel is a model with made-up ids, for generating without a database.
func testModel(t testing.TB, seed int64) *model {
	p := newPeriod(time.Date(2026, 6, 15, 0, 0, 0, 0, i18n.Helsinki()), i18n.Helsinki())
	var units []unit
	for _, ta := range organisation() {
		for _, u := range ta.units {
			units = append(units, unit{unitDef: u, id: int32(len(units) + 100)})
		}
	}
	var ids [numChannels]int16
	for c := range numChannels {
		ids[c] = int16(c + 1)
	}
	return newModel(p, units, ids, newWeather(seed, p))
}

// fingerprint generates n feedback rows and hashes them.
func fingerprint(t *testing.T, seed int64, n int) (string, int) {
	g := newFeedbackGen(testModel(t, seed), seed, n, migratedClassifier(t))
	h := sha256.New()
	rows, prev := 0, ""
	for g.Next() {
		v, err := g.Values()
		if err != nil {
			t.Fatal(err)
		}
		// Rows come day by day.
		day := v[5].(time.Time).Format(time.DateOnly)
		if day < prev {
			t.Fatalf("row %d is from %s, after a row from %s", rows, day, prev)
		}
		prev = day
		fmt.Fprintln(h, v...)
		rows++
	}
	return fmt.Sprintf("%x", h.Sum(nil)), rows
}

func TestFeedbackDeterministic(t *testing.T) {
	const n = 3000
	a, rows := fingerprint(t, 1, n)
	if rows != n {
		t.Errorf("generated %d rows, want %d", rows, n)
	}
	if b, _ := fingerprint(t, 1, n); a != b {
		t.Error("the same seed gave different feedback")
	}
	if c, _ := fingerprint(t, 2, n); a == c {
		t.Error("another seed gave the same feedback")
	}
}

// BenchmarkFeedbackGen measures generation alone, without the database.
func BenchmarkFeedbackGen(b *testing.B) {
	cls := migratedClassifier(b)
	m := testModel(b, 1)
	b.ReportAllocs()
	b.ResetTimer()
	g := newFeedbackGen(m, 1, b.N, cls)
	for g.Next() {
		if _, err := g.Values(); err != nil {
			b.Fatal(err)
		}
	}
}

// The importers' language detection reads the demo's texts as what they
// are: the demo is the labelled sample it is measured on.
func TestTemplatesLanguageIsDetected(t *testing.T) {
	right, all := 0, 0
	for _, tp := range templates() {
		all++
		if got := language.Detect(tp.text); got == tp.lang {
			right++
		} else {
			t.Logf("%s detected as %s: %q", tp.lang, got, tp.text)
		}
	}
	t.Logf("%d of %d templates detected right", right, all)
	if share := float64(right) / float64(all); share < 0.9 {
		t.Errorf("%d of %d templates detected right (%.0f %%), want 90 %%", right, all, 100*share)
	}
}

// TestWriteThemeSample writes the labelled sample that luukku check
// measures the theme rules on, when LUUKKU_WRITE_THEME_SAMPLE names the
// file: every themed template twice, with different places and phrases.
func TestWriteThemeSample(t *testing.T) {
	path := os.Getenv("LUUKKU_WRITE_THEME_SAMPLE")
	if path == "" {
		t.Skip("set LUUKKU_WRITE_THEME_SAMPLE to write the sample")
	}
	p := newPhrases()
	r := rand.New(rand.NewPCG(11, 13))
	var b strings.Builder
	b.WriteString("theme;language;text\n")
	for _, tp := range templates() {
		if tp.theme == "" {
			continue
		}
		for range 2 {
			var sb strings.Builder
			p.fill(&sb, r, tp)
			fmt.Fprintf(&b, "%s;%s;%s\n", tp.theme, tp.lang, strings.ReplaceAll(sb.String(), ";", ","))
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
