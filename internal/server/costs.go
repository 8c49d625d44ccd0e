package server

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// queryCosts remembers how long each query has been taking, so that a page
// can start its slowest queries first. Its queries run a few at a time:
// started in the dashboard's order, a slow query near the end ran alone
// after the others had finished, and the service dashboard's cold page took
// as long as its queries one after another on two cores and then some.
type queryCosts struct {
	mu   sync.Mutex
	took map[string]time.Duration // by query name, smoothed over runs
}

// observe records that the query name took d.
func (c *queryCosts) observe(name string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.took == nil {
		c.took = make(map[string]time.Duration)
	}
	if old, ok := c.took[name]; ok {
		d = (3*old + d) / 4 // one slow run on a busy machine moves it a quarter
	}
	c.took[name] = d
}

// slowestFirst orders qs by how long their queries have been taking, the
// longest first; queries not run yet keep their order, after the others.
func (c *queryCosts) slowestFirst(qs []pageQuery) {
	c.mu.Lock()
	defer c.mu.Unlock()
	slices.SortStableFunc(qs, func(a, b pageQuery) int {
		return cmp.Compare(c.took[b.query.Name], c.took[a.query.Name])
	})
}
