// Package cache keeps computed values in memory, bounded by their size:
// the least recently used go first, and concurrent requests for a value
// not yet computed wait for one computation instead of each running it.
package cache

import (
	"container/list"
	"context"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"
)

// Cache maps string keys to values of type V, holding at most MaxBytes of
// them by the sizes their loaders report.
type Cache[V any] struct {
	maxBytes int64

	mu    sync.Mutex
	bytes int64
	order *list.List // front: most recently used
	items map[string]*list.Element

	flight singleflight.Group
	calls  atomic.Int64
	misses atomic.Int64
}

type entry[V any] struct {
	key   string
	value V
	size  int64
}

// New returns a cache of at most maxBytes; zero or less keeps nothing.
func New[V any](maxBytes int64) *Cache[V] {
	return &Cache[V]{maxBytes: maxBytes, order: list.New(), items: map[string]*list.Element{}}
}

// Get returns the value for key, computing it with load when it is not
// held. Callers that ask for the same key while it is being computed get
// the same result. A failed load is not kept. load runs with a context
// that is not cancelled when the first caller goes away, so that a
// waiting second caller is not failed by the first one's hurry; the
// caller's own ctx still bounds how long it waits.
func (c *Cache[V]) Get(ctx context.Context, key string, load func(context.Context) (V, int64, error)) (V, error) {
	c.calls.Add(1)
	if v, ok := c.lookup(key); ok {
		return v, nil
	}
	ch := c.flight.DoChan(key, func() (any, error) {
		if v, ok := c.lookup(key); ok {
			return v, nil // stored while this call was starting
		}
		c.misses.Add(1)
		v, size, err := load(context.WithoutCancel(ctx))
		if err == nil {
			c.store(key, v, size)
		}
		return v, err
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			var zero V
			return zero, r.Err
		}
		return r.Val.(V), nil
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// Peek returns the value for key if it is held, computing nothing: for
// values a caller computes together, in one batch, and then Puts.
func (c *Cache[V]) Peek(key string) (V, bool) {
	c.calls.Add(1)
	v, ok := c.lookup(key)
	if !ok {
		c.misses.Add(1)
	}
	return v, ok
}

// Put keeps v, of size bytes, under key.
func (c *Cache[V]) Put(key string, v V, size int64) { c.store(key, v, size) }

func (c *Cache[V]) lookup(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*entry[V]).value, true
	}
	var zero V
	return zero, false
}

func (c *Cache[V]) store(key string, v V, size int64) {
	if size > c.maxBytes {
		return // larger than the whole cache: keeping it would empty it
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.bytes -= el.Value.(*entry[V]).size
		c.order.Remove(el)
	}
	c.items[key] = c.order.PushFront(&entry[V]{key: key, value: v, size: size})
	c.bytes += size
	for c.bytes > c.maxBytes {
		last := c.order.Back()
		e := last.Value.(*entry[V])
		c.order.Remove(last)
		delete(c.items, e.key)
		c.bytes -= e.size
	}
}

// DeleteFunc drops the values whose keys stale reports, such as those of
// data that has changed since: they could no longer be asked for, and
// would hold memory until newer values pushed them out.
func (c *Cache[V]) DeleteFunc(stale func(key string) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key, el := range c.items {
		if stale(key) {
			c.order.Remove(el)
			delete(c.items, key)
			c.bytes -= el.Value.(*entry[V]).size
		}
	}
}

// Stats are the cache's counters: lookups answered from memory (or by
// another caller's computation) and computations run.
type Stats struct {
	Hits, Misses int64
	Entries      int
	Bytes        int64
}

// Stats returns the counters so far.
func (c *Cache[V]) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	misses := c.misses.Load()
	return Stats{Hits: c.calls.Load() - misses, Misses: misses, Entries: len(c.items), Bytes: c.bytes}
}
