package server

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/definitions"
	"github.com/luukku-bi/luukku/internal/demo"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/pgtest"
	"github.com/luukku-bi/luukku/internal/store"
	"github.com/luukku-bi/luukku/internal/store/storetest"
	"github.com/luukku-bi/luukku/static"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// The demo data ends on this day and the server believes it is this day,
// so the default period (the last 12 months) is stable.
var today = time.Date(2026, 6, 30, 12, 0, 0, 0, i18n.Helsinki())

const demoFeedback = 20_000

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// loadDemo migrates the database at dsn and loads the demo city into it.
func loadDemo(ctx context.Context, dsn string, feedback int) error {
	pool, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := store.Migrate(ctx, pool, quietLogger()); err != nil {
		return err
	}
	_, err = demo.Load(ctx, pool, demo.Options{Feedback: feedback, Until: today, Seed: 7}, quietLogger())
	return err
}

// loadedDB returns a database of the test's own with the demo city.
func loadedDB(t *testing.T, feedback int) *pgxpool.Pool {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	if err := loadDemo(t.Context(), dsn, feedback); err != nil {
		t.Fatal(err)
	}
	return storetest.Open(t, dsn)
}

// readOnlyServer serves one demo database shared by the tests that only read.
func readOnlyServer(t testing.TB) (*testServer, *pgxpool.Pool) {
	t.Helper()
	dsn := pgtest.SharedDatabase(t, "demo", func(ctx context.Context, dsn string) error {
		return loadDemo(ctx, dsn, demoFeedback)
	})
	pool := storetest.Open(t, dsn)
	return newServer(t, pool), pool
}

// testServer is the server with a signed-in executive: requests without a
// cookie of their own get the executive's session.
type testServer struct {
	*Server
	cookie *http.Cookie
}

func (ts *testServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if len(r.Cookies()) == 0 && ts.cookie != nil && r.URL.Path != "/login" {
		r.AddCookie(ts.cookie)
	}
	ts.Server.ServeHTTP(w, r)
}

// testSecret keys the test servers' session cookies.
var testSecret = []byte("0123456789abcdef0123456789abcdef")

const testPassword = "correct horse battery staple"

// newServer serves pool's database signed in as an executive (who sees
// every unit).
func newServer(t testing.TB, pool *pgxpool.Pool, options ...func(*Config)) *testServer {
	t.Helper()
	srv := newBareServer(t, pool, options...)
	addUser(t, srv.Server, "johto", auth.RoleExecutive)
	srv.cookie = login(t, srv.Server, "johto", testPassword)
	return srv
}

// newBareServer serves pool's database with nobody signed in.
// options change the configuration before the server is made.
func newBareServer(t testing.TB, pool *pgxpool.Pool, options ...func(*Config)) *testServer {
	t.Helper()
	dash, err := (&definitions.Loader{}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	assets, err := static.Load()
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := auth.NewSessions(pool, [][]byte{testSecret}, 2*time.Hour, 12*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Pool: pool, Definitions: func() *dashboards.Set { return dash }, Assets: assets,
		Logger: quietLogger(), Now: func() time.Time { return today },
		Accounts: &auth.Accounts{DB: pool}, Sessions: sessions, Displays: &auth.Displays{DB: pool},
	}
	for _, o := range options {
		o(&cfg)
	}
	return &testServer{Server: New(cfg)}
}

// asExecutive is ctx with an executive signed in, for calling handlers'
// helpers directly.
func asExecutive(ctx context.Context) context.Context {
	return withUser(ctx, &auth.User{Username: "johto", Role: auth.RoleExecutive})
}

// addUser makes an account with testPassword unless it exists.
func addUser(t testing.TB, srv *Server, name string, role auth.Role, units ...string) {
	t.Helper()
	err := srv.cfg.Accounts.Add(t.Context(), audit.Actor{Username: "test"},
		auth.NewUser{Username: name, Password: testPassword, Role: role, Units: units})
	if err != nil && !errors.Is(err, auth.ErrExists) {
		t.Fatal(err)
	}
}

// login signs in through the form and returns the session cookie.
func login(t testing.TB, h http.Handler, name, password string) *http.Cookie {
	t.Helper()
	rec := postForm(h, "/login", url.Values{"username": {name}, "password": {password}}, nil)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d\n%s", name, rec.Code, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == auth.CookieName {
			return c
		}
	}
	t.Fatalf("sign in as %s: no session cookie", name)
	return nil
}

func postForm(h http.Handler, target string, form url.Values, cookie *http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != nil {
		req.AddCookie(cookie)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func get(t *testing.T, h http.Handler, url string) (*httptest.ResponseRecorder, *goquery.Document) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatalf("GET %s: parse HTML: %v", url, err)
	}
	return rec, doc
}

// The language is the one on the URL, else the one chosen last (kept in a
// cookie when it was chosen), else the browser's, else Finnish; and the
// language menu names Finnish too, so that choosing it overrides a
// remembered Swedish.
func TestLanguagePreference(t *testing.T) {
	srv, _ := readOnlyServer(t)
	page := func(target, acceptLanguage string, cookies ...*http.Cookie) (*httptest.ResponseRecorder, string, *goquery.Document) {
		t.Helper()
		r := httptest.NewRequest(http.MethodGet, target, nil)
		r.AddCookie(srv.cookie)
		for _, c := range cookies {
			r.AddCookie(c)
		}
		if acceptLanguage != "" {
			r.Header.Set("Accept-Language", acceptLanguage)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		doc, err := goquery.NewDocumentFromReader(rec.Body)
		if err != nil || rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %v", target, rec.Code, err)
		}
		lang, _ := doc.Find("html").Attr("lang")
		return rec, lang, doc
	}
	for _, c := range []struct{ accept, want string }{
		{"", "fi"}, {"sv-FI,sv;q=0.9,en;q=0.5", "sv"}, {"en-GB", "en"}, {"de-DE", "fi"}, {"de,sv;q=0.3", "sv"},
	} {
		if _, got, _ := page("/d/channels", c.accept); got != c.want {
			t.Errorf("Accept-Language %q: page in %q, want %q", c.accept, got, c.want)
		}
	}

	rec, got, _ := page("/d/channels?lang=en", "sv")
	var chosen *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == langCookie {
			chosen = c
		}
	}
	if got != "en" || chosen == nil || chosen.Value != "en" || !chosen.HttpOnly || chosen.MaxAge < 86400 {
		t.Fatalf("?lang=en over a Swedish browser: page in %q, cookie %+v", got, chosen)
	}
	_, got, doc := page("/d/hr", "sv", chosen)
	if got != "en" {
		t.Errorf("after choosing English, a page without ?lang= is in %q", got)
	}
	suomi, _ := doc.Find(`.langs a[hreflang="fi"]`).Attr("href")
	if !strings.Contains(suomi, "lang=fi") {
		t.Fatalf("the menu's Suomi leads to %q, which a remembered choice would override", suomi)
	}
	if _, got, _ := page(suomi, "sv", chosen); got != "fi" {
		t.Errorf("choosing Suomi with English remembered gave %q", got)
	}
	// A bad value neither changes the language nor is remembered.
	if _, got, _ := page("/d/hr", "sv", &http.Cookie{Name: langCookie, Value: "xx"}); got != "sv" {
		t.Errorf("cookie lang=xx: page in %q, want the browser's sv", got)
	}
	if v := rec.Header().Values("Vary"); !strings.Contains(strings.Join(v, ","), "Accept-Language") {
		t.Errorf("Vary = %q: a shared cache could serve one language to another", v)
	}
}

// Every dashboard renders every panel with data, for the whole city, one
// toimiala and one unit, each kind as the chart it is meant to be; no page carries
// executable inline script.
func TestEveryDashboardRendersEveryPanel(t *testing.T) {
	srv, _ := readOnlyServer(t)
	all := srv.cfg.Definitions().All()
	if len(all) < 2 || all[0].Slug != "overview" {
		t.Fatalf("dashboards %v: want the overview first and more", all)
	}
	var slugs []string
	for _, d := range all {
		slugs = append(slugs, d.Slug)
		rec, doc := get(t, srv, dashboardPath(d.Slug))
		if doc.Find("h1").Text() != d.Title.In("fi") {
			t.Errorf("%s: heading %q", d.Slug, doc.Find("h1").Text())
		}
		if rec.Header().Get("Content-Security-Policy") == "" {
			t.Error("no Content-Security-Policy header")
		}
		if doc.Find("script:not([src]):not([type='application/json'])").Length() != 0 {
			t.Errorf("%s: page has inline executable script", d.Slug)
		}
	}
	draws := map[dashboards.Kind]string{
		dashboards.KindLine: "line", dashboards.KindArea: "line", dashboards.KindBar: "bar", dashboards.KindHBar: "bar",
		dashboards.KindDonut: "pie", dashboards.KindHeatmap: "heatmap", dashboards.KindGauge: "gauge", dashboards.KindMap: "scatter", dashboards.KindScatter: "scatter",
	}
	eachPanel(t, srv, slugs, []string{"", "?unit=kaupunkiymparisto", "?unit=katujen_kunnossapito"}, func(path string, p *dashboards.Panel, sec *goquery.Selection) {
		switch p.Kind {
		case dashboards.KindKPI:
			if n := sec.Find(".kpi dd.value").Length(); n == 0 {
				t.Errorf("%s: %s: no KPI values", path, p.ID)
			}
			return
		case dashboards.KindTable:
			if n := sec.Find("table[data-sortable] tbody tr").Length(); n == 0 {
				t.Errorf("%s: %s: the table has no rows", path, p.ID)
			}
			return
		}
		var option map[string]any
		if err := json.Unmarshal([]byte(sec.Find(`script[type="application/json"]#chart-`+p.ID).Text()), &option); err != nil {
			t.Errorf("%s: %s: chart JSON: %v", path, p.ID, err)
			return
		}
		series, _ := option["series"].([]any)
		if len(series) == 0 {
			t.Errorf("%s: %s: chart has no series", path, p.ID)
		} else if typ := series[0].(map[string]any)["type"]; typ != draws[p.Kind] {
			t.Errorf("%s: %s: a %s panel draws %v", path, p.ID, p.Kind, typ)
		}
		if _, ok := option["color"]; ok {
			t.Errorf("%s: %s: option still carries go-echarts' default palette", path, p.ID)
		}
		if n := sec.Find("table tbody tr").Length(); n == 0 {
			t.Errorf("%s: %s: data table has no rows", path, p.ID)
		}
	})
}

// eachPanel renders the dashboards in each view (a query string) and, for
// every panel that is on the page and not empty — either is an error —
// calls check.
func eachPanel(t *testing.T, srv *testServer, slugs, views []string, check func(path string, p *dashboards.Panel, sec *goquery.Selection)) {
	t.Helper()
	for _, slug := range slugs {
		d, ok := srv.cfg.Definitions().Get(slug)
		if !ok {
			t.Fatalf("no dashboard %s", slug)
		}
		for _, view := range views {
			path := dashboardPath(slug) + view
			rec, doc := get(t, srv, path)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d\n%s", path, rec.Code, rec.Body)
			}
			for i := range d.Panels {
				p := &d.Panels[i]
				sec := doc.Find("#panel-" + p.ID)
				switch {
				case sec.Length() != 1:
					t.Errorf("%s: panel %s is not on the page", path, p.ID)
				case sec.Find(".empty").Length() != 0:
					t.Errorf("%s: panel %s is empty", path, p.ID)
				default:
					check(path, p, sec)
				}
			}
		}
	}
}

// Clicking a channel in one panel filters every panel; the filter shows as
// a chip that removes it again.
func TestCrossFilterChips(t *testing.T) {
	srv, _ := readOnlyServer(t)
	_, doc := get(t, srv, "/")
	if doc.Find(".chips").Length() != 0 {
		t.Error("chips on an unfiltered page")
	}
	var drill []string
	if err := json.Unmarshal([]byte(doc.Find("script#drill-channel_shares").Text()), &drill); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(drill, "/?channel=email") {
		t.Fatalf("the channel donut drills to %v", drill)
	}
	presets := map[string]string{}
	doc.Find(".presets a").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		_, cur := a.Attr("aria-current")
		presets[a.Text()] = href + map[bool]string{true: " (current)"}[cur]
	})
	if want := map[string]string{
		"12 kk": "/ (current)", "Kuluva vuosi": "/?from=2026-01-01&to=2026-06-30",
		"Edellinen vuosi": "/?from=2025-01-01&to=2025-12-31", "Edellinen kuukausi": "/?from=2026-05-01&to=2026-05-31",
	}; !maps.Equal(presets, want) {
		t.Errorf("period presets = %v, want %v", presets, want)
	}
	_, doc = get(t, srv, "/?channel=email&channel=phone&unit=sivistys&from=2026-01-01&to=2026-03-31")
	chips := doc.Find(".chips a")
	want := []struct{ label, url string }{
		{"1.1.2026–31.3.2026", "/?channel=email&channel=phone&unit=sivistys"},
		{"Kasvatus ja koulutus", "/?channel=email&channel=phone&from=2026-01-01&to=2026-03-31"},
		{"Sähköposti", "/?channel=phone&from=2026-01-01&to=2026-03-31&unit=sivistys"},
		{"Puhelin", "/?channel=email&from=2026-01-01&to=2026-03-31&unit=sivistys"},
	}
	if chips.Length() != len(want) {
		t.Fatalf("%d chips, want %d: %q", chips.Length(), len(want), chips.Text())
	}
	chips.Each(func(i int, c *goquery.Selection) {
		href, _ := c.Attr("href")
		if !strings.HasPrefix(c.Text(), want[i].label) || href != want[i].url {
			t.Errorf("chip %d = %q → %s, want %q → %s", i, c.Text(), href, want[i].label, want[i].url)
		}
		if label, _ := c.Attr("aria-label"); label != "Poista rajaus: "+want[i].label {
			t.Errorf("chip %d aria-label %q", i, label)
		}
	})
}

// kpi returns the number shown in the KPI card labelled label.
func kpi(t *testing.T, doc *goquery.Document, label string) int64 {
	t.Helper()
	var out int64 = -1
	doc.Find(".kpi").Each(func(_ int, s *goquery.Selection) {
		if s.Find("dt").Text() == label {
			out = digitsOf(s.Find("dd.value").Text())
		}
	})
	if out < 0 {
		t.Fatalf("no KPI %q on the page", label)
	}
	return out
}

// digitsOf reads a number shown the Finnish way (1 234) as an integer.
func digitsOf(shown string) int64 {
	n, _ := strconv.ParseInt(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, shown), 10, 64)
	return n
}

func count(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFiltersChangeTheNumbers(t *testing.T) {
	srv, pool := readOnlyServer(t)
	const base = `SELECT count(*) FROM feedback f JOIN org_unit u ON u.id = f.unit_id JOIN channel c ON c.id = f.channel_id
		WHERE f.received_at >= $1::date AND f.received_at < $2::date + 1 AND u.path <@ $3::ltree
		AND (cardinality($4::text[]) = 0 OR c.code = ANY ($4))`
	var toimiala string
	if err := pool.QueryRow(context.Background(),
		`SELECT code FROM org_unit WHERE level = 'toimiala' ORDER BY path LIMIT 1`).Scan(&toimiala); err != nil {
		t.Fatal(err)
	}
	var toimialaPath string
	pool.QueryRow(context.Background(), `SELECT path::text FROM org_unit WHERE code = $1`, toimiala).Scan(&toimialaPath)

	tests := []struct {
		name     string
		url      string
		from, to string
		path     string
		channels []string
	}{
		{"default is the last 12 months", "/", "2025-07-01", "2026-06-30", "esimerkkila", nil},
		{"period", "/?from=2026-01-01&to=2026-03-31", "2026-01-01", "2026-03-31", "esimerkkila", nil},
		{"one channel", "/?channel=email", "2025-07-01", "2026-06-30", "esimerkkila", []string{"email"}},
		{"two channels", "/?channel=phone&channel=chat", "2025-07-01", "2026-06-30", "esimerkkila", []string{"phone", "chat"}},
		{"toimiala", "/?unit=" + toimiala, "2025-07-01", "2026-06-30", toimialaPath, nil},
		{"all together", "/?from=2025-10-01&to=2026-02-28&unit=" + toimiala + "&channel=email",
			"2025-10-01", "2026-02-28", toimialaPath, []string{"email"}},
	}
	seen := map[int64]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, doc := get(t, srv, tt.url)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d", tt.url, rec.Code)
			}
			channels := tt.channels
			if channels == nil {
				channels = []string{}
			}
			want := count(t, pool, base, tt.from, tt.to, tt.path, channels)
			if want == 0 {
				t.Fatalf("test data has no feedback for %s", tt.url)
			}
			if got := kpi(t, doc, "Palautteet"); got != want {
				t.Errorf("feedback KPI = %d, want %d", got, want)
			}
			if other, dup := seen[want]; dup {
				t.Errorf("%s and %s show the same count; the filter has no effect", tt.name, other)
			}
			seen[want] = tt.name
			// The volume chart has one series per channel shown.
			if len(tt.channels) > 0 {
				var option map[string]any
				json.Unmarshal([]byte(doc.Find("#chart-volume_by_channel").Text()), &option)
				if n := len(option["series"].([]any)); n != len(tt.channels) {
					t.Errorf("volume chart has %d series, want %d", n, len(tt.channels))
				}
			}
		})
	}

	t.Run("unit filter breaks finance down by the toimiala's units", func(t *testing.T) {
		_, doc := get(t, srv, "/?unit="+toimiala)
		rows := doc.Find("#panel-budget_vs_actual tbody tr").Length()
		want := count(t, pool, `SELECT count(*) FROM org_unit WHERE path ~ ($1 || '.*{1}')::lquery`, toimialaPath)
		if int64(rows) != want {
			t.Errorf("budget table has %d rows, want one per unit of %s (%d)", rows, toimiala, want)
		}
	})
}

// Bad parameters get a 400 page and unknown things a 404 page, on
// dashboards and exports alike, each naming what was wrong.
func TestBadRequestsGetAnErrorPage(t *testing.T) {
	srv, _ := readOnlyServer(t)
	tests := []struct {
		url    string
		status int
		names  string
	}{
		{"/?from=2026-13-01", 400, "from"},
		{"/?to=yesterday", 400, "to"},
		{"/?from=2026-05-01&to=2026-04-01", 400, "from"},
		{"/?from=1066-10-14", 400, "from"},
		{"/?unit=no_such_unit", 400, "unit"},
		{"/?unit=%3Cscript%3E", 400, "unit"},
		{"/?channel=fax", 400, "channel"},
		{"/?colour=red", 400, "colour"},
		{"/?from=2026-01-01&from=2026-02-01", 400, "from"},
		{"/?lang=de", 400, "lang"},
		{"/?unit=%zz", 400, "query"},
		{"/?from=2026-01-01;to=2026-02-01", 400, "query"},
		{"/d/no-such-dashboard", 404, "no-such-dashboard"},
		{"/nothing/here", 404, ""},
		{"/d/overview/items.csv?page=2", 400, "page"},
		{"/d/overview/items.xlsx?offset=50", 400, "offset"},
		{"/d/overview/items.xlsx?theme=nope", 400, "theme"},
		{"/d/overview/items.csv?kind=rant", 400, "kind"},
		{"/d/overview/items.csv?sort=random", 400, "sort"},
		{"/d/overview/items.xlsx?from=2026-13-01", 400, "from"},
		{"/d/overview/items.csv?channel=fax", 400, "channel"},
		{"/d/overview/panels/kpis.xlsx?unit=nope", 400, "unit"},
		{"/d/overview/panels/kpis.xlsx?colour=red", 400, "colour"},
		{"/d/overview/items.xls", 404, "items.xls"},
		{"/d/overview/items.json", 404, "items.json"},
		{"/d/overview/items.csv.xlsx", 404, "items.csv.xlsx"},
		{"/d/overview/itemsx.csv", 404, "itemsx.csv"},
		{"/d/overview/report.xlsx", 404, "report.xlsx"},
		{"/d/nope/items.csv", 404, "nope"},
		{"/d/overview/panels/nope.xlsx", 404, "nope.xlsx"},
		{"/d/overview/panels/kpis.xls", 404, "kpis.xls"},
		{"/d/overview/panels/kpis", 404, "kpis"},
		{"/d/nope/panels/kpis.xlsx", 404, "nope"},
	}
	for _, tt := range tests {
		rec, doc := get(t, srv, tt.url)
		if rec.Code != tt.status {
			t.Errorf("GET %s = %d, want %d", tt.url, rec.Code, tt.status)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q, want the error page", tt.url, ct)
		}
		msg := doc.Find("main").Text()
		if !strings.Contains(msg, tt.names) {
			t.Errorf("GET %s: message %q does not name %q", tt.url, strings.TrimSpace(msg), tt.names)
		}
		if strings.Contains(rec.Body.String(), "goroutine") || strings.Contains(rec.Body.String(), "<script>") {
			t.Errorf("GET %s: body leaks internals or reflects markup", tt.url)
		}
	}
	// The items page itself still answers beside /d/{slug}/{file}.
	if rec, _ := get(t, srv, "/d/overview/items"); rec.Code != http.StatusOK {
		t.Errorf("GET /d/overview/items = %d", rec.Code)
	}
}

func TestLanguages(t *testing.T) {
	srv, _ := readOnlyServer(t)
	for lang, want := range map[string]string{"fi": "Yleiskatsaus", "sv": "Översikt", "en": "Overview"} {
		rec, doc := get(t, srv, "/?lang="+lang)
		if rec.Code != 200 {
			t.Fatalf("lang %s: %d", lang, rec.Code)
		}
		if got := doc.Find("h1").Text(); got != want {
			t.Errorf("lang %s: h1 = %q, want %q", lang, got, want)
		}
		if got, _ := doc.Find("html").Attr("lang"); got != lang {
			t.Errorf("lang %s: html lang = %q", lang, got)
		}
	}
}

func TestScriptInUnitNameIsInert(t *testing.T) {
	pool := loadedDB(t, 3_000)
	const evil = `</script><script>alert(1)</script>`
	if _, err := pool.Exec(context.Background(),
		`UPDATE org_unit SET name_fi = $1 WHERE code = (SELECT code FROM org_unit WHERE level = 'toimiala' ORDER BY path LIMIT 1)`, evil); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, pool)
	rec, doc := get(t, srv, "/")
	if rec.Code != 200 {
		t.Fatalf("GET / = %d", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "<script>alert(1)") {
		t.Fatal("the unit name reached the page as markup")
	}
	// The name is still there, as data: in the chart option and as text.
	option := doc.Find("#chart-budget_vs_actual").Text()
	if !strings.Contains(option, `\u003c/script\u003e`) {
		t.Errorf("chart option does not carry the escaped name: %s", option)
	}
	var parsed map[string]any
	if err := json.Unmarshal([]byte(option), &parsed); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(option, "alert(1)") {
		t.Error("name missing from the chart data")
	}
	found := false
	doc.Find("select[name=unit] option").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), evil) {
			found = true
		}
	})
	if !found {
		t.Error("the unit filter does not show the name as text")
	}
	if doc.Find("script").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), "alert(1)") && s.AttrOr("type", "") != "application/json"
	}).Length() != 0 {
		t.Error("an executable script contains the injected code")
	}
}

func TestStaticAssetsAreHashedAndCached(t *testing.T) {
	srv, _ := readOnlyServer(t)
	_, doc := get(t, srv, "/")
	src, _ := doc.Find(`script[src*="echarts"]`).Attr("src")
	if !strings.HasPrefix(src, "/static/") {
		t.Fatalf("echarts src = %q", src)
	}
	req := httptest.NewRequest(http.MethodGet, src, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") ||
		rec.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("GET %s = %d, headers %v", src, rec.Code, rec.Header())
	}
	if rec.Body.Len() > 450_000 {
		t.Errorf("gzipped echarts is %d bytes", rec.Body.Len())
	}
}

func TestHealthAndReadiness(t *testing.T) {
	srv, _ := readOnlyServer(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		rec, _ := get(t, srv, path)
		if rec.Code != 200 {
			t.Errorf("GET %s = %d: %s", path, rec.Code, rec.Body)
		}
	}
	// A database that is reachable but not migrated is not ready.
	pool, err := store.Open(context.Background(), pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	empty := newBareServer(t, pool)
	rec, _ := get(t, empty, "/readyz")
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("GET /readyz on an empty database = %d, want 503", rec.Code)
	}
	var tables int
	pool.QueryRow(context.Background(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables)
	if tables != 0 {
		t.Errorf("the readiness probe created %d tables", tables)
	}
	// Migrated but with no organisation yet: a 503 that says what to do.
	if err := store.Migrate(context.Background(), pool, quietLogger()); err != nil {
		t.Fatal(err)
	}
	addUser(t, empty.Server, "johto", auth.RoleExecutive)
	empty.cookie = login(t, empty, "johto", testPassword)
	rec, doc := get(t, empty, "/")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(doc.Find("main").Text(), "luukku demo") {
		t.Errorf("GET / without data = %d: %s", rec.Code, doc.Find("main").Text())
	}
	if rec, _ := get(t, empty, "/readyz"); rec.Code != http.StatusOK {
		t.Errorf("GET /readyz after migrating = %d", rec.Code)
	}
}

func TestPagesAreCompressed(t *testing.T) {
	srv, _ := readOnlyServer(t)
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("GET / = %d, Content-Encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	html, err := io.ReadAll(zr)
	if err != nil || !strings.Contains(string(html), "</html>") {
		t.Errorf("gzipped page does not decode to a whole page: %v", err)
	}
}

func TestOnlyGET(t *testing.T) {
	srv, _ := readOnlyServer(t)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/d/overview", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /d/overview = %d, want 405", rec.Code)
	}
}

// Drill-down works without JavaScript: the rows of a by-unit table link to
// the same dashboard for that unit, and breadcrumbs lead back up.
func TestDrillDownByLinks(t *testing.T) {
	srv, pool := readOnlyServer(t)
	_, doc := get(t, srv, "/?from=2026-01-01&to=2026-03-31")
	if doc.Find(".crumbs").Length() != 0 {
		t.Error("breadcrumbs at the top of the tree")
	}
	link := doc.Find("#panel-budget_vs_actual tbody th a").First()
	href, ok := link.Attr("href")
	if !ok || !strings.Contains(href, "unit=") || !strings.Contains(href, "from=2026-01-01") {
		t.Fatalf("budget row link = %q; want the unit and the period kept", href)
	}
	var toimiala string
	pool.QueryRow(context.Background(), `SELECT code FROM org_unit WHERE level = 'toimiala' ORDER BY path LIMIT 1`).Scan(&toimiala)
	if !strings.Contains(href, "unit="+toimiala) {
		t.Errorf("first budget row links to %q, want unit=%s", href, toimiala)
	}
	drillJSON := doc.Find("#drill-budget_vs_actual").Text()
	if !strings.Contains(drillJSON, "unit="+toimiala) {
		t.Errorf("chart drill URLs %s lack unit=%s", drillJSON, toimiala)
	}

	rec, doc := get(t, srv, href)
	if rec.Code != 200 {
		t.Fatalf("GET %s = %d", href, rec.Code)
	}
	crumbs := doc.Find(".crumbs li")
	if crumbs.Length() != 2 || crumbs.Last().Find("[aria-current]").Length() != 1 {
		t.Errorf("breadcrumbs: %q", crumbs.Text())
	}
	up, _ := crumbs.First().Find("a").Attr("href")
	if strings.Contains(up, "unit=") || !strings.Contains(up, "from=2026-01-01") {
		t.Errorf("breadcrumb to the city = %q", up)
	}
	// A channel slice drills into that channel.
	chHref, _ := doc.Find("#panel-channel_shares tbody th a").First().Attr("href")
	if !strings.Contains(chHref, "channel=") || !strings.Contains(chHref, "unit="+toimiala) {
		t.Errorf("channel link = %q", chHref)
	}
}

func TestPanelCSV(t *testing.T) {
	srv, pool := readOnlyServer(t)
	_, doc := get(t, srv, "/?from=2026-01-01&to=2026-03-31&channel=email")
	href, ok := doc.Find("#panel-channel_shares .export a").Attr("href")
	if !ok || !strings.HasPrefix(href, "/d/overview/panels/channel_shares.csv?") || !strings.Contains(href, "channel=email") {
		t.Fatalf("CSV link = %q", href)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, href, nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), "luukku-overview-channel_shares-2026-01-01_2026-03-31.csv") {
		t.Fatalf("GET %s = %d %v", href, rec.Code, rec.Header())
	}
	body := rec.Body.String()
	want := count(t, pool, `SELECT count(*) FROM feedback f JOIN channel c ON c.id = f.channel_id
		WHERE c.code = 'email' AND f.received_at >= '2026-01-01' AND f.received_at < '2026-04-01'`)
	lines := strings.Split(strings.TrimSpace(body), "\r\n")
	if !strings.HasPrefix(body, "\ufeffKanava;channel_code;Palautteet") || len(lines) != 2 ||
		lines[1] != fmt.Sprintf("Sähköposti;email;%d", want) {
		t.Errorf("CSV =\n%s\nwant email with %d", body, want)
	}
	for _, bad := range []string{"/d/overview/panels/nope.csv", "/d/overview/panels/kpis.xls", "/d/nope/panels/kpis.csv"} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, bad, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", bad, rec.Code)
		}
	}
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/d/overview/panels/kpis.csv?unit=nope", nil))
	if rec.Code != http.StatusBadRequest {
		t.Errorf("CSV with a bad unit = %d, want 400", rec.Code)
	}
}

// Drill-through: from a theme to the feedback behind its number, paged,
// filtered the same way, every item of the theme and nothing else.
func TestItemsBehindATheme(t *testing.T) {
	srv, pool := readOnlyServer(t)
	_, doc := get(t, srv, "/?from=2026-01-01&to=2026-03-31&unit=kaupunkiymparisto")
	href, ok := doc.Find("#panel-top_themes tbody th a").First().Attr("href")
	if !ok || !strings.HasPrefix(href, "/d/overview/items?") || !strings.Contains(href, "theme=") {
		t.Fatalf("theme row link = %q", href)
	}
	u, _ := url.Parse(href)
	theme := u.Query().Get("theme")
	want := count(t, pool, `SELECT count(*) FROM feedback f JOIN org_unit u ON u.id = f.unit_id
		WHERE $1 = ANY (f.themes) AND u.path <@ 'esimerkkila.kaupunkiymparisto'
		AND f.received_at >= '2026-01-01' AND f.received_at < '2026-04-01'`, theme)
	rec, doc := get(t, srv, href)
	if rec.Code != 200 {
		t.Fatalf("GET %s = %d", href, rec.Code)
	}
	total := digitsOf(doc.Find(".summary strong").Text())
	if total != want {
		t.Errorf("total = %d, want %d", total, want)
	}
	rows := doc.Find(".item-list tbody tr")
	if want > 50 && rows.Length() != 50 || want <= 50 && int64(rows.Length()) != want {
		t.Errorf("%d rows on the first page of %d", rows.Length(), want)
	}
	if rows.First().Find("td.body").Text() == "" {
		t.Error("items have no text")
	}
	if want > 50 {
		next, _ := doc.Find(`.pager a[rel="next"]`).Attr("href")
		if !strings.Contains(next, "page=2") || !strings.Contains(next, "theme="+theme) {
			t.Errorf("next page link = %q", next)
		}
		rec, doc2 := get(t, srv, next)
		if rec.Code != 200 || doc2.Find(".item-list tbody tr").First().Text() == rows.First().Text() {
			t.Errorf("page 2 = %d, or it repeats page 1", rec.Code)
		}
	}
	for _, bad := range []struct{ query, param string }{
		{"?theme=nope", "theme"}, {"?kind=rant", "kind"}, {"?page=0", "page"}, {"?page=x", "page"}, {"?sort=random", "sort"},
	} {
		rec, doc := get(t, srv, "/d/overview/items"+bad.query)
		if rec.Code != 400 || !strings.Contains(doc.Find("main").Text(), bad.param) {
			t.Errorf("GET items%s = %d %q", bad.query, rec.Code, doc.Find("main").Text())
		}
	}
	if rec, _ := get(t, srv, "/?theme=parks"); rec.Code != 400 {
		t.Errorf("the dashboard accepted an items-only parameter: %d", rec.Code)
	}
}

// KPIs compare with the period just before and with a year earlier.
func TestKPIChanges(t *testing.T) {
	srv, pool := readOnlyServer(t)
	_, doc := get(t, srv, "/?from=2026-03-01&to=2026-03-31")
	const n = `SELECT count(*) FROM feedback WHERE received_at >= $1::date AND received_at < $2::date + 1`
	now := count(t, pool, n, "2026-03-01", "2026-03-31")
	prev := count(t, pool, n, "2026-01-29", "2026-02-28") // the 31 days before
	year := count(t, pool, n, "2025-03-01", "2025-03-31")
	var changes []string
	doc.Find(".kpi").First().Find("dd.change").Each(func(_ int, s *goquery.Selection) {
		changes = append(changes, s.Text())
	})
	pct := func(then int64) string {
		d := float64(now-then) / float64(then) * 100
		arrow := "▲"
		if d < 0 {
			arrow, d = "▼", -d
		}
		return arrow + " " + i18n.Number(d, 1) + "\u00a0%"
	}
	want := []string{pct(prev) + " ed. jakso", pct(year) + " vuotta aiemmin"}
	if len(changes) != 2 || changes[0] != want[0] || changes[1] != want[1] {
		t.Errorf("feedback changes = %q, want %q", changes, want)
	}
	// A share changes in percentage points, and its colour says which way is good.
	share := doc.Find(".kpi").Eq(2)
	if c := share.Find("dd.change").First(); !strings.Contains(c.Text(), "%-yks.") ||
		!(c.HasClass("trend-good") || c.HasClass("trend-bad") || strings.HasPrefix(c.Text(), "=")) {
		t.Errorf("digital share change %q (class %q)", c.Text(), c.AttrOr("class", ""))
	}
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func httptestRequest(target string, cookie *http.Cookie) *http.Request {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	return req
}

func httptestPost(target string, form url.Values) *http.Request {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}
