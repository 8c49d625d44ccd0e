package server

import (
	"net/http"
	"testing"
)

// BenchmarkWarmPage is a dashboard page whose results are all cached:
// what the server itself costs (sign-in, version, rendering, gzip, audit).
func BenchmarkWarmPage(b *testing.B) {
	for _, slug := range []string{"overview", "themes", "channels"} {
		b.Run(slug, func(b *testing.B) {
			_, pool := readOnlyServer(b)
			srv := newServer(b, pool)
			withCache(srv)
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

// BenchmarkColdPage is a dashboard page with nothing cached: its queries
// and everything the server does around them.
func BenchmarkColdPage(b *testing.B) {
	for _, slug := range []string{"overview", "channels", "service"} {
		b.Run(slug, func(b *testing.B) {
			_, pool := readOnlyServer(b)
			srv := newServer(b, pool)
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
