package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/luukku-bi/luukku/internal/metrics"
)

// syncBuffer is a log sink that requests may write to at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// /metrics counts requests by route and dashboard, queries, the cache and
// the pool; every request gets an id, in its answer and its log lines.
func TestMetricsAndRequestIDs(t *testing.T) {
	_, pool := readOnlyServer(t)
	var logs syncBuffer
	m := metrics.New()
	srv := newServer(t, pool, func(c *Config) {
		c.Metrics = m
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	c := withCache(srv)
	m.WatchCache("results", c.Stats)
	m.WatchCache("panels", srv.cfg.Panels.Stats)
	m.WatchPool(pool)

	rec, _ := get(t, srv, "/")
	id := rec.Header().Get("X-Request-Id")
	if len(id) != 16 || !strings.Contains(logs.String(), "request_id="+id) {
		t.Errorf("request id %q; log:\n%s", id, logs.String())
	}
	get(t, srv, "/")
	if rec, _ := get(t, srv, "/d/service?unit=nope"); rec.Code != http.StatusBadRequest {
		t.Fatalf("bad unit: %d", rec.Code)
	}
	get(t, srv, "/d/nope")
	// A request id from the client is not believed without a trusted proxy.
	req := httptestRequest("/healthz", nil)
	req.Header.Set("X-Request-Id", "from-outside")
	rec = newRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Header().Get("X-Request-Id") == "from-outside" {
		t.Error("an untrusted request id was taken")
	}

	rec = newRecorder()
	srv.ServeHTTP(rec, httptestRequest("/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	text := string(body)
	for _, want := range []string{
		`luukku_http_request_duration_seconds_count{code="200",dashboard="overview",route="GET /{$}"} 2`,
		`luukku_http_request_duration_seconds_count{code="400",dashboard="service",route="GET /d/{slug}"} 1`,
		`luukku_http_request_duration_seconds_count{code="404",dashboard="",route="GET /d/{slug}"} 1`,
		`luukku_query_duration_seconds_count{outcome="ok",query="overview_kpis"}`,
		`luukku_cache_hits_total{cache="results"}`,
		`luukku_cache_misses_total{cache="panels"}`,
		`luukku_pool_connections_max`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if st := c.Stats(); !strings.Contains(text, `luukku_cache_hits_total{cache="results"} `) || st.Hits == 0 {
		t.Errorf("cache stats %+v", st)
	}

	trusted := newServer(t, pool, func(c *Config) { c.TrustProxy = true })
	req = httptestRequest("/healthz", nil)
	req.Header.Set("X-Request-Id", "abc-123")
	rec = newRecorder()
	trusted.ServeHTTP(rec, req)
	if got := rec.Header().Get("X-Request-Id"); got != "abc-123" {
		t.Errorf("behind a trusted proxy the request id is %q", got)
	}
}
