package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/luukku-bi/luukku/internal/auth"
)

// An admin makes a screen's address for a dashboard view pasted from the
// browser, sees it once, opens it as the screen would, and revokes it;
// what cannot work is refused with the reason, and nothing is made.
func TestAdminMakesAndRevokesScreens(t *testing.T) {
	pool := loadedDB(t, 2_000)
	srv := newServer(t, pool) // an executive: may not manage screens
	addUser(t, srv.Server, "naytot", auth.RoleAdmin)
	c := login(t, srv, "naytot", testPassword)
	unit := firstToimiala(t, srv)
	var foreign string
	pool.QueryRow(t.Context(), `SELECT code FROM org_unit WHERE level = 'toimiala' ORDER BY path DESC LIMIT 1`).Scan(&foreign)

	page := func(rec *http.Response) *goquery.Document {
		t.Helper()
		doc, err := goquery.NewDocumentFromReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	rec := newRecorder()
	srv.ServeHTTP(rec, httptestRequest("/admin/screens", c))
	doc := page(rec.Result())
	if rec.Code != http.StatusOK || doc.Find("select[name=target] option").Length() < 10 || doc.Find("a[href='/present/valtuustosali']").Length() != 1 {
		t.Fatalf("the page: %d, %d targets", rec.Code, doc.Find("select[name=target] option").Length())
	}
	if rec := newRecorder(); true {
		srv.ServeHTTP(rec, httptestRequest("/admin/screens", nil))
		if rec.Code != http.StatusForbidden {
			t.Errorf("an executive at /admin/screens: %d", rec.Code)
		}
	}

	form := func(name, target, view string, units ...string) url.Values {
		return url.Values{"name": {name}, "target": {target}, "view": {view}, "lang": {"fi"}, "unit": units}
	}
	for _, tt := range []struct {
		name string
		form url.Values
		want string
	}{
		{"no name", form("", "playlist:aula", "", unit), "anna näytölle nimi"},
		{"no units", form("Aula", "playlist:aula", "", nil...), "valitse yksiköt"},
		{"unknown playlist", form("Aula", "playlist:nope", "", unit), "soittolistaa ei ole: nope"},
		{"view on a playlist", form("Aula", "playlist:aula", "unit="+unit, unit), "omat rajauksensa"},
		{"unknown unit in the view", form("Aula", "dashboard:service", "unit=nope", unit), "tuntematon yksikkö: nope"},
		{"view outside the screen's units", form("Aula", "dashboard:service", "unit="+foreign, unit), foreign},
		{"bad date", form("Aula", "dashboard:service", "from=eilen", unit), "VVVV-KK-PP"},
		{"unknown unit in the scope", form("Aula", "playlist:aula", "", "nope"), "organisaatiossa ei ole yksikköä nope"},
	} {
		rec := postForm(srv, "/admin/screens", tt.form, c)
		doc := page(rec.Result())
		if msg := doc.Find(".message").Text(); rec.Code != http.StatusBadRequest || !strings.Contains(msg, tt.want) {
			t.Errorf("%s: %d %q, want %q", tt.name, rec.Code, msg, tt.want)
		}
		if doc.Find("input[name=name]").AttrOr("value", "") != tt.form.Get("name") {
			t.Errorf("%s: the form lost what was typed", tt.name)
		}
	}
	if n := count(t, pool, `SELECT count(*) FROM display_token`); n != 0 {
		t.Fatalf("%d screens made by refused forms", n)
	}

	rec = postForm(srv, "/admin/screens", form("Aulan näyttö", "dashboard:service", "https://luukku.example.fi/d/service?channel=phone&unit="+unit+"&lang=sv", unit), c)
	doc = page(rec.Result())
	address := doc.Find(".secret code").Text()
	if rec.Code != http.StatusOK || !strings.HasPrefix(address, "http://example.com/screen/screen_") {
		t.Fatalf("made: %d, address %q, %s", rec.Code, address, doc.Find(".message").Text())
	}
	if doc.Find(".screens tbody tr").Length() != 1 || !strings.Contains(doc.Find(".screens tbody").Text(), "channel=phone&unit="+unit) {
		t.Errorf("the list: %s", doc.Find(".screens tbody").Text())
	}
	cookie, location := openScreen(t, srv, strings.TrimPrefix(address, "http://example.com/screen/"))
	if location != "/present/d/service?channel=phone&unit="+unit {
		t.Errorf("the screen opens %s", location)
	}
	if rec, _ := screenGet(t, srv, location, cookie); rec.Code != http.StatusOK {
		t.Errorf("the screen's deck: %d", rec.Code)
	}
	// The address is shown once: the list does not show it again.
	rec = newRecorder()
	srv.ServeHTTP(rec, httptestRequest("/admin/screens", c))
	if strings.Contains(rec.Body.String(), address) {
		t.Error("the list shows the address again")
	}

	revoke, _ := page(rec.Result()).Find(".screens form").Attr("action")
	rec = postForm(srv, revoke, nil, c)
	doc = page(rec.Result())
	if rec.Code != http.StatusOK || !strings.Contains(doc.Find(".notice").Text(), "Aulan näyttö") || doc.Find(".screens form").Length() != 0 {
		t.Errorf("revoke: %d %q", rec.Code, doc.Find(".notice").Text())
	}
	if rec, _ := screenGet(t, srv, location, cookie); rec.Code != http.StatusUnauthorized {
		t.Errorf("the revoked screen's deck: %d", rec.Code)
	}
	if rec := postForm(srv, revoke, nil, c); rec.Code != http.StatusNotFound {
		t.Errorf("revoking again: %d", rec.Code)
	}
	if n := count(t, pool, `SELECT count(*) FROM audit_event WHERE action IN ('display_add', 'display_revoke', 'display_open') AND target = 'Aulan näyttö'`); n != 3 {
		t.Errorf("%d audit events for the screen", n)
	}
}
