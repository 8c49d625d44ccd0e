package server

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/internal/pglocal"
	"github.com/luukku-bi/luukku/internal/pgtest"
	"github.com/luukku-bi/luukku/internal/store"
	"github.com/luukku-bi/luukku/internal/store/storetest"
)

// demoCluster is a cluster of the test's own, which it may stop and
// start, with the demo city in its database.
func demoCluster(t *testing.T, feedback int) (*pglocal.Cluster, *pgxpool.Pool) {
	t.Helper()
	c := pgtest.NewCluster(t)
	ctx := context.Background()
	if err := store.EnsureDatabase(ctx, c.DSN("postgres"), "luukku"); err != nil {
		t.Fatal(err)
	}
	dsn := c.DSN("luukku")
	if err := loadDemo(ctx, dsn, feedback); err != nil {
		t.Fatal(err)
	}
	return c, storetest.Open(t, dsn)
}

// A database that goes away gives 503 pages, the process keeps serving,
// and the dashboards come back by themselves when the database returns.
func TestDatabaseDownGives503AndRecovers(t *testing.T) {
	c, pool := demoCluster(t, 2_000)
	ctx := context.Background()
	srv := newServer(t, pool)

	if rec, _ := get(t, srv, "/"); rec.Code != http.StatusOK {
		t.Fatalf("before the outage: GET / = %d", rec.Code)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path string
		want int
	}{{"/", 503}, {"/?unit=esimerkkila", 503}, {"/readyz", 503}, {"/healthz", 200}} {
		rec, doc := get(t, srv, tt.path)
		if rec.Code != tt.want {
			t.Errorf("database down: GET %s = %d, want %d", tt.path, rec.Code, tt.want)
		}
		if tt.want == 503 && tt.path != "/readyz" && doc.Find("h1").Text() == "" {
			t.Errorf("database down: GET %s has no explanation", tt.path)
		}
	}

	restarted, err := pglocal.Start(ctx, pglocal.Config{Dir: c.Dir(), Port: c.Port(), Fast: true, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { restarted.Stop(context.Background()) })
	deadline := time.Now().Add(20 * time.Second)
	for {
		rec, _ := get(t, srv, "/")
		if rec.Code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the database returned: GET / = %d", rec.Code)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if rec, _ := get(t, srv, "/readyz"); rec.Code != http.StatusOK {
		t.Errorf("after recovery: GET /readyz = %d", rec.Code)
	}
}
