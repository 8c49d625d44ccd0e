package server

import (
	"net/http"
	"testing"
)

// BenchmarkWarmPage is a dashboard page whose results are all cached:
// what the server itself costs (sign-in, version, rendering, gzip, audit).
func BenchmarkWarmPage(b *testing.B) {
	benchmarkPages(b, []string{"overview", "themes", "channels"}, true)
}

// BenchmarkColdPage is a dashboard page with nothing cached: its queries
// and everything the server does around them.
func BenchmarkColdPage(b *testing.B) {
	benchmarkPages(b, []string{"overview", "channels", "service"}, false)
}

// benchmarkPages asks for each dashboard's page again and again, gzipped,
// from a server with caches or without.
func benchmarkPages(b *testing.B, slugs []string, cached bool) {
	for _, slug := range slugs {
		b.Run(slug, func(b *testing.B) {
			_, pool := readOnlyServer(b)
			srv := newServer(b, pool)
			if cached {
				withCache(srv)
			}
			path := dashboardPath(slug)
			for b.Loop() {
				rec := newRecorder()
				req := httptestRequest(path, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
