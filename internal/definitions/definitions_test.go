package definitions_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luukku-bi/luukku/internal/definitions"
	"github.com/luukku-bi/luukku/internal/pgtest"
	"github.com/luukku-bi/luukku/internal/store/storetest"
	"github.com/luukku-bi/luukku/queries"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

const extraQuery = `-- Feedback in the view.
-- param: from date
-- param: to date
-- column: feedback int

SELECT count(*) AS feedback FROM feedback WHERE received_at >= @from AND received_at < @to::date + 1
`

const extraDashboard = `slug: extra
title: {fi: Lisä, sv: Extra, en: Extra}
filters: [period]
panels:
  - id: total
    kind: kpi
    query: extra_count
    width: 12
    title: {fi: Yhteensä}
`

func write(t *testing.T, dir, name, src string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadOverlaysTheDirectory(t *testing.T) {
	ctx := context.Background()
	embedded, err := (&definitions.Loader{}).Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := embedded.Get("extra"); ok {
		t.Fatal("the embedded set has an extra dashboard")
	}
	overview, _ := embedded.Get("overview")

	dir := t.TempDir()
	write(t, dir, "queries/extra_count.sql", extraQuery)
	write(t, dir, "dashboards/extra.yaml", extraDashboard)
	// Replace the overview with a copy under another title.
	src, err := os.ReadFile(filepath.Join("..", "..", "dashboards", "overview.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "dashboards/overview.yaml", strings.Replace(string(src), "fi: Yleiskatsaus", "fi: Kaupungin tilannekuva", 1))

	set, err := (&definitions.Loader{Dir: dir}).Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(set.All()); got != len(embedded.All())+1 {
		t.Errorf("%d dashboards, want %d", got, len(embedded.All())+1)
	}
	extra, ok := set.Get("extra")
	if !ok || extra.File != filepath.Join(dir, "dashboards", "extra.yaml") {
		t.Fatalf("extra = %v, %+v", ok, extra)
	}
	if q, ok := extra.Queries().Get("extra_count"); !ok || q.File != filepath.Join(dir, "queries", "extra_count.sql") {
		t.Errorf("extra_count = %v, %+v", ok, q)
	}
	o, _ := set.Get("overview")
	if o.Title.In("fi") != "Kaupungin tilannekuva" || o.Title.In("sv") != overview.Title.In("sv") {
		t.Errorf("overview title = %v, want the override's", o.Title)
	}
	if _, ok := set.Queries().Get("top_themes"); !ok {
		t.Error("the embedded queries are gone")
	}
}

func TestLoadErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := (&definitions.Loader{Dir: filepath.Join(dir, "nope")}).Load(ctx); err == nil || !strings.Contains(err.Error(), "definitions directory") {
		t.Errorf("missing directory: %v", err)
	}
	write(t, dir, "dashboards/extra.yaml", extraDashboard) // its query is missing
	_, err := (&definitions.Loader{Dir: dir}).Load(ctx)
	if want := filepath.Join(dir, "dashboards", "extra.yaml") + `: panel "total": query "extra_count" does not exist`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want %q", err, want)
	}
}

// A live set follows the directory: good edits replace it, broken ones are
// logged with the file and line and leave the last good set in use.
func TestLiveReload(t *testing.T) {
	ctx := context.Background()
	pool := storetest.NewPool(t)
	dir := t.TempDir()
	var log bytes.Buffer
	loader := definitions.Loader{Dir: dir, Check: func(ctx context.Context, c *queries.Catalog) error { return c.Check(ctx, pool) }}
	live, err := definitions.NewLive(ctx, loader, slog.New(slog.NewTextHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	first := live.Current()
	if live.Reload(ctx) {
		t.Error("reloaded an unchanged directory")
	}

	write(t, dir, "queries/extra_count.sql", extraQuery)
	write(t, dir, "dashboards/extra.yaml", extraDashboard)
	if !live.Reload(ctx) {
		t.Fatalf("new files not loaded; log:\n%s", &log)
	}
	good := live.Current()
	if _, ok := good.Get("extra"); !ok || good == first {
		t.Fatal("the new dashboard is not in use")
	}

	// A column PostgreSQL does not know: the plan fails at the line.
	write(t, dir, "queries/extra_count.sql", strings.Replace(extraQuery, "received_at >= @from", "recieved_at >= @from", 1))
	if live.Reload(ctx) || live.Current() != good {
		t.Fatal("a query that does not plan replaced the good set")
	}
	if want := filepath.Join(dir, "queries", "extra_count.sql") + ":6: column \\\"recieved_at\\\" does not exist"; !strings.Contains(log.String(), want) {
		t.Errorf("log lacks %q:\n%s", want, &log)
	}
	n := strings.Count(log.String(), "do not load")
	live.Reload(ctx)
	if strings.Count(log.String(), "do not load") != n {
		t.Error("the same failure was logged twice")
	}

	write(t, dir, "queries/extra_count.sql", extraQuery)
	write(t, dir, "dashboards/extra.yaml", "slug: extra\ntitle: {fi: Lisä}\npanels:\n  - id: total\n    kind: pie\n")
	if live.Reload(ctx) || live.Current() != good {
		t.Fatal("a broken dashboard replaced the good set")
	}
	if !strings.Contains(log.String(), `unknown kind \"pie\"`) {
		t.Errorf("log lacks the broken dashboard:\n%s", &log)
	}

	if err := os.RemoveAll(filepath.Join(dir, "dashboards")); err != nil {
		t.Fatal(err)
	}
	if !live.Reload(ctx) {
		t.Fatalf("removing the override was not picked up; log:\n%s", &log)
	}
	if _, ok := live.Current().Get("extra"); ok {
		t.Error("the removed dashboard is still served")
	}
}

// An admin's playlist file is picked up, a broken edit of it is refused
// with its line, and one that replaces a built-in playlist wins.
func TestLivePlaylists(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var log bytes.Buffer
	live, err := definitions.NewLive(ctx, definitions.Loader{Dir: dir}, slog.New(slog.NewTextHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := live.Current().Playlist("valtuustosali"); !ok {
		t.Fatal("the built-in playlist is missing")
	}
	write(t, dir, "dashboards/playlists/kirjasto.yaml", "title: {fi: Kirjasto}\nslides:\n  - dashboard: themes\n    duration: 1m\n")
	write(t, dir, "dashboards/playlists/aula.yaml", "title: {fi: Oma aula}\nslides:\n  - dashboard: overview\n    panels: [kpis]\n")
	if !live.Reload(ctx) {
		t.Fatalf("the playlists were not loaded; log:\n%s", &log)
	}
	good := live.Current()
	if p, ok := good.Playlist("kirjasto"); !ok || len(p.Slides) != 1 {
		t.Error("the new playlist is not in use")
	}
	if p, _ := good.Playlist("aula"); p.Title.In("fi") != "Oma aula" || p.File != filepath.Join(dir, "dashboards", "playlists", "aula.yaml") {
		t.Errorf("the installation's aula did not replace the built-in one: %q from %s", p.Title.In("fi"), p.File)
	}
	write(t, dir, "dashboards/playlists/kirjasto.yaml", "title: {fi: Kirjasto}\nslides:\n  - dashboard: themes\n    duration: viikko\n")
	if live.Reload(ctx) || live.Current() != good {
		t.Fatal("a broken playlist replaced the good set")
	}
	if !strings.Contains(log.String(), `kirjasto.yaml: line 4: duration \"viikko\"`) {
		t.Errorf("log lacks the broken playlist's line:\n%s", &log)
	}
}
