package server

import (
	"net/http"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/cache"
	"github.com/luukku-bi/luukku/queries"
)

// withCache gives srv a result cache, which it returns, and a panel cache.
func withCache(srv *testServer) *cache.Cache[*queries.Result] {
	c := cache.New[*queries.Result](64 << 20)
	srv.cfg.Cache = c
	srv.cfg.Panels = cache.New[components.Panel](16 << 20)
	return c
}

var nonceAttr = regexp.MustCompile(`nonce="[^"]*"`)

// pageBody returns the body of GET path without its per-request nonces.
func pageBody(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	rec, _ := get(t, h, path)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, rec.Code)
	}
	return nonceAttr.ReplaceAllString(rec.Body.String(), "")
}

// A page from the cache is the page computed afresh, byte for byte, for
// every dashboard and several views; the second time round nothing is
// computed.
func TestCachedPagesEqualUncached(t *testing.T) {
	plain, pool := readOnlyServer(t)
	cached := newServer(t, pool)
	c := withCache(cached)
	unit := firstToimiala(t, plain)
	var paths []string
	for _, slug := range []string{"overview", "channels", "service", "themes", "finance", "hr", "actions", "combined"} {
		for _, q := range []string{"", "?unit=" + unit, "?channel=phone&channel=email&from=2025-01-01&to=2025-12-31", "?lang=sv"} {
			paths = append(paths, dashboardPath(slug)+q)
		}
	}
	paths = append(paths, "/present/valtuustosali")
	for _, p := range paths {
		want := pageBody(t, plain, p)
		if got := pageBody(t, cached, p); got != want {
			t.Fatalf("GET %s: the first, cached computation differs from the plain page", p)
		}
	}
	computed, built := c.Stats().Misses, cached.cfg.Panels.Stats().Misses
	for _, p := range paths {
		if got, want := pageBody(t, cached, p), pageBody(t, plain, p); got != want {
			t.Errorf("GET %s from the cache differs from the plain page", p)
		}
	}
	if st := c.Stats(); st.Misses != computed || st.Hits == 0 {
		t.Errorf("the second round computed %d results anew (stats %+v)", st.Misses-computed, st)
	}
	if st := cached.cfg.Panels.Stats(); st.Misses != built || st.Hits < built {
		t.Errorf("the second round built %d panels anew (stats %+v)", st.Misses-built, st)
	}
}

// A cached panel stands in only for the view it was built for: when the
// day turns, the default view's period moves on, and the panels with it.
func TestCachedPanelsFollowTheDay(t *testing.T) {
	_, pool := readOnlyServer(t)
	day := today
	cached := newServer(t, pool, func(c *Config) { c.Now = func() time.Time { return day } })
	withCache(cached)
	later := today.AddDate(0, 2, 0)
	plainLater := newServer(t, pool, func(c *Config) { c.Now = func() time.Time { return later } })
	paths := []string{dashboardPath("overview"), dashboardPath("channels"), dashboardPath("finance") + "?lang=en"}
	for _, p := range paths {
		if pageBody(t, cached, p) == pageBody(t, plainLater, p) {
			t.Fatalf("GET %s is the same two months later: the test cannot tell", p)
		}
	}
	day = later
	for _, p := range paths {
		if got, want := pageBody(t, cached, p), pageBody(t, plainLater, p); got != want {
			t.Errorf("GET %s two months later shows panels of the earlier day", p)
		}
	}
	if got, want := pageBody(t, cached, paths[0]+"?from=2025-01-01&to=2025-12-31"), pageBody(t, plainLater, paths[0]+"?from=2025-01-01&to=2025-12-31"); got != want {
		t.Error("a fixed period differs from the plain page")
	}
}

// An import makes unreachable exactly the results of the queries that
// read a table it changed. After a finance upload the overview computes
// its finance queries again and takes the rest from the cache, and equals
// the page computed afresh; after a feedback upload it counts the new row.
func TestImportRecomputesWhatItChanged(t *testing.T) {
	pool := loadedDB(t, 1_000)
	srv := newServer(t, pool)
	c := withCache(srv)
	plain := newServer(t, pool)
	addUser(t, srv.Server, "tuoja", auth.RoleAdmin)
	admin := login(t, srv, "tuoja", testPassword)
	_, doc := get(t, srv, "/")
	before := kpi(t, doc, "Palautteet")
	_, doc = get(t, srv, "/")
	if got := kpi(t, doc, "Palautteet"); got != before || c.Stats().Hits == 0 {
		t.Fatalf("the second view: %d feedback, stats %+v", got, c.Stats())
	}
	entries := c.Stats().Entries

	changed := changedTables(t, pool, func() {
		file := "kuukausi;yksikkö;tililuokka;talousarvio;toteuma\n6/2026;puistot;wages;100;999999999\n"
		if code, body := upload(srv, admin, map[string]string{"kind": "finance", "profile": "palautejarjestelma"}, "talous.csv", file); code != http.StatusOK {
			t.Fatalf("finance upload: %d\n%s", code, body)
		}
	})
	if !slices.Contains(changed, "finance_month") || slices.Contains(changed, "feedback_count") || slices.Contains(changed, "hr_month") {
		t.Fatalf("a finance upload changed %v", changed)
	}
	// The queries of the overview's default view, and the reference data's,
	// that read what the upload changed.
	ctx, cat := t.Context(), srv.cfg.Definitions().Queries()
	d, _ := srv.cfg.Definitions().Get("overview")
	qs, args := DashboardQueries(d, srv.cfg.Now(), orgUnits(t, pool)[0].path)
	for _, name := range []string{"ref_units", "ref_channels", "ref_themes"} {
		q, _ := cat.Get(name)
		qs, args = append(qs, q), append(args, nil)
	}
	recompute := map[string]int{}
	seen := map[string]bool{} // a view of twelve months is also the year before's
	for i, q := range qs {
		reads, known := srv.reads.of(ctx, pool, cat, q)
		if !known {
			t.Fatalf("what %s reads is not known", q.Name)
		}
		if key := q.CacheKey(args[i]); !seen[key] && slices.ContainsFunc(reads, func(table string) bool { return slices.Contains(changed, table) }) {
			recompute[q.Name]++
			seen[key] = true
		}
	}
	if recompute["finance_kpis"] == 0 || recompute["overview_kpis"] != 0 || recompute["hr_kpis"] != 0 || recompute["ref_units"] != 0 {
		t.Fatalf("after a finance upload the overview would compute again %v", recompute)
	}
	misses := c.Stats().Misses
	if got, want := pageBody(t, srv, "/"), pageBody(t, plain, "/"); got != want {
		t.Error("after the finance upload the cached overview differs from the plain page")
	}
	want := 0
	for _, n := range recompute {
		want += n
	}
	if got := c.Stats().Misses - misses; got != int64(want) {
		t.Errorf("after the finance upload the overview computed %d results, want %d (%v)", got, want, recompute)
	}
	// The older finance results are gone, not left to age out.
	if got := c.Stats().Entries; got != entries {
		t.Errorf("after the finance upload the cache holds %d results; the page needs %d", got, entries)
	}

	changed = changedTables(t, pool, func() {
		code, body := upload(srv, admin, map[string]string{"kind": "feedback", "profile": "palautejarjestelma"}, "p.csv",
			"Tunnus;Kanava;Vastuuyksikkö;Saapunut;Ensivastaus;Ratkaistu;Tila;Tyyppi;Otsikko;Palaute;Leveysaste;Pituusaste\n"+
				"C-1;Puhelin;puistot;20.5.2026 10:00;;;Avoin;Moite;;Puiston penkki rikki;;\n")
		if code != http.StatusOK {
			t.Fatalf("import: %d\n%s", code, body)
		}
	})
	for _, name := range []string{"finance_kpis", "hr_kpis"} {
		q, _ := cat.Get(name)
		if reads, _ := srv.reads.of(ctx, pool, cat, q); slices.ContainsFunc(reads, func(table string) bool { return slices.Contains(changed, table) }) {
			t.Errorf("a feedback upload, which changed %v, makes %s (which reads %v) compute again", changed, name, reads)
		}
	}
	_, doc = get(t, srv, "/")
	if got := kpi(t, doc, "Palautteet"); got != before+1 {
		t.Errorf("after importing one row the overview says %d, was %d", got, before)
	}
	if got := c.Stats().Entries; got != entries {
		t.Errorf("after the feedback upload the cache holds %d results; the page needs %d", got, entries)
	}
}

// changedTables runs load and returns the tables whose versions it bumped.
func changedTables(t *testing.T, pool *pgxpool.Pool, load func()) []string {
	t.Helper()
	versions := func() map[string]int64 {
		rows, err := pool.Query(t.Context(), `SELECT relname, version FROM data_table_version`)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int64{}
		var name string
		var version int64
		if _, err := pgx.ForEachRow(rows, []any{&name, &version}, func() error {
			out[name] = version
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := versions()
	load()
	var changed []string
	for name, v := range versions() {
		if v != before[name] {
			changed = append(changed, name)
		}
	}
	slices.Sort(changed)
	return changed
}

// Users who see different units never share a result: a unit head's
// page after an executive's (and the other way round) is her own.
func TestCacheKeepsScopesApart(t *testing.T) {
	plain, pool := readOnlyServer(t)
	unit := firstToimiala(t, plain)
	addUser(t, plain.Server, "rajattu", auth.RoleUnitHead, unit)
	head := login(t, plain, "rajattu", testPassword)
	cached := newServer(t, pool)
	withCache(cached)
	headPage := func(h http.Handler) string {
		rec := newRecorder()
		h.ServeHTTP(rec, httptestRequest("/", head))
		return nonceAttr.ReplaceAllString(rec.Body.String(), "")
	}
	execFirst := pageBody(t, cached, "/")
	if got, want := headPage(cached), headPage(plain); got != want || got == execFirst {
		t.Error("after the executive's overview, the unit head's differs from her plain one")
	}
	// And the unit head's entries do not answer the executive.
	cached2 := newServer(t, pool)
	withCache(cached2)
	headPage(cached2)
	if got := pageBody(t, cached2, "/"); got != pageBody(t, plain, "/") {
		t.Error("after the unit head's overview, the executive's differs from the plain one")
	}
}

// Sixteen people opening the same dashboard at once cost one computation
// of each of its queries.
func TestConcurrentViewsComputeOnce(t *testing.T) {
	_, pool := readOnlyServer(t)
	one := newServer(t, pool)
	c1 := withCache(one)
	pageBody(t, one, "/d/service")
	alone := c1.Stats().Misses

	many := newServer(t, pool)
	c16 := withCache(many)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := newRecorder()
			many.ServeHTTP(rec, httptestRequest("/d/service", nil))
			if rec.Code != http.StatusOK {
				t.Errorf("GET /d/service: %d", rec.Code)
			}
		}()
	}
	wg.Wait()
	if st := c16.Stats(); st.Misses != alone {
		t.Errorf("16 at once computed %d results; one alone %d", st.Misses, alone)
	}
}
