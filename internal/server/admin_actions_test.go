package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/luukku-bi/luukku/internal/actions"
	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/auth"
)

func uploadActions(srv http.Handler, c *http.Cookie, csv string) (int, string) {
	return postFile(srv, c, "/admin/actions/import", nil, "actions.csv", csv)
}

// Admins keep the development actions in the browser: add, edit, delete,
// and import a spreadsheet, every row or none; the closing-the-loop
// dashboard shows the result at once.
func TestAdminEditsDevelopmentActions(t *testing.T) {
	pool := loadedDB(t, 2_000)
	srv := newServer(t, pool) // an executive: reads, edits nothing
	addUser(t, srv.Server, "toimija", auth.RoleAdmin)
	c := login(t, srv, "toimija", testPassword)
	ctx := t.Context()
	count := func() int {
		list, err := actions.List(ctx, pool)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	version := func() (v int64) {
		pool.QueryRow(ctx, "SELECT version FROM data_version").Scan(&v)
		return v
	}
	before, v0 := count(), version()

	rec := newRecorder()
	srv.ServeHTTP(rec, httptestRequest("/admin/actions", c))
	if rec.Code != http.StatusOK || strings.Count(rec.Body.String(), "/delete") != before {
		t.Fatalf("the list: %d, %d delete buttons for %d actions", rec.Code, strings.Count(rec.Body.String(), "/delete"), before)
	}
	for _, target := range []string{"/admin/actions", "/admin/actions/new"} {
		if s := newRecorder(); true {
			srv.ServeHTTP(s, httptestRequest(target, nil)) // the executive's session
			if s.Code != http.StatusForbidden {
				t.Errorf("an executive at %s: %d", target, s.Code)
			}
		}
	}

	form := url.Values{
		"code": {"talvi-2026"}, "title": {"Aurausreittien uusi järjestys"}, "unit": {"katujen_kunnossapito"},
		"themes": {"street_maintenance"}, "owner_role": {"Kunnossapitopäällikkö"},
		"decided_on": {"2026-01-10"}, "started_on": {"2026-02-01"}, "done_on": {"2026-03-15"},
	}
	if rec := postForm(srv, "/admin/actions/new", form, c); rec.Code != http.StatusSeeOther {
		t.Fatalf("add: %d\n%s", rec.Code, rec.Body)
	}
	if count() != before+1 || version() <= v0 {
		t.Errorf("after adding: %d actions (was %d), data version %d (was %d)", count(), before, version(), v0)
	}
	// The same checks as an imported row: nothing is written.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("code", "huono")
	bad.Set("done_on", "2026-01-01")
	bad["themes"] = []string{"no_such_theme"}
	rec = postForm(srv, "/admin/actions/new", bad, c)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "done_on is before started_on") {
		t.Errorf("a bad action: %d\n%s", rec.Code, rec.Body)
	}
	bad.Set("done_on", "")
	rec = postForm(srv, "/admin/actions/new", bad, c)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "no_such_theme") || count() != before+1 {
		t.Errorf("an unknown theme: %d, %d actions", rec.Code, count())
	}
	// Edit: the code in the URL names the action whatever the form says.
	form.Set("title", "Aurausreitit uusiksi")
	form.Set("code", "something-else")
	if rec := postForm(srv, "/admin/actions/talvi-2026", form, c); rec.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", rec.Code, rec.Body)
	}
	rec = newRecorder()
	srv.ServeHTTP(rec, httptestRequest("/d/actions", nil))
	if !strings.Contains(rec.Body.String(), "Aurausreitit uusiksi") || count() != before+1 {
		t.Errorf("the dashboard after editing does not show the new title (%d actions)", count())
	}
	// Import: one bad row and nothing is written; then a good file.
	header := strings.Join(actions.Columns, ";") + "\n"
	good := "tuonti-1;Kirjaston aukiolot;;paakirjasto;library_culture;Kirjastotoimenjohtaja;1.4.2026;;\n"
	code, body := uploadActions(srv, c, header+good+"tuonti-2;Ilman yksikköä;;eiole;parks;;1.4.2026;;\n")
	if code != http.StatusBadRequest || !strings.Contains(body, "row 3") || count() != before+1 {
		t.Errorf("a file with a bad row: %d, %d actions\n%s", code, count(), body)
	}
	if code, body := uploadActions(srv, c, header+good); code != http.StatusOK || count() != before+2 || !strings.Contains(body, "1 uutta") {
		t.Errorf("a good file: %d, %d actions", code, count())
	}
	if code, _ := uploadActions(srv, c, "not;a;file\n"); code != http.StatusBadRequest {
		t.Errorf("a file with other columns: %d", code)
	}
	// Delete.
	if rec := postForm(srv, "/admin/actions/talvi-2026/delete", nil, c); rec.Code != http.StatusOK || count() != before+1 {
		t.Errorf("delete: %d, %d actions", rec.Code, count())
	}
	if rec := postForm(srv, "/admin/actions/talvi-2026/delete", nil, c); rec.Code != http.StatusNotFound {
		t.Errorf("delete again: %d", rec.Code)
	}
	events, _ := audit.List(ctx, pool, audit.Filter{Username: "toimija"}, 100)
	seen := map[string]int{}
	for _, e := range events {
		seen[e.Action]++
	}
	if seen[audit.ActionSave] != 2 || seen[audit.ActionDelete] != 1 || seen[audit.Import] != 1 {
		t.Errorf("audit: %v", seen)
	}
}
