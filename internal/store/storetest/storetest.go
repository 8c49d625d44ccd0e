// Package storetest gives tests a pool on a fresh, migrated database of
// the test cluster that pgtest runs.
package storetest

import (
	"context"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/internal/pgtest"
	"github.com/luukku-bi/luukku/internal/store"
)

// Open returns a pool on dsn that is closed when the test ends.
func Open(t testing.TB, dsn string) *pgxpool.Pool {
	t.Helper()
	pool, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// NewPool returns a pool on a fresh database with the schema applied.
func NewPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool := Open(t, pgtest.NewDatabase(t))
	if err := store.Migrate(context.Background(), pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	return pool
}
