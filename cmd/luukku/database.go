package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/internal/pglocal"
	"github.com/luukku-bi/luukku/internal/store"
)

// database is an open, migrated database, and the private cluster behind
// it when Luukku runs its own.
type database struct {
	pool *pgxpool.Pool
	// cluster is Luukku's own, when it runs one; demo data may be loaded
	// into it unasked.
	cluster *pglocal.Cluster
}

// openDatabase connects to the PostgreSQL at dsn (the database-url
// setting) or, when dsn is empty, starts the private cluster under
// data/pg; then it applies the migrations.
func openDatabase(ctx context.Context, data *dataDir, dsn string, log *slog.Logger) (*database, error) {
	return openDatabaseWith(ctx, data, dsn, log, store.Open)
}

// openServingDatabase is openDatabase for serve, whose pool keeps its
// connections (store.OpenServing).
func openServingDatabase(ctx context.Context, data *dataDir, dsn string, log *slog.Logger) (*database, error) {
	return openDatabaseWith(ctx, data, dsn, log, store.OpenServing)
}

func openDatabaseWith(ctx context.Context, data *dataDir, dsn string, log *slog.Logger, open func(context.Context, string) (*pgxpool.Pool, error)) (*database, error) {
	db := &database{}
	if dsn == "" {
		var err error
		db.cluster, err = startCluster(ctx, data.path, log)
		if errors.Is(err, pglocal.ErrUnreachable) && !data.chosen {
			log.Warn("the postgres user cannot reach the default data directory; using "+fallbackDataDir+" instead",
				"default", data.path)
			db.cluster, err = startCluster(ctx, fallbackDataDir, log)
		}
		if err != nil {
			if errors.Is(err, pglocal.ErrNoServer) {
				return nil, fmt.Errorf("%w\n(or set database-url, or DATABASE_URL, to use an existing server)", err)
			}
			return nil, fmt.Errorf("start the private PostgreSQL: %w", err)
		}
		if err := store.EnsureDatabase(ctx, db.cluster.DSN("postgres"), "luukku"); err != nil {
			db.close(log)
			return nil, err
		}
		dsn = db.cluster.DSN("luukku")
	}
	var err error
	if db.pool, err = open(ctx, dsn); err != nil {
		db.close(log)
		return nil, err
	}
	if err := store.Migrate(ctx, db.pool, log); err != nil {
		db.close(log)
		return nil, err
	}
	return db, nil
}

func startCluster(ctx context.Context, dataDir string, log *slog.Logger) (*pglocal.Cluster, error) {
	dir, err := filepath.Abs(filepath.Join(dataDir, "pg"))
	if err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	log.Info("starting the private PostgreSQL", "dir", dir)
	return pglocal.Start(ctx, pglocal.Config{Dir: dir, Logger: log})
}

// release ends a one-shot command (migrate, demo, check): it stops the
// private cluster only if the command started it, so that running one
// beside `luukku serve` leaves the server's database up.
func (db *database) release(log *slog.Logger) {
	if db.cluster != nil && db.cluster.Adopted() {
		if db.pool != nil {
			db.pool.Close()
		}
		return
	}
	db.close(log)
}

// close releases the pool and stops the private cluster cleanly.
func (db *database) close(log *slog.Logger) {
	if db.pool != nil {
		db.pool.Close()
	}
	if db.cluster != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := db.cluster.Stop(ctx); err != nil {
			log.Error("stop the private PostgreSQL", "err", err)
		}
	}
}
