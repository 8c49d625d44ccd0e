package server

import (
	"slices"
	"testing"
	"time"

	"github.com/luukku-bi/luukku/queries"
)

func TestSlowestFirst(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name     string
		observed map[string][]time.Duration // runs in order
		page     []string
		want     []string
	}{
		{"nothing run yet keeps the dashboard's order",
			nil,
			[]string{"kpis", "trend", "slipped"},
			[]string{"kpis", "trend", "slipped"}},
		{"the slowest first",
			map[string][]time.Duration{"kpis": {8 * ms}, "trend": {2 * ms}, "slipped": {50 * ms}},
			[]string{"kpis", "trend", "slipped"},
			[]string{"slipped", "kpis", "trend"}},
		{"a query asked twice stays together, in its order",
			map[string][]time.Duration{"kpis": {8 * ms}, "slipped": {50 * ms}},
			[]string{"kpis", "trend", "kpis", "slipped"},
			[]string{"slipped", "kpis", "kpis", "trend"}},
		{"one slow run does not overturn many fast ones",
			map[string][]time.Duration{"kpis": {2 * ms, 2 * ms, 2 * ms, 2 * ms, 40 * ms}, "slipped": {20 * ms}},
			[]string{"kpis", "slipped"},
			[]string{"slipped", "kpis"}},
		{"runs that stay slow do",
			map[string][]time.Duration{"kpis": {2 * ms, 40 * ms, 40 * ms, 40 * ms, 40 * ms}, "slipped": {20 * ms}},
			[]string{"slipped", "kpis"},
			[]string{"kpis", "slipped"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c queryCosts
			for name, runs := range tt.observed {
				for _, d := range runs {
					c.observe(name, d)
				}
			}
			var qs []pageQuery
			for _, name := range tt.page {
				qs = append(qs, pageQuery{query: &queries.Query{Name: name}})
			}
			c.slowestFirst(qs)
			var got []string
			for _, q := range qs {
				got = append(got, q.query.Name)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
