// Package store opens the PostgreSQL connection pool and keeps the schema
// up to date with the migrations embedded in the binary.
package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Open returns a pool for dsn. It does not wait for the server: a server
// that is down now may be up at the first request.
func Open(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	return open(ctx, dsn, false)
}

// OpenServing is Open for a server that answers pages for hours: its pool
// keeps all its connections open, rather than closing those idle for half
// an hour, so that what each has parsed and planned stays (the server
// warms new ones).
func OpenServing(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	return open(ctx, dsn, true)
}

func open(ctx context.Context, dsn string, keep bool) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = i18n.TimeZone // days and months begin where the city is
	cfg.ConnConfig.RuntimeParams["application_name"] = "luukku"
	// A page runs several panel queries at once; the pool's default (the
	// number of CPUs, at least 4) is too small for that unless the DSN says
	// otherwise.
	if !strings.Contains(dsn, "pool_max_conns") && cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	if keep && !strings.Contains(dsn, "pool_min_conns") {
		cfg.MinConns = cfg.MaxConns
	}
	cfg.MaxConnLifetimeJitter = time.Minute
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("create pool: %w", err)
	}
	return pool, nil
}

// Migrate applies every pending migration. Running it again is a no-op.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrationsDir())
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
	}
	return nil
}

// ErrNotMigrated means the database answers but its schema is behind the binary.
var ErrNotMigrated = errors.New("database schema is not up to date")

// Ready reports whether the database is reachable and fully migrated. It
// only reads: a health probe must not create goose's bookkeeping table.
func Ready(ctx context.Context, pool *pgxpool.Pool) error {
	want, err := latestVersion()
	if err != nil {
		return err
	}
	var have int64
	err = pool.QueryRow(ctx, "SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&have)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table: never migrated
		return ErrNotMigrated
	}
	if err != nil {
		return fmt.Errorf("check migrations: %w", err)
	}
	if have < want {
		return ErrNotMigrated
	}
	return nil
}

// latestVersion is the version of the newest embedded migration, from its
// file name (00001_schema.sql is version 1).
func latestVersion() (int64, error) {
	names, err := fs.Glob(migrationsDir(), "*.sql")
	if err != nil {
		return 0, err
	}
	var latest int64
	for _, n := range names {
		digits, _, _ := strings.Cut(n, "_")
		v, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("migration %s: name must start with its version number", n)
		}
		latest = max(latest, v)
	}
	return latest, nil
}

// EnsureDatabase creates the database name on the server behind adminDSN
// unless it exists.
func EnsureDatabase(ctx context.Context, adminDSN, name string) error {
	conn, err := pgx.Connect(ctx, adminDSN)
	if err != nil {
		return fmt.Errorf("connect to create database %s: %w", name, err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// Empty reports whether no organisation has been loaded yet, as on the
// first start of a new installation.
func Empty(ctx context.Context, pool *pgxpool.Pool) (bool, error) {
	var any bool
	if err := pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM org_unit)").Scan(&any); err != nil {
		return false, fmt.Errorf("check for data: %w", err)
	}
	return !any, nil
}

func migrationsDir() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		// The directory is embedded at build time; failing here is a build bug.
		panic(err)
	}
	return sub
}
