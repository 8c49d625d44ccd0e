// Package store opens the PostgreSQL connection pool and keeps the schema
// up to date with the migrations embedded in the binary.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// TimeZone is the zone every session works in, so that days and months
// are Finnish days and months.
const TimeZone = "Europe/Helsinki"

// Open returns a pool for dsn. It does not wait for the server: a server
// that is down now may be up at the first request.
func Open(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = TimeZone
	cfg.ConnConfig.RuntimeParams["application_name"] = "luukku"
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	cfg.MaxConnLifetimeJitter = time.Minute
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("create pool: %w", err)
	}
	return pool, nil
}

func newProvider(pool *pgxpool.Pool) (*goose.Provider, *sql.DB, error) {
	db := stdlib.OpenDBFromPool(pool)
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrationsDir())
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, db, nil
}

// Migrate applies every pending migration. Running it again is a no-op.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	p, db, err := newProvider(pool)
	if err != nil {
		return err
	}
	defer db.Close()
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

// Ready reports whether the database is reachable and fully migrated.
func Ready(ctx context.Context, pool *pgxpool.Pool) error {
	p, db, err := newProvider(pool)
	if err != nil {
		return err
	}
	defer db.Close()
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("check migrations: %w", err)
	}
	if pending {
		return ErrNotMigrated
	}
	return nil
}

func migrationsDir() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		// The directory is embedded at build time; failing here is a build bug.
		panic(err)
	}
	return sub
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
