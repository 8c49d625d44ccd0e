package server

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/definitions"
)

// firstToimiala is the code of the first unit below the city.
func firstToimiala(t *testing.T, srv *testServer) string {
	t.Helper()
	var code string
	if err := srv.cfg.Pool.QueryRow(t.Context(),
		`SELECT code FROM org_unit WHERE level = 'toimiala' ORDER BY path LIMIT 1`).Scan(&code); err != nil {
		t.Fatal(err)
	}
	return code
}

// addDisplay makes a display token as an admin would.
func addDisplay(t *testing.T, srv *testServer, n auth.NewDisplay) string {
	t.Helper()
	token, err := srv.cfg.Displays.Add(t.Context(), audit.Actor{Username: "test"}, n)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// screenGet requests target as the screen holding cookie.
func screenGet(t *testing.T, srv http.Handler, target string, cookie *http.Cookie) (*httptest.ResponseRecorder, *goquery.Document) {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptestRequest(target, cookie))
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	return rec, doc
}

// openScreen trades a display token for the screen's cookie, as the
// screen's browser does when it opens its URL.
func openScreen(t *testing.T, srv http.Handler, token string) (*http.Cookie, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/screen/"+token, nil))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("GET /screen/…: %d\n%s", rec.Code, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == screenCookie {
			return c, rec.Header().Get("Location")
		}
	}
	t.Fatal("GET /screen/…: no screen cookie")
	return nil, ""
}

// A display token opens one deck, of its units only, without a sign-in;
// it reaches nothing else; it is kept hashed; its use is audited; and
// revoked, it blanks the screen.
func TestDisplayTokenOpensItsScreenOnly(t *testing.T) {
	pool := loadedDB(t, 5_000)
	srv := newServer(t, pool)
	unit := firstToimiala(t, srv)
	token := addDisplay(t, srv, auth.NewDisplay{Name: "Valtuustosali", Playlist: "valtuustosali", Units: []string{unit}})
	if !strings.HasPrefix(token, "screen_") || len(token) < 30 {
		t.Errorf("token %q", token)
	}
	sum := sha256.Sum256([]byte(token))
	if n := count(t, pool, `SELECT count(*) FROM display_token WHERE token_hash = $1`, sum[:]); n != 1 {
		t.Errorf("%d tokens stored by their hash", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM display_token d WHERE position($1 in d::text) > 0`, token); n != 0 {
		t.Error("the token is stored as it is")
	}

	cookie, location := openScreen(t, srv, token)
	if location != "/present/valtuustosali" {
		t.Errorf("the screen is sent to %q", location)
	}
	if !cookie.HttpOnly || cookie.Path != "/present" || cookie.SameSite != http.SameSiteLaxMode || cookie.MaxAge < 300*24*3600 {
		t.Errorf("screen cookie %+v", cookie)
	}

	rec, doc := screenGet(t, srv, location, cookie)
	if rec.Code != http.StatusOK {
		t.Fatalf("the deck: %d\n%s", rec.Code, rec.Body)
	}
	defs, _ := (&definitions.Loader{}).Load(t.Context())
	pl, _ := defs.Playlist("valtuustosali")
	if got := doc.Find(".step").Length(); got != len(pl.Slides) {
		t.Errorf("%d steps for %d slides", got, len(pl.Slides))
	}
	if doc.Find(".step").Eq(1).AttrOr("hidden", "none") == "none" || doc.Find(".step").First().AttrOr("hidden", "none") != "none" {
		t.Error("not only the first step is shown before the script runs")
	}
	ids := map[string]bool{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id := s.AttrOr("id", "")
		if ids[id] {
			t.Errorf("id %s twice on the page", id)
		}
		ids[id] = true
	})
	if n := doc.Find("a[href^='/d/'], a[href='/'], .exit, form").Length(); n != 0 {
		t.Errorf("the screen has %d links or forms out of the deck", n)
	}
	if doc.Find("[data-chart]").Length() == 0 || doc.Find(".kpi").Length() == 0 {
		t.Error("the deck has no charts or no figures")
	}
	// The figures are the token's units': the same as an executive's view
	// of that unit.
	_, mine := get(t, srv, "/?unit="+unit)
	if got, want := kpi(t, doc, "Palautteet"), kpi(t, mine, "Palautteet"); got != want {
		t.Errorf("the screen shows %d feedback, the unit has %d", got, want)
	}
	var name string
	pool.QueryRow(t.Context(), `SELECT name_fi FROM org_unit WHERE code = $1`, unit).Scan(&name)
	if ctx := doc.Find(".step-context").First().Text(); !strings.HasPrefix(ctx, name+" · ") {
		t.Errorf("the first step's context %q does not begin with the unit, %s", ctx, name)
	}

	rec, _ = screenGet(t, srv, "/present/version", cookie)
	var v presentVersion
	if err := json.Unmarshal(rec.Body.Bytes(), &v); rec.Code != http.StatusOK || err != nil {
		t.Fatalf("version: %d %v", rec.Code, err)
	}
	if want := doc.Find("body").AttrOr("data-version", ""); v.Version != want || want == "" || v.Build == "" {
		t.Errorf("version %+v, the page says %q", v, want)
	}

	for _, tt := range []struct {
		path string
		want int
	}{
		{"/present/aula", http.StatusForbidden},
		{"/present/d/overview", http.StatusForbidden},
		{"/present/valtuustosali?lang=sv", http.StatusOK}, // the token's language wins, the deck is the same
		{"/", http.StatusSeeOther},
		{"/d/overview", http.StatusSeeOther},
		{"/d/overview/panels/kpis.csv", http.StatusSeeOther},
		{"/admin/users", http.StatusSeeOther},
	} {
		if rec, _ := screenGet(t, srv, tt.path, cookie); rec.Code != tt.want {
			t.Errorf("the screen GET %s = %d, want %d", tt.path, rec.Code, tt.want)
		}
	}

	events, err := audit.List(t.Context(), pool, audit.Filter{Username: "näyttö:Valtuustosali"}, 100)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range events {
		seen[e.Action] = true
	}
	if !seen[audit.DisplayOpen] || !seen[audit.View] {
		t.Errorf("audit of the screen: %v", seen)
	}

	// A second live screen may not take the name; after a revoke it may.
	if _, err := srv.cfg.Displays.Add(t.Context(), audit.Actor{}, auth.NewDisplay{Name: "Valtuustosali", Playlist: "aula", Units: []string{unit}}); !errors.Is(err, auth.ErrInvalid) {
		t.Errorf("a second screen by the same name: %v", err)
	}
	list, err := srv.cfg.Displays.List(t.Context())
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %v %v", list, err)
	}
	if list[0].LastUsed == nil || list[0].Units[0] != unit {
		t.Errorf("listed %+v", list[0])
	}
	if _, err := srv.cfg.Displays.Revoke(t.Context(), audit.Actor{Username: "test"}, list[0].ID); err != nil {
		t.Fatal(err)
	}
	rec, _ = screenGet(t, srv, "/present/version", cookie)
	if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), `"gone":true`) {
		t.Errorf("revoked, the poll gets %d %s", rec.Code, rec.Body)
	}
	rec, doc = screenGet(t, srv, location, cookie)
	if rec.Code != http.StatusUnauthorized || doc.Find("body.gone").Length() != 1 || doc.Find(".step").Length() != 0 {
		t.Errorf("revoked, the deck gets %d\n%s", rec.Code, rec.Body)
	}
	if rec := httptest.NewRecorder(); true {
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/screen/"+token, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("revoked, the screen URL gives %d", rec.Code)
		}
	}
	if _, err := srv.cfg.Displays.Revoke(t.Context(), audit.Actor{}, list[0].ID); !errors.Is(err, auth.ErrNoDisplay) {
		t.Errorf("revoking twice: %v", err)
	}
	if _, err := srv.cfg.Displays.Add(t.Context(), audit.Actor{}, auth.NewDisplay{Name: "Valtuustosali", Playlist: "aula", Units: []string{unit}}); err != nil {
		t.Errorf("the name again after the revoke: %v", err)
	}
}

func TestDisplayTokenNeedsATargetAndUnits(t *testing.T) {
	pool := loadedDB(t, 1_000)
	srv := newServer(t, pool)
	for _, n := range []auth.NewDisplay{
		{Name: "", Playlist: "aula", Units: []string{"esimerkkila"}},
		{Name: "x", Units: []string{"esimerkkila"}},
		{Name: "x", Playlist: "aula", Dashboard: "overview", Units: []string{"esimerkkila"}},
		{Name: "x", Playlist: "aula"},
	} {
		if _, err := srv.cfg.Displays.Add(t.Context(), audit.Actor{}, n); !errors.Is(err, auth.ErrInvalid) {
			t.Errorf("%+v: %v", n, err)
		}
	}
	if _, err := srv.cfg.Displays.Add(t.Context(), audit.Actor{}, auth.NewDisplay{Name: "x", Playlist: "aula", Units: []string{"nope"}}); !errors.Is(err, auth.ErrUnknownUnit) {
		t.Errorf("unknown unit: %v", err)
	}
	if n := count(t, pool, `SELECT count(*) FROM display_token`); n != 0 {
		t.Errorf("%d tokens after refusals", n)
	}
}

// A token for one dashboard view opens exactly that view.
func TestDisplayTokenForADashboardView(t *testing.T) {
	pool := loadedDB(t, 2_000)
	srv := newServer(t, pool)
	unit := firstToimiala(t, srv)
	token := addDisplay(t, srv, auth.NewDisplay{Name: "Aula", Dashboard: "service", View: "unit=" + unit + "&channel=phone&channel=email", Lang: "sv", Units: []string{"esimerkkila"}})
	cookie, location := openScreen(t, srv, token)
	if !strings.HasPrefix(location, "/present/d/service?") || !strings.Contains(location, "lang=sv") {
		t.Fatalf("sent to %s", location)
	}
	rec, doc := screenGet(t, srv, location, cookie)
	if rec.Code != http.StatusOK || doc.Find("html").AttrOr("lang", "") != "sv" {
		t.Fatalf("%d, lang %q", rec.Code, doc.Find("html").AttrOr("lang", ""))
	}
	// The same view with the parameters in another order is the same view.
	if rec, _ := screenGet(t, srv, "/present/d/service?channel=email&channel=phone&unit="+unit, cookie); rec.Code != http.StatusOK {
		t.Errorf("reordered parameters: %d", rec.Code)
	}
	for _, other := range []string{"/present/d/service", "/present/d/service?unit=" + unit, "/present/d/overview?unit=" + unit + "&channel=phone&channel=email", "/present/valtuustosali"} {
		if rec, _ := screenGet(t, srv, other, cookie); rec.Code != http.StatusForbidden {
			t.Errorf("GET %s = %d, want 403", other, rec.Code)
		}
	}
}

// A signed-in person presents any dashboard view: a screenful at a time,
// with a way back.
func TestPresentADashboard(t *testing.T) {
	srv, _ := readOnlyServer(t)
	unit := firstToimiala(t, srv)
	rec, doc := get(t, srv, "/present/d/service?unit="+unit)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d\n%s", rec.Code, rec.Body)
	}
	defs, _ := (&definitions.Loader{}).Load(t.Context())
	d, _ := defs.Get("service")
	screens := d.Screens(nil)
	if got := doc.Find(".step").Length(); got != len(screens) || got < 2 {
		t.Errorf("%d steps, %d screens", got, len(screens))
	}
	if of := doc.Find(".step-of").First().Text(); of != "1/"+string(rune('0'+len(screens))) {
		t.Errorf("the first step says %q", of)
	}
	if exit := doc.Find(".exit").AttrOr("href", ""); exit != "/d/service?unit="+unit {
		t.Errorf("exit leads to %q", exit)
	}
	if n := doc.Find(".kind-table").Length(); n != 0 {
		t.Errorf("%d tables on a screen", n)
	}
	// The dashboard page offers the presenter view of the same view.
	_, page := get(t, srv, "/d/service?unit="+unit)
	if href := page.Find("a.present-link").AttrOr("href", ""); href != "/present/d/service?unit="+unit {
		t.Errorf("the dashboard's presenter link is %q", href)
	}

	for _, tt := range []struct {
		path string
		want int
	}{
		{"/present/d/nope", http.StatusNotFound},
		{"/present/nope", http.StatusNotFound},
		{"/present/d/service?from=yesterday", http.StatusBadRequest},
		{"/present/d/service?colour=red", http.StatusBadRequest},
		{"/present/d/service?unit=nope", http.StatusBadRequest},
		{"/present/aula", http.StatusOK},
	} {
		if rec, _ := get(t, srv, tt.path); rec.Code != tt.want {
			t.Errorf("GET %s = %d, want %d", tt.path, rec.Code, tt.want)
		}
	}
	bare := newBareServer(t, srv.cfg.Pool)
	if rec, _ := get(t, bare, "/present/aula"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("nobody signed in: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if rec, _ := get(t, bare, "/present/version"); rec.Code != http.StatusSeeOther {
		t.Errorf("nobody signed in, version: %d", rec.Code)
	}
	// A unit head presents her units only.
	addUser(t, bare.Server, "yksikko", auth.RoleUnitHead, unit)
	bare.cookie = login(t, bare.Server, "yksikko", testPassword)
	var foreign string
	srv.cfg.Pool.QueryRow(t.Context(), `SELECT code FROM org_unit WHERE level = 'toimiala' ORDER BY path DESC LIMIT 1`).Scan(&foreign)
	if rec, _ := get(t, bare, "/present/d/overview?unit="+foreign); rec.Code != http.StatusForbidden {
		t.Errorf("a unit head presenting another unit: %d", rec.Code)
	}
}

// A slide that cannot be shown is left out; the rest of the deck stays.
func TestBrokenSlideIsLeftOut(t *testing.T) {
	srv, _ := readOnlyServer(t)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "dashboards", dashboards.PlaylistDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "dashboards", dashboards.PlaylistDir, "testi.yaml"), []byte(`title: {fi: Testi}
slides:
  - dashboard: overview
    view: unit=lakkautettu
    panels: [kpis]
  - dashboard: themes
    panels: [top_themes]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	defs, err := (&definitions.Loader{Dir: dir}).Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	srv.cfg.Definitions = func() *dashboards.Set { return defs }
	rec, doc := get(t, srv, "/present/testi")
	if rec.Code != http.StatusOK {
		t.Fatalf("%d\n%s", rec.Code, rec.Body)
	}
	if got := doc.Find(".step").Length(); got != 1 || doc.Find(".step h1").Text() != "Palautteen teemat" {
		t.Errorf("%d steps: %q", got, doc.Find(".step h1").Text())
	}
}

// An admin who tried a screen's address in her own browser still
// presents as herself.
func TestSignedInPersonWinsOverAScreenCookie(t *testing.T) {
	pool := loadedDB(t, 1_000)
	srv := newServer(t, pool)
	token := addDisplay(t, srv, auth.NewDisplay{Name: "Kokeilu", Playlist: "aula", Units: []string{firstToimiala(t, srv)}})
	screen, _ := openScreen(t, srv, token)
	req := httptestRequest("/present/valtuustosali", srv.cookie)
	req.AddCookie(screen)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("signed in with a screen cookie too: %d", rec.Code)
	}
}

// An account with the display role presents its units and reads nothing
// else.
func TestDisplayAccountPresentsOnly(t *testing.T) {
	srv, _ := readOnlyServer(t)
	unit := firstToimiala(t, srv)
	addUser(t, srv.Server, "aulanaytto", auth.RoleDisplay, unit)
	c := login(t, srv, "aulanaytto", testPassword)
	for _, tt := range []struct {
		path string
		want int
	}{
		{"/present/d/overview?unit=" + unit, http.StatusOK},
		{"/present/aula", http.StatusOK},
		{"/", http.StatusForbidden},
		{"/d/overview/panels/kpis.csv", http.StatusForbidden},
	} {
		if rec, _ := screenGet(t, srv, tt.path, c); rec.Code != tt.want {
			t.Errorf("a display account GET %s = %d, want %d", tt.path, rec.Code, tt.want)
		}
	}
}
