// Package definitions loads the dashboards and their queries — the
// defaults compiled into the binary, with an installation's own directory
// laid over them — and reloads them when that directory changes, so that
// an analyst's edit shows up without a restart.
package definitions

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/overlay"
	"github.com/luukku-bi/luukku/queries"
)

// Loader reads the definitions.
type Loader struct {
	// Dir holds dashboards/*.yaml and queries/*.sql that replace the
	// embedded files of the same name or add to them; "" = defaults only.
	Dir string
	// Check vets the queries against the database before they are used
	// (PostgreSQL plans each one); nil skips it.
	Check func(context.Context, *queries.Catalog) error
}

// Load reads and validates every definition. It never returns a partial
// set: one bad file fails the whole load.
func (l *Loader) Load(ctx context.Context) (*dashboards.Set, error) {
	var qdir, ddir string
	if l.Dir != "" {
		if info, err := os.Stat(l.Dir); err != nil {
			return nil, fmt.Errorf("definitions directory: %w", err)
		} else if !info.IsDir() {
			return nil, fmt.Errorf("definitions directory %s is not a directory", l.Dir)
		}
		qdir, ddir = filepath.Join(l.Dir, "queries"), filepath.Join(l.Dir, "dashboards")
	}
	cat, err := queries.Load(overlay.New(queries.Embedded(), qdir))
	if err != nil {
		return nil, fmt.Errorf("queries:\n%w", err)
	}
	set, err := dashboards.Load(overlay.New(dashboards.Embedded(), ddir), cat)
	if err != nil {
		return nil, fmt.Errorf("dashboards:\n%w", err)
	}
	if l.Check != nil {
		if err := l.Check(ctx, cat); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// Live holds the definitions in use; Watch replaces them when the
// directory changes and they still load.
type Live struct {
	loader      Loader
	log         *slog.Logger
	current     atomic.Pointer[dashboards.Set]
	fingerprint string // of the directory the current set came from
	lastErr     string // the last failure logged, so it is not repeated
}

// NewLive loads the definitions; they must load for the server to start.
func NewLive(ctx context.Context, l Loader, log *slog.Logger) (*Live, error) {
	lv := &Live{loader: l, log: log}
	fp, err := overlay.Fingerprint(l.Dir)
	if err != nil {
		return nil, err
	}
	set, err := l.Load(ctx)
	if err != nil {
		return nil, err
	}
	lv.current.Store(set)
	lv.fingerprint = fp
	return lv, nil
}

// Current returns the definitions in use. A request takes them once and
// keeps them, so a reload never changes a page half-way.
func (lv *Live) Current() *dashboards.Set { return lv.current.Load() }

// Watch looks at the directory every interval until ctx ends. When its
// files change it reloads; a set that fails to load is logged with the
// file and line at fault, and the last good set stays in use.
func (lv *Live) Watch(ctx context.Context, interval time.Duration) {
	if lv.loader.Dir == "" {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			lv.Reload(ctx)
		}
	}
}

// Reload loads the definitions again if the directory changed since the
// current set was loaded, and reports whether it now serves a new set.
// A failed load is retried at every call (the database may have been
// down), but the same failure is logged only once. Only one goroutine may
// call it.
func (lv *Live) Reload(ctx context.Context) bool {
	fp, err := overlay.Fingerprint(lv.loader.Dir)
	if err == nil && fp == lv.fingerprint {
		return false
	}
	var set *dashboards.Set
	if err == nil {
		set, err = lv.loader.Load(ctx)
	}
	if err != nil {
		if err.Error() != lv.lastErr {
			lv.lastErr = err.Error()
			lv.log.ErrorContext(ctx, "definitions changed but do not load; keeping the loaded ones", "dir", lv.loader.Dir, "err", err)
		}
		return false
	}
	lv.fingerprint, lv.lastErr = fp, ""
	lv.current.Store(set)
	lv.log.InfoContext(ctx, "definitions reloaded", "dir", lv.loader.Dir, "dashboards", len(set.All()), "playlists", len(set.Playlists()), "queries", len(set.Queries().Names()))
	return true
}
