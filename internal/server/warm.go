package server

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/i18n"
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
	version := s.seenVersion.Load()
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
			if s.seenVersion.Load() != version {
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
	tick := time.NewTicker(interval)
	defer tick.Stop()
	warmed := ""
	for {
		if version, err := s.dataVersion(ctx); err == nil && version != warmed {
			start := time.Now()
			pages, err := s.Warm(ctx)
			if err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "warm the result cache", "err", err)
			} else if err == nil {
				s.log.InfoContext(ctx, "result cache warmed", "data_version", version, "pages", pages, "took", time.Since(start).Round(time.Millisecond))
			}
			warmed = version
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
