package server

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/definitions"
	"github.com/luukku-bi/luukku/queries"
)

// scopedTables are the tables under row-level security.
var scopedTables = []string{"feedback", "feedback_count", "feedback_tree_count", "feedback_theme_count", "feedback_theme_tree_count", "feedback_response_running", "contact_volume", "finance_month", "hr_month", "development_action", "survey_answer", "survey_count", "finance_tree_month", "finance_booked_month", "hr_tree_month", "feedback_theme_tree_total"}

type orgUnit struct{ code, path string }

func orgUnits(t *testing.T, pool *pgxpool.Pool) []orgUnit {
	t.Helper()
	rows, _ := pool.Query(t.Context(), "SELECT code, path::text FROM org_unit ORDER BY path")
	units, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (orgUnit, error) {
		var u orgUnit
		return u, r.Scan(&u.code, &u.path)
	})
	if err != nil {
		t.Fatal(err)
	}
	return units
}

func pathOf(units []orgUnit, code string) string {
	for _, u := range units {
		if u.code == code {
			return u.path
		}
	}
	panic("no unit " + code)
}

func within(path string, roots []string) bool {
	return slices.ContainsFunc(roots, func(r string) bool { return path == r || strings.HasPrefix(path, r+".") })
}

// Row-level security holds even for a query that forgets to filter: as
// the reader role, a SELECT without WHERE returns exactly the rows of the
// scope's units, and nothing at all when no scope is set.
func TestRowLevelSecurityWithoutWhere(t *testing.T) {
	_, pool := readOnlyServer(t)
	ctx := t.Context()
	units := orgUnits(t, pool)
	scope := []string{pathOf(units, "kaupunkiymparisto"), pathOf(units, "keskustan_koulu")}
	for _, table := range scopedTables {
		var want, got, outside, unset int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM `+table+` t JOIN org_unit u ON u.id = t.unit_id
			WHERE u.path <@ ANY ($1::ltree[])`, scope).Scan(&want); err != nil {
			t.Fatal(err)
		}
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL ROLE luukku_reader"); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&unset); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "SELECT set_config('luukku.scope', $1, true)", "{"+strings.Join(scope, ",")+"}"); err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&got); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT count(*) FROM `+table+` t JOIN org_unit u ON u.id = t.unit_id
				WHERE NOT u.path <@ ANY ($1::ltree[])`, scope).Scan(&outside)
		})
		if err != nil {
			t.Fatal(err)
		}
		if want == 0 || got != want || outside != 0 || unset != 0 {
			t.Errorf("%s: the reader sees %d rows (%d outside the scope, %d without a scope), want %d", table, got, outside, unset, want)
		}
	}
	// The reader role reads nothing about accounts.
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		tx.Exec(ctx, "SET LOCAL ROLE luukku_reader")
		_, err := tx.Exec(ctx, "SELECT count(*) FROM app_user")
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("the reader role reads app_user: %v", err)
	}
}

// For every query in the catalogue, as a randomly scoped user: rows
// outside the scope change nothing in any result (deleting them gives the
// same answer), whichever unit the parameters name; and rows inside it
// are all there (a unit of the scope gives what it gives with no row-
// level security at all).
func TestEveryQueryStaysInsideTheScope(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every query many times")
	}
	pool := loadedDB(t, 3_000)
	srv := newBareServer(t, pool)
	ctx := t.Context()
	set, err := (&definitions.Loader{}).Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cat := set.Queries()
	units := orgUnits(t, pool)
	root := units[0].path
	rng := rand.New(rand.NewPCG(5, 7))
	from, to := time.Date(2025, 7, 1, 0, 0, 0, 0, today.Location()), time.Date(2026, 6, 30, 0, 0, 0, 0, today.Location())
	for trial := range 4 {
		var scope []string
		for len(scope) < 1+trial%2 {
			u := units[1+rng.IntN(len(units)-1)]
			if !within(u.path, scope) {
				scope = append(scope, u.path)
			}
		}
		var foreign string
		for _, u := range units {
			if !within(u.path, scope) && !strings.HasPrefix(scope[0], u.path+".") && u.path != root {
				foreign = u.path
			}
		}
		user := &auth.User{Username: "tester", Role: auth.RoleViewer, Paths: scope}
		scoped := withUser(ctx, user)
		unitArgs := []string{root, scope[0], foreign}
		// What the application's own path answers, under the scope.
		got := map[string]*queries.Result{}
		for _, name := range cat.Names() {
			q, _ := cat.Get(name)
			for _, unit := range unitArgs {
				res, err := srv.runQuery(scoped, q, sampleArgs(q, from, to, unit))
				if err != nil {
					t.Fatal(err)
				}
				got[name+"@"+unit] = res
			}
		}
		// The same with every row outside the scope deleted first (and
		// rolled back after), and with no row-level security at all.
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			for _, name := range cat.Names() {
				q, _ := cat.Get(name)
				if _, ok := q.Param("unit"); !ok {
					continue
				}
				res, err := q.Run(ctx, tx, sampleArgs(q, from, to, scope[0]))
				if err != nil {
					return err
				}
				if !sameResult(res, got[name+"@"+scope[0]]) {
					t.Errorf("scope %v: %s for %s hides rows inside the scope:\nowner  %v\nscoped %v", scope, name, scope[0], clip(res), clip(got[name+"@"+scope[0]]))
				}
			}
			for _, table := range scopedTables {
				if _, err := tx.Exec(ctx, `DELETE FROM `+table+` t USING org_unit u
					WHERE u.id = t.unit_id AND NOT u.path <@ ANY ($1::ltree[])`, scope); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, "SET LOCAL ROLE luukku_reader"); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "SELECT set_config('luukku.scope', $1, true)", user.Scope()); err != nil {
				return err
			}
			for _, name := range cat.Names() {
				q, _ := cat.Get(name)
				for _, unit := range unitArgs {
					want, err := q.Run(ctx, tx, sampleArgs(q, from, to, unit))
					if err != nil {
						return err
					}
					if !sameResult(want, got[name+"@"+unit]) {
						t.Errorf("scope %v: %s for %s depends on rows outside the scope:\nwithout them %v\nwith them    %v", scope, name, unit, clip(want), clip(got[name+"@"+unit]))
					}
				}
			}
			return errRollback
		})
		if err != errRollback {
			t.Fatal(err)
		}
		// Not vacuous: the scope's own unit has data.
		q, _ := cat.Get("overview_kpis")
		if r := got["overview_kpis@"+scope[0]]; len(r.Rows) == 0 || r.Rows[0][0] == int64(0) {
			t.Errorf("scope %v: %s shows no feedback: %v", scope, q.Name, r.Rows)
		}
	}
}

var errRollback = fmt.Errorf("roll back")

func sampleArgs(q *queries.Query, from, to time.Time, unit string) map[string]any {
	args := map[string]any{}
	for _, p := range q.Params {
		switch p.Type {
		case queries.ParamDate:
			args[p.Name] = map[bool]time.Time{true: from, false: to}[p.Name == "from"]
		case queries.ParamUnit:
			args[p.Name] = unit
		case queries.ParamChannels:
			args[p.Name] = []string{}
		case queries.ParamEnum:
			args[p.Name] = p.Values[0]
		case queries.ParamText:
			args[p.Name] = ""
		case queries.ParamInt:
			args[p.Name] = map[bool]int64{true: 100_000, false: 0}[p.Name == "limit"]
		}
	}
	return args
}

// sameResult compares results, floats to nine significant digits: the
// order of summation may differ between plans.
func sameResult(a, b *queries.Result) bool {
	if a == nil || b == nil || len(a.Rows) != len(b.Rows) {
		return a == b
	}
	for i := range a.Rows {
		for j := range a.Rows[i] {
			x, y := a.Rows[i][j], b.Rows[i][j]
			fx, okx := x.(float64)
			fy, oky := y.(float64)
			if okx && oky {
				if math.Abs(fx-fy) > 1e-9*math.Max(1, math.Max(math.Abs(fx), math.Abs(fy))) {
					return false
				}
				continue
			}
			if !reflect.DeepEqual(x, y) {
				return false
			}
		}
	}
	return true
}

func clip(r *queries.Result) string {
	if r == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%.300v", r.Rows)
}

// A unit head sees her units and nothing else: in the filter, the charts'
// tables, drill-throughs and exports; a URL naming another unit is refused.
func TestAUnitHeadSeesHerUnitsOnly(t *testing.T) {
	srv, pool := readOnlyServer(t)
	addUser(t, srv.Server, "tekla", auth.RoleUnitHead, "kaupunkiymparisto")
	cookie := login(t, srv, "tekla", testPassword)
	as := func(target string) (int, string) {
		req := httptestRequest(target, cookie)
		rec := newRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	mine := map[string]bool{}
	units := orgUnits(t, pool)
	for _, u := range units {
		mine[u.code] = within(u.path, []string{pathOf(units, "kaupunkiymparisto")})
	}
	for _, d := range srv.cfg.Definitions().All() {
		code, body := as(dashboardPath(d.Slug))
		if code != http.StatusOK {
			t.Fatalf("%s: %d", d.Slug, code)
		}
		for code, in := range mine {
			if !in && code != units[0].code && (strings.Contains(body, `value="`+code+`"`) || strings.Contains(body, "unit="+code+"&") || strings.Contains(body, "unit="+code+`"`)) {
				t.Errorf("%s: the page of a unit head of kaupunkiymparisto names %s", d.Slug, code)
			}
		}
	}
	for _, target := range []string{
		"/d/overview?unit=sivistys", "/d/channels?unit=keskustan_koulu",
		"/d/overview/panels/kpis.csv?unit=sivistys", "/d/overview/items?unit=sivistys",
		"/d/overview/items.xlsx?unit=sivistys",
	} {
		if code, _ := as(target); code != http.StatusForbidden {
			t.Errorf("GET %s as a unit head of kaupunkiymparisto = %d, want 403", target, code)
		}
	}
	// The export of the whole view holds her units only.
	code, csv := as("/d/channels/panels/mix_by_unit.csv")
	if code != http.StatusOK {
		t.Fatalf("channel mix export: %d %s", code, csv)
	}
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) < 2 {
		t.Fatalf("channel mix export has no rows: %q", csv)
	}
	for _, line := range lines[1:] {
		fields := strings.Split(line, ";")
		if unit := fields[1]; !mine[unit] {
			t.Errorf("the export holds a unit outside the scope: %q", line)
		}
	}
	// An account with no units sees no data and is told why.
	addUser(t, srv.Server, "nobody", auth.RoleViewer)
	nobody := login(t, srv, "nobody", testPassword)
	rec := newRecorder()
	srv.ServeHTTP(rec, httptestRequest("/", nobody))
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "yhtään yksikköä") {
		t.Errorf("GET / with no units = %d", rec.Code)
	}
}

// Accounts, sessions and the guards around signing in.
func TestSessions(t *testing.T) {
	srv, _ := readOnlyServer(t)
	now := time.Now()
	srv.cfg.Sessions.Now = func() time.Time { return now }
	addUser(t, srv.Server, "ville", auth.RoleViewer, "kulttuuri")
	status := func(target string, c *http.Cookie) int {
		rec := newRecorder()
		srv.ServeHTTP(rec, httptestRequest(target, c))
		return rec.Code
	}
	t.Run("no cookie goes to the sign-in page", func(t *testing.T) {
		rec := newRecorder()
		srv.Server.ServeHTTP(rec, httptestRequest("/d/themes?unit=kulttuuri", nil))
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next="+url.QueryEscape("/d/themes?unit=kulttuuri") {
			t.Errorf("%d %s", rec.Code, rec.Header().Get("Location"))
		}
	})
	t.Run("idle timeout", func(t *testing.T) {
		c := login(t, srv, "ville", testPassword)
		now = now.Add(90 * time.Minute)
		if s := status("/", c); s != http.StatusOK {
			t.Fatalf("after 90 min: %d", s)
		}
		now = now.Add(2*time.Hour + time.Minute)
		if s := status("/", c); s != http.StatusSeeOther {
			t.Errorf("after 2 h idle: %d, want a redirect to sign in", s)
		}
	})
	t.Run("absolute timeout", func(t *testing.T) {
		c := login(t, srv, "ville", testPassword)
		for range 13 {
			now = now.Add(time.Hour)
			status("/", c)
		}
		if s := status("/", c); s != http.StatusSeeOther {
			t.Errorf("13 h after signing in, active all along: %d", s)
		}
		stale := login(t, srv, "ville", testPassword)
		now = now.Add(3 * time.Hour)
		if n, err := srv.cfg.Sessions.Prune(t.Context()); err != nil || n < 1 {
			t.Errorf("prune: %d, %v", n, err)
		}
		var left int
		srv.cfg.Pool.QueryRow(t.Context(), "SELECT count(*) FROM app_session s JOIN app_user u ON u.id = s.user_id WHERE u.username = 'ville'").Scan(&left)
		if left != 0 || status("/", stale) != http.StatusSeeOther {
			t.Errorf("after pruning, %d sessions of ville are left", left)
		}
	})
	t.Run("logout ends the session for good", func(t *testing.T) {
		c := login(t, srv, "ville", testPassword)
		rec := postForm(srv, "/logout", nil, c)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("logout: %d", rec.Code)
		}
		if s := status("/", c); s != http.StatusSeeOther {
			t.Errorf("the old cookie after logout: %d", s)
		}
	})
	t.Run("key rotation", func(t *testing.T) {
		c := login(t, srv, "ville", testPassword)
		newKey := []byte("a new key of thirty-two bytes!!!")
		rotated, err := auth.NewSessions(srv.cfg.Pool, [][]byte{newKey, testSecret}, 2*time.Hour, 12*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		rotated.Now = srv.cfg.Sessions.Now
		old := srv.cfg.Sessions
		defer func() { srv.cfg.Sessions = old }()
		srv.cfg.Sessions = rotated
		rec := newRecorder()
		srv.ServeHTTP(rec, httptestRequest("/", c))
		if rec.Code != http.StatusOK {
			t.Fatalf("a cookie of the old key after rotation: %d", rec.Code)
		}
		var renewed *http.Cookie
		for _, rc := range rec.Result().Cookies() {
			if rc.Name == auth.CookieName {
				renewed = rc
			}
		}
		if renewed == nil {
			t.Fatal("the cookie was not made again with the new key")
		}
		only, _ := auth.NewSessions(srv.cfg.Pool, [][]byte{newKey}, 2*time.Hour, 12*time.Hour)
		only.Now = rotated.Now
		srv.cfg.Sessions = only
		if s := status("/", renewed); s != http.StatusOK {
			t.Errorf("the renewed cookie with the new key alone: %d", s)
		}
		if s := status("/", c); s != http.StatusSeeOther {
			t.Errorf("the old cookie once the old key is retired: %d", s)
		}
	})
	t.Run("role and scope changes take effect at once", func(t *testing.T) {
		addUser(t, srv.Server, "rooli", auth.RoleViewer, "kulttuuri")
		c := login(t, srv, "rooli", testPassword)
		if s := status("/admin/users", c); s != http.StatusForbidden {
			t.Errorf("a viewer on the admin page: %d", s)
		}
		if s := status("/?unit=sivistys", c); s != http.StatusForbidden {
			t.Errorf("a viewer of kulttuuri asks for sivistys: %d", s)
		}
		by := audit.Actor{Username: "test"}
		if err := srv.cfg.Accounts.SetScope(t.Context(), by, "rooli", []string{"sivistys"}); err != nil {
			t.Fatal(err)
		}
		if s := status("/?unit=sivistys", c); s != http.StatusOK {
			t.Errorf("after the scope change: %d", s)
		}
		if err := srv.cfg.Accounts.SetRole(t.Context(), by, "rooli", auth.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		if s := status("/admin/users", c); s != http.StatusOK {
			t.Errorf("after becoming admin: %d", s)
		}
		if err := srv.cfg.Accounts.SetDisabled(t.Context(), by, "rooli", true); err != nil {
			t.Fatal(err)
		}
		if s := status("/", c); s != http.StatusSeeOther {
			t.Errorf("a disabled account: %d", s)
		}
		if rec := postForm(srv.Server, "/login", url.Values{"username": {"rooli"}, "password": {testPassword}}, nil); rec.Code != http.StatusUnauthorized {
			t.Errorf("signing in to a disabled account: %d", rec.Code)
		}
	})
	t.Run("a password reset ends the sessions", func(t *testing.T) {
		addUser(t, srv.Server, "unohtaja", auth.RoleViewer, "kulttuuri")
		c := login(t, srv, "unohtaja", testPassword)
		if err := srv.cfg.Accounts.SetPassword(t.Context(), audit.Actor{}, "unohtaja", "a brand new password"); err != nil {
			t.Fatal(err)
		}
		if s := status("/", c); s != http.StatusSeeOther {
			t.Errorf("after a reset: %d", s)
		}
		login(t, srv, "unohtaja", "a brand new password")
	})
}

// Unknown users and wrong passwords get the same answer; too many tries
// are refused even with the right password, per account.
func TestSignInGuards(t *testing.T) {
	srv, _ := readOnlyServer(t)
	addUser(t, srv.Server, "arvattava", auth.RoleViewer, "kulttuuri")
	try := func(name, password, addr string) (int, string) {
		req := httptestPost("/login", url.Values{"username": {name}, "password": {password}})
		req.RemoteAddr = addr + ":1234"
		rec := newRecorder()
		srv.Server.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	message := func(body string) string {
		_, after, _ := strings.Cut(body, `role="alert">`)
		before, _, _ := strings.Cut(after, "<")
		return before
	}
	c1, unknown := try("eiole", "whatever password", "192.0.2.1")
	c2, wrong := try("arvattava", "whatever password", "192.0.2.2")
	if c1 != http.StatusUnauthorized || c2 != http.StatusUnauthorized || message(unknown) != message(wrong) || message(wrong) == "" {
		t.Errorf("unknown user %d %q, wrong password %d %q", c1, message(unknown), c2, message(wrong))
	}
	for i := range accountFailures - 1 {
		try("arvattava", "wrong", fmt.Sprintf("192.0.2.%d", 10+i))
	}
	if c, body := try("arvattava", testPassword, "192.0.2.99"); c != http.StatusTooManyRequests || !strings.Contains(body, "minuutin") {
		t.Errorf("the right password after %d failures: %d", accountFailures, c)
	}
	// The limit is the account's: another account from the same place is fine.
	addUser(t, srv.Server, "toinen", auth.RoleViewer, "kulttuuri")
	if c, _ := try("toinen", testPassword, "192.0.2.99"); c != http.StatusSeeOther {
		t.Errorf("another account: %d", c)
	}
	// Twenty failures from one address lock it out for every account.
	for i := range addressFailures {
		try(fmt.Sprintf("kokeilu%d", i), "wrong", "198.51.100.7")
	}
	if c, _ := try("toinen", testPassword, "198.51.100.7"); c != http.StatusTooManyRequests {
		t.Errorf("after %d failures from one address: %d", addressFailures, c)
	}
	// The failures are in the audit log.
	events, err := audit.List(t.Context(), srv.cfg.Pool, audit.Filter{Username: "arvattava", Action: audit.LoginFailed}, 100)
	if err != nil || len(events) < accountFailures || events[0].Address == "" {
		t.Errorf("audit of failed sign-ins: %v %+v", err, events)
	}
}

// State changes must come from the site's own pages.
func TestCrossSiteRequestsAreRefused(t *testing.T) {
	srv, _ := readOnlyServer(t)
	addUser(t, srv.Server, "paakayttaja", auth.RoleAdmin)
	c := login(t, srv, "paakayttaja", testPassword)
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		req := httptestPost("/admin/users", url.Values{"username": {"hyokkaaja"}, "role": {"admin"}})
		req.AddCookie(c)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		rec := newRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("POST /admin/users with %v = %d, want 403", h, rec.Code)
		}
	}
	if _, err := srv.cfg.Accounts.Get(t.Context(), "hyokkaaja"); err == nil {
		t.Error("a cross-site post made an account")
	}
	// The same post from the site itself works.
	req := httptestPost("/admin/users", url.Values{"username": {"oikea"}, "role": {"viewer"}, "unit": {"kulttuuri"}})
	req.AddCookie(c)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec := newRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<code>") {
		t.Errorf("a same-origin post: %d", rec.Code)
	}
}

// An admin manages accounts in the browser, and the audit log shows who
// did what: sign-ins, views with their filters, exports, account changes.
func TestAdminPagesAndAudit(t *testing.T) {
	srv, _ := readOnlyServer(t)
	addUser(t, srv.Server, "yllapito", auth.RoleAdmin)
	c := login(t, srv, "yllapito", testPassword)
	post := func(target string, form url.Values) (int, string) {
		rec := postForm(srv, target, form, c)
		return rec.Code, rec.Body.String()
	}
	code, body := post("/admin/users", url.Values{"username": {"Kirsi.K"}, "name": {"Kirsi K"}, "role": {"unit_head"}, "unit": {"kulttuuri", "paakirjasto"}})
	_, secret, _ := strings.Cut(body, "<code>")
	secret, _, _ = strings.Cut(secret, "</code>")
	if code != http.StatusOK || len(secret) < 20 {
		t.Fatalf("add a user: %d, password %q\n%s", code, secret, body)
	}
	kirsi := login(t, srv, "kirsi.k", secret)
	if code, body := post("/admin/users", url.Values{"username": {"kirsi.k"}, "role": {"viewer"}}); code != http.StatusBadRequest || !strings.Contains(body, "käyttäjätunnus kirsi.k on jo käytössä") {
		t.Errorf("add a taken username: %d", code)
	}
	if code, _ := post("/admin/users/kirsi.k", url.Values{"role": {"viewer"}, "unit": {"nosuchunit"}}); code != http.StatusBadRequest {
		t.Errorf("a scope naming an unknown unit: %d", code)
	}
	if code, _ := post("/admin/users/yllapito", url.Values{"role": {"viewer"}}); code != http.StatusBadRequest {
		t.Errorf("an admin demotes herself: %d", code)
	}
	if code, _ := post("/admin/users/kirsi.k", url.Values{"role": {"viewer"}, "unit": {"kulttuuri"}}); code != http.StatusOK {
		t.Errorf("save: %d", code)
	}
	u, err := srv.cfg.Accounts.Get(t.Context(), "kirsi.k")
	if err != nil || u.Role != auth.RoleViewer || !slices.Equal(u.Units, []string{"kulttuuri"}) {
		t.Errorf("after saving: %+v %v", u, err)
	}
	// Kirsi looks at a dashboard and downloads a panel.
	for _, target := range []string{"/d/themes?from=2026-01-01", "/d/themes/panels/top_themes.csv?from=2026-01-01"} {
		rec := newRecorder()
		srv.ServeHTTP(rec, httptestRequest(target, kirsi))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", target, rec.Code)
		}
	}
	if code, _ := post("/admin/users/kirsi.k/password", nil); code != http.StatusOK {
		t.Errorf("reset password: %d", code)
	}
	rec := newRecorder()
	srv.ServeHTTP(rec, httptestRequest("/admin/audit?user=kirsi.k", c))
	page := rec.Body.String()
	for _, want := range []string{">login<", ">view<", "/d/themes", "from=2026-01-01", ">export<", "/d/themes/panels/top_themes.csv"} {
		if !strings.Contains(page, want) {
			t.Errorf("the audit page for kirsi.k lacks %q", want)
		}
	}
	rec = newRecorder()
	srv.ServeHTTP(rec, httptestRequest("/admin/audit.csv?user=kirsi.k&action=user_scope", c))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "units=kulttuuri") || strings.Contains(rec.Body.String(), "/d/themes") {
		t.Errorf("the audit CSV of scope changes: %d\n%s", rec.Code, rec.Body)
	}
	rec = newRecorder()
	srv.ServeHTTP(rec, httptestRequest("/admin/audit?action=nonsense", c))
	if rec.Code != http.StatusBadRequest {
		t.Errorf("an unknown action in the filter: %d", rec.Code)
	}
}

// The reader's plans see the statistics: a year of feedback is estimated
// at thousands of rows, not one (which makes nested loops and 3 s pages).
func TestReaderPlansUseStatistics(t *testing.T) {
	_, pool := readOnlyServer(t)
	ctx := t.Context()
	var plan []map[string]any
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL ROLE luukku_reader; SELECT set_config('luukku.scope', '*', true)"); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `EXPLAIN (FORMAT JSON) SELECT count(*)
			FROM feedback_in_view('2025-07-01', '2026-06-30', $1, '{}')`, orgUnits(t, pool)[0].path).Scan(&plan)
	})
	if err != nil {
		t.Fatal(err)
	}
	var rows float64
	var walk func(n map[string]any)
	walk = func(n map[string]any) {
		if n["Relation Name"] == "feedback" {
			rows = n["Plan Rows"].(float64)
		}
		children, _ := n["Plans"].([]any)
		for _, c := range children {
			walk(c.(map[string]any))
		}
	}
	walk(plan[0]["Plan"].(map[string]any))
	if rows < 1000 {
		t.Errorf("the reader's plan expects %v feedback rows in a year of %d", rows, demoFeedback)
	}
}
