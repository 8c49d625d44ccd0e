package auth

import (
	"strings"
	"sync"
	"time"
)

// Limiter counts failed sign-ins per key (an account or an address) over a
// sliding window and refuses further tries once a key has too many.
// Counts live in memory: a restart forgets them, which costs an attacker
// a restart of the server to gain another few guesses.
type Limiter struct {
	Max    int
	Window time.Duration
	Now    func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
}

// NewLimiter allows max failures per key within window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, Now: time.Now, failures: map[string][]time.Time{}}
}

// maxKeys bounds the memory a flood of addresses can take; past it, keys
// whose failures have all expired are dropped.
const maxKeys = 100_000

// Wait returns how long key must wait before it may try again; zero if it
// may try now.
func (l *Limiter) Wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.recent(key)
	if len(recent) < l.Max {
		return 0
	}
	return recent[len(recent)-l.Max].Add(l.Window).Sub(l.Now())
}

// Fail counts a failed try of key.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.failures) >= maxKeys {
		for k := range l.failures {
			l.recent(k)
		}
	}
	l.failures[key] = append(l.recent(key), l.Now())
}

// Reset forgets key's failures, as after a successful sign-in.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}

// recent drops key's failures older than the window and returns the rest.
func (l *Limiter) recent(key string) []time.Time {
	cutoff := l.Now().Add(-l.Window)
	f := l.failures[key]
	i := 0
	for i < len(f) && !f[i].After(cutoff) {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(l.failures, key)
		return nil
	}
	l.failures[key] = f
	return f
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' })
}
