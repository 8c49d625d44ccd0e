// Package metrics keeps Luukku's counters and timings in Prometheus form:
// requests by route and dashboard, query durations, the result cache,
// imports and the connection pool, served at /metrics.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/luukku-bi/luukku/internal/cache"
)

// Metrics is one server's registry. A nil *Metrics records nothing, so
// that code and tests without metrics need no checks.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.HistogramVec
	queries  *prometheus.HistogramVec
	imports  *prometheus.CounterVec
}

// Buckets from a cached page (a millisecond) to a slow query (ten seconds).
var buckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// New makes a registry with the process's and the Go runtime's own
// metrics beside Luukku's.
func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "luukku_http_request_duration_seconds", Help: "HTTP requests by route pattern, dashboard and status code.", Buckets: buckets,
		}, []string{"route", "dashboard", "code"}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "luukku_query_duration_seconds", Help: "Dashboard queries run against the database (not those answered by the cache), by query and outcome.", Buckets: buckets,
		}, []string{"query", "outcome"}),
		imports: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "luukku_imports_total", Help: "Imports uploaded to this server, by kind and outcome.",
		}, []string{"kind", "outcome"}),
	}
	m.registry.MustRegister(m.requests, m.queries, m.imports,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// ObserveRequest records one request; dashboard is "" for other pages.
func (m *Metrics) ObserveRequest(route, dashboard string, code int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, dashboard, strconv.Itoa(code)).Observe(d.Seconds())
}

// ObserveQuery records one query's run.
func (m *Metrics) ObserveQuery(name string, d time.Duration, err error) {
	if m == nil {
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.queries.WithLabelValues(name, outcome).Observe(d.Seconds())
}

// CountImport counts one import; outcome is "ok", "invalid", "dry_run" or "error".
func (m *Metrics) CountImport(kind, outcome string) {
	if m == nil {
		return
	}
	m.imports.WithLabelValues(kind, outcome).Inc()
}

// WatchCache reports a cache's hits, misses, entries and bytes, labelled
// with its name: "results" for query results, "panels" for the panels
// built from them.
func (m *Metrics) WatchCache(name string, stats func() cache.Stats) {
	if m == nil {
		return
	}
	labels := prometheus.Labels{"cache": name}
	m.registry.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "luukku_cache_hits_total", Help: "Values answered from a cache.", ConstLabels: labels},
			func() float64 { return float64(stats().Hits) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "luukku_cache_misses_total", Help: "Values computed because the cache did not hold them.", ConstLabels: labels},
			func() float64 { return float64(stats().Misses) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "luukku_cache_entries", Help: "Values held.", ConstLabels: labels},
			func() float64 { return float64(stats().Entries) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "luukku_cache_bytes", Help: "Estimated memory of the values held.", ConstLabels: labels},
			func() float64 { return float64(stats().Bytes) }),
	)
}

// WatchPool reports the database connection pool's use.
func (m *Metrics) WatchPool(pool *pgxpool.Pool) {
	if m == nil {
		return
	}
	gauge := func(name, help string, f func(*pgxpool.Stat) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return f(pool.Stat()) })
	}
	m.registry.MustRegister(
		gauge("luukku_pool_connections_acquired", "Connections in use.", func(s *pgxpool.Stat) float64 { return float64(s.AcquiredConns()) }),
		gauge("luukku_pool_connections_idle", "Connections idle in the pool.", func(s *pgxpool.Stat) float64 { return float64(s.IdleConns()) }),
		gauge("luukku_pool_connections_max", "The pool's limit.", func(s *pgxpool.Stat) float64 { return float64(s.MaxConns()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "luukku_pool_acquire_waits_total", Help: "Acquires that had to wait for a connection."},
			func() float64 { return float64(pool.Stat().EmptyAcquireCount()) }),
	)
}
