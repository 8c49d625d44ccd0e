package server

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/PuerkitoBio/goquery"

	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/auth"
)

func upload(srv http.Handler, c *http.Cookie, fields map[string]string, filename, content string) (int, string) {
	return postFile(srv, c, "/admin/import", fields, filename, content)
}

// postFile posts a multipart form: fields (in a fixed order), then the file.
func postFile(srv http.Handler, c *http.Cookie, target string, fields map[string]string, filename, content string) (int, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, k := range []string{"kind", "profile", "dry_run", "skip_invalid"} {
		if v, ok := fields[k]; ok {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write([]byte(content))
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, target, &body)
	req.AddCookie(c)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := newRecorder()
	srv.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// An admin uploads a feedback export in the browser: a bad row stops the
// whole file and is listed; a dry run writes nothing; the good file goes
// in, scrubbed, and the import is audited.
func TestAdminImportsFeedback(t *testing.T) {
	pool := loadedDB(t, 1_000)
	srv := newServer(t, pool)
	addUser(t, srv.Server, "tuoja", auth.RoleAdmin)
	c := login(t, srv, "tuoja", testPassword)
	header := "Tunnus;Kanava;Vastuuyksikkö;Saapunut;Ensivastaus;Ratkaistu;Tila;Tyyppi;Otsikko;Palaute;Leveysaste;Pituusaste\n"
	good := "W-1;Puhelin;puistot;20.5.2026 10:00;;;Avoin;Moite;;Puiston penkki rikki, soita 040 765 4321;;\n"
	bad := "W-2;Faksi;puistot;20.5.2026 10:00;;;Avoin;Moite;;x;;\n"
	feedback := func() int64 {
		return count(t, pool, `SELECT count(*) FROM feedback WHERE source = 'palautejarjestelma'`)
	}
	form := map[string]string{"kind": "feedback", "profile": "palautejarjestelma"}

	code, body := upload(srv, c, form, "p.csv", header+good+bad)
	if code != http.StatusBadRequest || !strings.Contains(body, "rivi 3, sarake Kanava") || feedback() != 0 {
		t.Errorf("a file with a bad row: %d, %d rows written\n%s", code, feedback(), body)
	}
	dry := map[string]string{"kind": "feedback", "profile": "palautejarjestelma", "dry_run": "1"}
	if code, body := upload(srv, c, dry, "p.csv", header+good); code != http.StatusOK || !strings.Contains(body, "1 kelvollista") || feedback() != 0 {
		t.Errorf("a dry run: %d, %d rows written", code, feedback())
	}
	if code, body := upload(srv, c, form, "p.csv", header+good); code != http.StatusOK || !strings.Contains(body, "1 uutta") || feedback() != 1 {
		t.Errorf("the good file: %d, %d rows\n%s", code, feedback(), body)
	}
	if n := count(t, pool, `SELECT count(*) FROM feedback WHERE source_id = 'W-1' AND body LIKE '%[puhelin]%'`); n != 1 {
		t.Error("the phone number was not scrubbed")
	}
	if code, _ := upload(srv, c, map[string]string{"kind": "open311", "profile": "palautejarjestelma"}, "r.json", "[]"); code != http.StatusBadRequest {
		t.Errorf("an Open311 file with a CSV profile: %d", code)
	}
	events, _ := audit.List(t.Context(), pool, audit.Filter{Username: "tuoja", Action: audit.Import}, 10)
	if len(events) != 1 || !strings.Contains(events[0].Detail, "1 new") {
		t.Errorf("audit of imports: %+v", events)
	}
	// Not for an executive.
	if code, _ := upload(srv, srv.cookie, form, "p.csv", header+good); code != http.StatusForbidden {
		t.Errorf("an executive uploads: %d", code)
	}
}

// Finance comes in through the same page, and the finance dashboard shows
// it at once.
func TestAdminImportsFinance(t *testing.T) {
	pool := loadedDB(t, 500)
	srv := newServer(t, pool)
	addUser(t, srv.Server, "talous", auth.RoleAdmin)
	c := login(t, srv, "talous", testPassword)
	file := "kuukausi;yksikkö;tililuokka;talousarvio;toteuma\n6/2026;puistot;wages;100;999999999\n"
	code, body := upload(srv, c, map[string]string{"kind": "finance", "profile": "palautejarjestelma"}, "talous.csv", file)
	if code != http.StatusOK || !strings.Contains(body, "1 päivitetty") {
		t.Fatalf("finance upload: %d\n%s", code, body)
	}
	if n := count(t, pool, `SELECT count(*) FROM finance_month WHERE actual = 999999999`); n != 1 {
		t.Errorf("%d rows with the new actual", n)
	}
}

// The upload page says what is wrong with a file in its own language, with
// the row and the column, and never repeats the residents' text.
func TestImportProblemsInThePagesLanguage(t *testing.T) {
	pool := loadedDB(t, 0)
	srv := newServer(t, pool)
	addUser(t, srv.Server, "kielituoja", auth.RoleAdmin)
	c := login(t, srv, "kielituoja", testPassword)
	header := "Tunnus;Kanava;Vastuuyksikkö;Saapunut;Ensivastaus;Ratkaistu;Tila;Tyyppi;Otsikko;Palaute;Leveysaste;Pituusaste\n"
	badDate := "K-1;Puhelin;puistot;31.2.2026;;;Avoin;Moite;;Salainen 131052-308T;;\n"
	form := map[string]string{"kind": "feedback", "profile": "palautejarjestelma"}
	tests := []struct {
		target string
		want   []string
	}{
		{"/admin/import?lang=sv", []string{
			`rad 2, kolumn Saapunut: "31.2.2026" är ingen tidpunkt (23.11.2026 14.05 eller 2026-11-23T14:05:00+02:00)`,
			"p.csv: filen har felaktiga rader, så inget importerades."}},
		{"/admin/import?lang=en", []string{
			`row 2, column Saapunut: "31.2.2026" is not a time (23.11.2026 14:05 or 2026-11-23T14:05:00+02:00)`,
			"p.csv: the file has invalid rows, so nothing was imported."}},
		{"/admin/import", []string{
			`rivi 2, sarake Saapunut: "31.2.2026" ei ole aika (23.11.2026 14.05 tai 2026-11-23T14:05:00+02:00)`,
			"p.csv: tiedostossa on virheellisiä rivejä, joten mitään ei tuotu."}},
	}
	for _, tt := range tests {
		code, body := postFile(srv, c, tt.target, form, "p.csv", header+badDate)
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		shown := doc.Find(".message li").Text() + "\n" + doc.Find(".notice").Text()
		for _, w := range tt.want {
			if code != http.StatusBadRequest || !strings.Contains(shown, w) {
				t.Errorf("%s: %d, the page lacks %q:\n%s", tt.target, code, w, shown)
			}
		}
		if strings.Contains(body, "131052") || strings.Contains(body, "Salainen") {
			t.Errorf("%s repeats the text", tt.target)
		}
	}
	// A problem of the whole file, too.
	code, body := postFile(srv, c, "/admin/import?lang=sv", map[string]string{"kind": "open311", "profile": "palautejarjestelma"}, "r.json", "[]")
	if code != http.StatusBadRequest || !strings.Contains(body, "profilen palautejarjestelma passar inte för open311") {
		t.Errorf("an Open311 file with a CSV profile, in Swedish: %d\n%s", code, body)
	}
}

// A file over the upload limit is refused as too large, in the page's
// language, wherever the reading stopped: in the CSV reader, or inside the
// workbook library, which would only say that it is no workbook.
func TestImportTooLarge(t *testing.T) {
	srv, _ := readOnlyServer(t)
	for _, name := range []string{"a.csv", "a.xlsx"} {
		r := httptest.NewRequest(http.MethodPost, "/admin/import?lang=sv", nil)
		page := srv.importPage(r, "contacts", "")
		status := srv.importFile(r, &page, map[string]string{"kind": "contacts"}, namedReader{name, iotest.ErrReader(&http.MaxBytesError{Limit: maxUpload})})
		want := "filen är större än 512 MB; importera den på servern med kommandot luukku import"
		if status != http.StatusRequestEntityTooLarge || len(page.Problems) != 1 || page.Problems[0] != want {
			t.Errorf("%s: %d %q", name, status, page.Problems)
		}
	}
}

type namedReader struct {
	name string
	io.Reader
}

func (n namedReader) FileName() string { return n.name }
