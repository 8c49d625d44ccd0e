package server

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

// Warm computes the default view of every dashboard into the result
// cache, once for each scope the accounts have (the whole city first):
// after an import, the first person to open a dashboard then gets it
// from memory instead of waiting for a year of feedback to be scanned.
// It stops, without error, when newer data arrives meanwhile, since what
// it computed is then of no use. It returns the pages computed.
func (s *Server) Warm(ctx context.Context) (int, error) {
	if s.cfg.Cache == nil || s.cfg.Accounts == nil {
		return 0, nil
	}
	if _, err := s.dataVersion(ctx); err != nil {
		return 0, err
	}
	version := s.newestVersion()
	users, err := s.cfg.Accounts.List(ctx)
	if err != nil {
		return 0, err
	}
	// The whole city is what most people see (the mayor, the
	// executives); unit heads' scopes follow.
	slices.SortStableFunc(users, func(a, b *auth.User) int {
		switch {
		case a.Role.AllUnits() == b.Role.AllUnits():
			return 0
		case a.Role.AllUnits():
			return -1
		}
		return 1
	})
	v, _ := parseView(nil, s.cfg.Now(), i18n.Finnish)
	seen := map[string]bool{}
	pages := 0
	for _, u := range users {
		if u.Disabled || u.Role == auth.RoleDisplay || seen[u.Scope()] {
			continue
		}
		seen[u.Scope()] = true
		uctx := withUser(ctx, u)
		for _, d := range s.cfg.Definitions().All() {
			if s.newestVersion() != version {
				return pages, nil
			}
			if _, err := s.dashboardPage(uctx, d, v, v, dashboardPath(d.Slug)); err != nil {
				return pages, fmt.Errorf("warm %s for %s: %w", d.Slug, u.Username, err)
			}
			pages++
		}
	}
	return pages, nil
}

// WarmEvery warms the result cache at start and, checking every interval,
// whenever the data version has changed, until ctx ends.
func (s *Server) WarmEvery(ctx context.Context, interval time.Duration) {
	warmed := ""
	every(ctx, interval, func() {
		version, err := s.dataVersion(ctx)
		if err != nil || version == warmed {
			return
		}
		start := time.Now()
		pages, err := s.Warm(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "warm the result cache", "err", err)
		} else if err == nil {
			s.log.InfoContext(ctx, "result cache warmed", "data_version", version, "pages", pages, "took", time.Since(start).Round(time.Millisecond))
		}
		warmed = version
	})
}

// every runs fn now and then every interval, until ctx ends.
func every(ctx context.Context, interval time.Duration, fn func()) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		fn()
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// plansWarmed is the key, in a connection's custom data, of the
// definitions whose queries WarmPlans has run on it.
const plansWarmed = "luukku.plans_warmed"

// quietDay is a day without data: the dashboards' queries run for it to be
// planned, and find nothing to read.
var quietDay = time.Date(2000, 1, 1, 0, 0, 0, 0, i18n.Helsinki())

// WarmPlans runs every query of every dashboard once on each idle
// connection of the pool that has not run them yet, for a day without
// data, one connection at a time. A connection parses each query at its
// first run, and plans once a query that asks for one plan (`plan:
// generic`): with eight connections, each query was new to the connection
// it ran on for the first several pages, and a cold overview took twice as
// long as later ones. Definitions that change (an installation's, reloaded)
// make every connection new again. It returns the connections warmed, and
// the queries that failed on them: a connection is warmed once even so.
func (s *Server) WarmPlans(ctx context.Context) (int, error) {
	defs := s.cfg.Definitions()
	key := fnv.New64a()
	for _, d := range defs.All() {
		key.Write([]byte(d.Digest()))
	}
	warmedFor := key.Sum64()
	var qs []*queries.Query
	var args []map[string]any
	warmed := 0
	var errs []error
	for {
		conn := s.unwarmedConn(ctx, warmedFor)
		if conn == nil {
			return warmed, errors.Join(errs...)
		}
		if qs == nil {
			qs, args = quietDayQueries(defs)
		}
		for i, q := range qs {
			err := s.readOnlyOn(ctx, conn, q.PlanSetting(), func(tx pgx.Tx) error {
				_, err := q.Run(ctx, tx, args[i])
				return err
			})
			if err != nil {
				errs = append(errs, fmt.Errorf("warm the plan of %s: %w", q.Name, err))
			}
		}
		conn.Conn().PgConn().CustomData()[plansWarmed] = warmedFor
		conn.Release()
		if ctx.Err() != nil {
			return warmed, ctx.Err()
		}
		warmed++
	}
}

// quietDayQueries are the dashboards' queries, each once, with the
// arguments of quietDay (earlier periods and trends too).
func quietDayQueries(defs *dashboards.Set) ([]*queries.Query, []map[string]any) {
	var qs []*queries.Query
	var args []map[string]any
	seen := map[string]bool{}
	for _, d := range defs.All() {
		dqs, dargs := DashboardQueries(d, quietDay, "x")
		for i, q := range dqs {
			if !seen[q.SQL] {
				seen[q.SQL] = true
				dargs[i]["from"], dargs[i]["to"] = quietDay, quietDay
				qs, args = append(qs, q), append(args, dargs[i])
			}
		}
	}
	return qs, args
}

// unwarmedConn acquires an idle connection that has not run the queries of
// the definitions warmedFor names, if there is one, and leaves the others
// idle.
func (s *Server) unwarmedConn(ctx context.Context, warmedFor uint64) *pgxpool.Conn {
	var found *pgxpool.Conn
	for _, c := range s.cfg.Pool.AcquireAllIdle(ctx) {
		if found == nil && c.Conn().PgConn().CustomData()[plansWarmed] != warmedFor {
			found = c
			continue
		}
		c.Release()
	}
	return found
}

// WarmPlansEvery warms the plans of the pool's new connections at start
// and every interval, until ctx ends.
func (s *Server) WarmPlansEvery(ctx context.Context, interval time.Duration) {
	every(ctx, interval, func() {
		start := time.Now()
		n, err := s.WarmPlans(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.WarnContext(ctx, "warm the connections' plans", "connections", n, "err", err)
		} else if n > 0 {
			s.log.InfoContext(ctx, "connections' plans warmed", "connections", n, "took", time.Since(start).Round(time.Millisecond))
		}
	})
}
