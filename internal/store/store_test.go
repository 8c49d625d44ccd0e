package store

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/pgtest"
	"github.com/pressly/goose/v3"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// openDatabase opens a new, empty database of the test cluster.
func openDatabase(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool, err := Open(t.Context(), pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func TestMigrateTwiceIsIdempotent(t *testing.T) {
	ctx := context.Background()
	pool := openDatabase(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	if err := Ready(ctx, pool); !errors.Is(err, ErrNotMigrated) {
		t.Fatalf("Ready before migrating = %v, want ErrNotMigrated", err)
	}
	empty, err := Empty(ctx, pool)
	if err == nil {
		t.Fatalf("Empty before migrating = %v, want an error (no tables)", empty)
	}
	for i := range 2 {
		if err := Migrate(ctx, pool, log); err != nil {
			t.Fatalf("migrate #%d: %v", i+1, err)
		}
	}
	if err := Ready(ctx, pool); err != nil {
		t.Fatalf("Ready after migrating: %v", err)
	}
	var channels, groups, versions int
	pool.QueryRow(ctx, "SELECT count(*) FROM channel").Scan(&channels)
	pool.QueryRow(ctx, "SELECT count(*) FROM account_group").Scan(&groups)
	pool.QueryRow(ctx, "SELECT count(*) FROM goose_db_version WHERE version_id > 0").Scan(&versions)
	if channels != 12 || groups != 10 {
		t.Errorf("reference data: %d channels, %d account groups; want 12 and 10", channels, groups)
	}
	files, _ := fs.Glob(migrations, "migrations/*.sql")
	if versions != len(files) || versions < 2 {
		t.Errorf("%d migrations recorded, want %d, one per file (the second run must apply nothing)", versions, len(files))
	}
	if empty, err := Empty(ctx, pool); err != nil || !empty {
		t.Errorf("Empty on a fresh schema = %v, %v", empty, err)
	}
	var tz string
	pool.QueryRow(ctx, "SHOW timezone").Scan(&tz)
	if tz != i18n.TimeZone {
		t.Errorf("session time zone %q, want %q", tz, i18n.TimeZone)
	}
}

func TestSchemaRejectsBadRows(t *testing.T) {
	ctx := context.Background()
	pool := openDatabase(t)
	if err := Migrate(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	mustExec := func(sql string) {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	mustExec(`INSERT INTO org_unit (code, path, level, name_fi, name_sv, name_en) VALUES ('city', 'city', 'city', 'K', 'S', 'C')`)
	tests := []struct{ name, sql string }{
		{"code that is not the path's last label", `INSERT INTO org_unit (code, path, level, name_fi, name_sv, name_en) VALUES ('a', 'city.b', 'unit', 'A', 'A', 'A')`},
		{"response before receipt", `INSERT INTO feedback (source, source_id, channel_id, unit_id, received_at, first_response_at, status, kind, language, body)
			SELECT 'x', '1', 1, id, '2026-01-02', '2026-01-01', 'open', 'question', 'fi', '' FROM org_unit`},
		{"unknown kind", `INSERT INTO feedback (source, source_id, channel_id, unit_id, received_at, status, kind, language, body)
			SELECT 'x', '2', 1, id, '2026-01-02', 'open', 'rant', 'fi', '' FROM org_unit`},
		{"finance month not on the first", `INSERT INTO finance_month SELECT '2026-01-15', id, 'wages', 1, 1 FROM org_unit`},
		{"negative headcount", `INSERT INTO hr_month SELECT '2026-01-01', id, -1, 0, 0, 0, 0 FROM org_unit`},
	}
	for _, tt := range tests {
		if _, err := pool.Exec(ctx, tt.sql); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
	mustExec(`INSERT INTO feedback (source, source_id, channel_id, unit_id, received_at, status, kind, language, body)
		SELECT 'x', '3', 1, id, '2026-01-02', 'open', 'question', 'fi', '' FROM org_unit`)
	if _, err := pool.Exec(ctx, `INSERT INTO feedback (source, source_id, channel_id, unit_id, received_at, status, kind, language, body)
		SELECT 'x', '3', 2, id, '2026-01-03', 'open', 'question', 'fi', '' FROM org_unit`); err == nil {
		t.Error("a second row with the same (source, source_id) was accepted")
	}
}

// Every migration can be undone and done again, so a release can be
// rolled back; the cluster-wide reader role outlives the schema.
func TestMigrationsGoDownAndUpAgain(t *testing.T) {
	ctx := t.Context()
	pool := openDatabase(t)
	log := slog.New(slog.DiscardHandler)
	if err := Migrate(ctx, pool, log); err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrationsDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 0); err != nil {
		t.Fatalf("down: %v", err)
	}
	var tables int
	pool.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goose_db_version'").Scan(&tables)
	if tables != 0 {
		t.Errorf("%d tables left after going down", tables)
	}
	if err := Migrate(ctx, pool, log); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if err := Ready(ctx, pool); err != nil {
		t.Fatal(err)
	}
}

// Bumping data_version bumps the versions of the tables the transaction
// changed, even with the per-row triggers off as the import's merge has
// them; a bump after no change bumps every table's.
func TestDataVersionBumpsTheChangedTables(t *testing.T) {
	ctx := t.Context()
	pool := openDatabase(t)
	if err := Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	bumped := func(statements ...string) []string {
		t.Helper()
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		statements = append(statements, `UPDATE data_version SET version = version + 1`)
		for _, s := range statements {
			if _, err := tx.Exec(ctx, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		rows, err := tx.Query(ctx, `SELECT relname FROM data_table_version WHERE version > 1 ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		names, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return names
	}
	tests := []struct {
		name       string
		statements []string
		want       []string
	}{
		{"one table", []string{`DELETE FROM hr_month`}, []string{"hr_month"}},
		{"two, one twice", []string{`DELETE FROM hr_month`, `UPDATE finance_month SET actual = 0`, `TRUNCATE hr_month`},
			[]string{"finance_month", "hr_month"}},
		{"with the per-row triggers off", []string{`SET LOCAL session_replication_role = replica`, `DELETE FROM survey_answer`},
			[]string{"survey_answer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bumped(tt.statements...); !slices.Equal(got, tt.want) {
				t.Errorf("bumped %v, want %v", got, tt.want)
			}
		})
	}
	all := bumped()
	if len(all) < 20 || !slices.Contains(all, "feedback") || slices.Contains(all, "app_session") {
		t.Errorf("a bump after no change bumped %v, want every data table", all)
	}
}
