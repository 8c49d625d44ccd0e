package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/luukku-bi/luukku/internal/auth"
)

// What the accounts and screens refuse is said on the form in the page's
// language: a taken username, a malformed one, an unknown unit, a screen
// without a name, a screen already revoked.
func TestAdminRefusalsInThePagesLanguage(t *testing.T) {
	srv, _ := readOnlyServer(t)
	addUser(t, srv.Server, "kielivirheet", auth.RoleAdmin)
	c := login(t, srv, "kielivirheet", testPassword)
	taken := url.Values{"username": {"KieliVirheet"}, "role": {"viewer"}}
	malformed := url.Values{"username": {"två ord"}, "role": {"viewer"}}
	unknownUnit := url.Values{"role": {"admin"}, "unit": {"eiole"}}
	noName := url.Values{"name": {" "}, "target": {"playlist:aula"}, "lang": {"fi"}, "unit": {"eiole"}}
	tests := []struct {
		name   string
		target string
		form   url.Values
		status int
		want   string
	}{
		{"taken, Swedish", "/admin/users?lang=sv", taken, http.StatusBadRequest,
			"användarnamnet kielivirheet är redan upptaget"},
		{"taken, Finnish", "/admin/users", taken, http.StatusBadRequest,
			"käyttäjätunnus kielivirheet on jo käytössä"},
		{"taken, English", "/admin/users?lang=en", taken, http.StatusBadRequest,
			"username is taken: kielivirheet"},
		{"bad username, Swedish", "/admin/users?lang=sv", malformed, http.StatusBadRequest,
			`användarnamnet "två ord" duger inte: använd 1–100 tecken a–z, 0–9, '.', '_', '@' eller '-' och börja med en bokstav eller siffra`},
		{"bad username, Finnish", "/admin/users?lang=fi", malformed, http.StatusBadRequest,
			`käyttäjätunnus "två ord" ei kelpaa: käytä 1–100 merkkiä a–z, 0–9, '.', '_', '@' tai '-' ja aloita kirjaimella tai numerolla`},
		{"unknown unit, Swedish", "/admin/users/kielivirheet?lang=sv", unknownUnit, http.StatusBadRequest,
			"organisationen har ingen enhet eiole"},
		{"unknown role, Swedish", "/admin/users/kielivirheet?lang=sv", url.Values{"role": {"superuser"}}, http.StatusBadRequest,
			`okänd roll "superuser" (roller: admin, executive, unit_head, viewer, display)`},
		{"no such user, English", "/admin/users/eiketaan/password?lang=en", nil, http.StatusBadRequest,
			"no such user: eiketaan"},
		{"screen without a name, Swedish", "/admin/screens?lang=sv", noName, http.StatusBadRequest,
			"ge skärmen ett namn (1–100 tecken)"},
		{"screen revoked, Swedish", "/admin/screens/999999999/revoke?lang=sv", nil, http.StatusNotFound,
			"skärmen finns inte, eller den har redan tagits ur bruk"},
	}
	for _, tt := range tests {
		rec := postForm(srv, tt.target, tt.form, c)
		doc, err := goquery.NewDocumentFromReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		msg := strings.TrimSpace(doc.Find(".message").Text())
		if rec.Code != tt.status || msg != tt.want {
			t.Errorf("%s: %d %q\nwant %d %q", tt.name, rec.Code, msg, tt.status, tt.want)
		}
	}
}
