// Package server is Luukku's HTTP side: routes, middleware and the
// handlers that turn a URL into queries and a rendered page.
package server

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/cache"
	"github.com/luukku-bi/luukku/internal/theme"
	"github.com/luukku-bi/luukku/queries"
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
	// Themes classify imported feedback; nil means the built-in ones.
	Themes *theme.Set
	// Accounts and Sessions sign users in and keep them signed in.
	Accounts *auth.Accounts
	Sessions *auth.Sessions
	// OIDC, when set, offers single sign-on beside local accounts.
	OIDC *auth.OIDC
	// TrustProxy believes X-Forwarded-For and X-Forwarded-Proto: set it
	// only behind a reverse proxy that sets them.
	TrustProxy bool
	// Cache keeps panel results by data version, scope, query and
	// parameters; nil runs every query every time.
	Cache *cache.Cache[*queries.Result]
	// Displays keeps the tokens that let screens in without a sign-in;
	// nil turns screens off.
	Displays *auth.Displays
	// DefinitionsDir is the directory laid over the built-in definitions,
	// named on the admin pages so that admins know where to edit them.
	DefinitionsDir string
	// PresentPoll is how often a screen asks whether the data changed.
	PresentPoll time.Duration
	// FrameAncestors are the origins allowed to embed pages in a frame
	// (the CSP frame-ancestors sources); none when empty.
	FrameAncestors []string
}

// Server serves the dashboards.
type Server struct {
	cfg     Config
	log     *slog.Logger
	handler http.Handler
	// Failed sign-ins per account and per address.
	byAccount, byAddress *auth.Limiter
	// seenVersion is the newest data version a request has read.
	seenVersion atomic.Int64
}

// New builds the server and its routes.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PresentPoll == 0 {
		cfg.PresentPoll = 20 * time.Second
	}
	if cfg.QueryTimeout == 0 {
		cfg.QueryTimeout = 10 * time.Second
	}
	s := &Server{
		cfg: cfg, log: cfg.Logger,
		byAccount: auth.NewLimiter(accountFailures, failureWindow),
		byAddress: auth.NewLimiter(addressFailures, failureWindow),
	}
	if cfg.Sessions != nil {
		now := func() time.Time { return cfg.Sessions.Now() }
		s.byAccount.Now, s.byAddress.Now = now, now
		cfg.Sessions.Secure = s.secure
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", s.signedIn(s.handleDashboard, readers...))
	mux.Handle("GET /d/{slug}", s.signedIn(s.handleDashboard, readers...))
	mux.Handle("GET /d/{slug}/panels/{file}", s.signedIn(s.handlePanelExport, readers...))
	mux.Handle("GET /d/{slug}/items", s.signedIn(s.handleItems, readers...))
	mux.Handle("GET /d/{slug}/{file}", s.signedIn(s.handleItemsExport, readers...))
	mux.HandleFunc("GET /login", s.handleLoginForm)
	mux.HandleFunc("POST /login", s.handleLogin)
	mux.HandleFunc("POST /logout", s.handleLogout)
	mux.HandleFunc("GET /login/oidc", s.handleSSO)
	mux.HandleFunc("GET /login/oidc/callback", s.handleSSOCallback)
	s.presentRoutes(mux)
	s.adminRoutes(mux)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleReady)
	mux.Handle("GET /static/{hash}/{path...}", cfg.Assets)
	mux.HandleFunc("GET /", s.handleNotFound)
	// Every state-changing request must come from a page of this site:
	// browsers say where a request came from (Sec-Fetch-Site, Origin), and
	// cross-site form posts are refused before any handler runs.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, langOf(r), http.StatusForbidden, "")
	}))
	s.handler = s.logRequests(s.recoverPanics(s.securityHeaders(csrf.Handler(mux))))
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) assets() components.Assets {
	a := s.cfg.Assets
	return components.Assets{CSS: a.URL("app.css"), ECharts: a.URL("vendor/echarts.min.js"), App: a.URL("app.js"), Present: a.URL("present.js")}
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
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(w)
	zw.Write(buf.Bytes())
	zw.Close()
	gzipWriters.Put(zw)
}

// gzipWriters compress pages at the fastest level: at the default level
// compression was most of a cached page's time, for a few per cent
// smaller pages. A writer is reused; making one costs near a megabyte.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}

// securityHeaders forbids inline script and style without the request's
// nonce, and framing except by the configured origins: text stored in the
// database can never run.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	frame := "'none'"
	if len(s.cfg.FrameAncestors) > 0 {
		frame = strings.Join(s.cfg.FrameAncestors, " ")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nonce := rand.Text()
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-"+nonce+"'; style-src 'self' 'nonce-"+nonce+"'; "+
			"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors "+frame)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		if len(s.cfg.FrameAncestors) == 0 {
			h.Set("X-Frame-Options", "DENY")
		}
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r.WithContext(templ.WithNonce(r.Context(), nonce)))
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
		path := r.URL.Path
		if strings.HasPrefix(path, "/screen/") {
			path = "/screen/…" // a display token opens a screen: keep it out of the log
		}
		s.log.InfoContext(r.Context(), "request", "method", r.Method, "path", path,
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
