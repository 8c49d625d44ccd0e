package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/luukku-bi/luukku/internal/auth"
)

// After an import the default views are computed before anyone asks: the
// executive's and the unit head's first pages then run no query at all,
// and a screen account's scope is not computed.
func TestWarmAfterImport(t *testing.T) {
	pool := loadedDB(t, 2_000)
	srv := newServer(t, pool)
	results := withCache(srv)
	unit := firstToimiala(t, srv)
	addUser(t, srv.Server, "yksikko", auth.RoleUnitHead, unit)
	head := login(t, srv.Server, "yksikko", testPassword)
	addUser(t, srv.Server, "naytto", auth.RoleDisplay, cityCode(t, srv))

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go srv.WarmEvery(ctx, 50*time.Millisecond)
	dashboards := len(srv.cfg.Definitions().All())
	// The loop has warmed when the cache has entries and has stopped
	// changing for a while.
	waitWarm := func(what string) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			before := results.Stats()
			time.Sleep(500 * time.Millisecond)
			if after := results.Stats(); after.Entries > 0 && after == before {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the cache was not warmed within 60 s: %+v", what, results.Stats())
			}
		}
	}
	firstPagesHit := func(what string) {
		t.Helper()
		misses := results.Stats().Misses
		for _, d := range srv.cfg.Definitions().All() {
			for _, c := range []*http.Cookie{srv.cookie, head} {
				r := httptest.NewRequest(http.MethodGet, dashboardPath(d.Slug), nil)
				r.AddCookie(c)
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, r)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: %s: %d", what, d.Slug, rec.Code)
				}
			}
		}
		if got := results.Stats().Misses - misses; got != 0 {
			t.Errorf("%s: the first views of %d dashboards in two scopes ran %d queries, want none", what, dashboards, got)
		}
	}
	waitWarm("at start")
	firstPagesHit("at start")

	// An import bumps the data version; the cache is warmed again.
	if _, err := pool.Exec(t.Context(), `UPDATE data_version SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	misses := results.Stats().Misses
	for deadline := time.Now().Add(30 * time.Second); results.Stats().Misses == misses; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the new data version was not noticed within 30 s")
		}
	}
	waitWarm("after an import")
	firstPagesHit("after an import")

	// The scopes warmed are the two people's, not the screen account's.
	pages, err := srv.Warm(t.Context())
	if err != nil || pages != 2*dashboards {
		t.Errorf("Warm computed %d pages (%v), want %d: one per dashboard for each of two scopes", pages, err, 2*dashboards)
	}
}
