// Package server is Luukku's HTTP side: routes, middleware and the
// handlers that turn a URL into queries and a rendered page.
package server

import (
	"bytes"
	"compress/gzip"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/static"
)

// Config is what the server needs to run.
type Config struct {
	Pool *pgxpool.Pool
	// Definitions returns the dashboards (and their queries) in use; a
	// reload changes what it returns, each request asks once.
	Definitions func() *dashboards.Set
	Assets      *static.Assets
	Logger      *slog.Logger
	// Now returns the current time; tests fix it so default periods are stable.
	Now func() time.Time
	// QueryTimeout bounds every SQL statement of a page.
	QueryTimeout time.Duration
}

// Server serves the dashboards.
type Server struct {
	cfg     Config
	log     *slog.Logger
	handler http.Handler
}

// New builds the server and its routes.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.QueryTimeout == 0 {
		cfg.QueryTimeout = 10 * time.Second
	}
	s := &Server{cfg: cfg, log: cfg.Logger}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleDashboard)
	mux.HandleFunc("GET /d/{slug}", s.handleDashboard)
	mux.HandleFunc("GET /d/{slug}/panels/{file}", s.handlePanelExport)
	mux.HandleFunc("GET /d/{slug}/items", s.handleItems)
	mux.HandleFunc("GET /d/{slug}/{file}", s.handleItemsExport)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleReady)
	mux.Handle("GET /static/{hash}/{path...}", cfg.Assets)
	mux.HandleFunc("GET /", s.handleNotFound)
	s.handler = s.logRequests(s.recoverPanics(securityHeaders(mux)))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) assets() components.Assets {
	a := s.cfg.Assets
	return components.Assets{CSS: a.URL("app.css"), ECharts: a.URL("vendor/echarts.min.js"), App: a.URL("app.js")}
}

// render writes a component whole: a failure half-way must not leave a
// half page behind a 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.log.ErrorContext(r.Context(), "render page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	if !static.AcceptsGzip(r.Header.Get("Accept-Encoding")) {
		w.WriteHeader(status)
		w.Write(buf.Bytes())
		return
	}
	h.Set("Content-Encoding", "gzip")
	w.WriteHeader(status)
	zw := gzip.NewWriter(w)
	zw.Write(buf.Bytes())
	zw.Close()
}

// securityHeaders forbids inline script and style and framing: the pages
// need neither, so stored text can never run.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		s.log.InfoContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path,
			"status", sw.status, "duration", time.Since(start))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "value", v, "stack", string(debug.Stack()))
				s.renderError(w, r, langOf(r), http.StatusInternalServerError, "")
			}
		}()
		next.ServeHTTP(w, r)
	})
}
