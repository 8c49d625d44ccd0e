// Package server is Luukku's HTTP side: routes, middleware and the
// handlers that turn a URL into queries and a rendered page.
package server

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/cache"
	"github.com/luukku-bi/luukku/internal/metrics"
	"github.com/luukku-bi/luukku/internal/pdf"
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
	// Panels keeps panels built from cached results, by everything that
	// goes into building them (see panelKeys), so a warm page only renders;
	// nil builds every panel at every view.
	Panels *cache.Cache[components.Panel]
	// Metrics, when set, counts requests, queries, imports, the cache and
	// the pool, and serves them at /metrics.
	Metrics *metrics.Metrics
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
	// PDF prints dashboards for download; nil when no Chromium is
	// installed, and the download then says so.
	PDF *pdf.Printer
}

// Server serves the dashboards.
type Server struct {
	cfg     Config
	log     *slog.Logger
	handler http.Handler
	// Failed sign-ins per account and per address.
	byAccount, byAddress *auth.Limiter
	// newestVersions are the newest data versions a request has read.
	versionsMu     sync.Mutex
	newestVersions *dataVersions
	costs          queryCosts
	reads          tableReads
	// gzips compress pages at the fastest level: at the default level
	// compression was most of a cached page's time, for pages a few per
	// cent smaller. Writers are reused; making one costs near a megabyte.
	gzips sync.Pool
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
		cfg: cfg, log: slog.New(withRequestIDs(cfg.Logger.Handler())),
		byAccount: auth.NewLimiter(accountFailures, failureWindow),
		byAddress: auth.NewLimiter(addressFailures, failureWindow),
	}
	s.gzips.New = func() any {
		zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
		return zw
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
	mux.Handle("GET /d/{slug}/dashboard.pdf", s.signedIn(s.handleDashboardPDF, readers...))
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
	if cfg.Metrics != nil {
		mux.Handle("GET /metrics", cfg.Metrics.Handler())
	}
	mux.HandleFunc("GET /", s.handleNotFound)
	// Every state-changing request must come from a page of this site:
	// browsers say where a request came from (Sec-Fetch-Site, Origin), and
	// cross-site form posts are refused before any handler runs.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, langOf(r), http.StatusForbidden, "")
	}))
	// The mux sets the route on the request it is given; the log, outside,
	// reads it from there.
	routed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if rt, ok := r.Context().Value(routeKey{}).(*route); ok {
			rt.pattern, rt.slug = r.Pattern, r.PathValue("slug")
		}
	})
	s.handler = s.logRequests(s.recoverPanics(s.securityHeaders(s.rememberLang(csrf.Handler(routed)))))
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
	h.Add("Vary", "Accept-Encoding, Accept-Language")
	if !static.AcceptsGzip(r.Header.Get("Accept-Encoding")) {
		w.WriteHeader(status)
		w.Write(buf.Bytes())
		return
	}
	h.Set("Content-Encoding", "gzip")
	w.WriteHeader(status)
	zw := s.gzips.Get().(*gzip.Writer)
	zw.Reset(w)
	zw.Write(buf.Bytes())
	zw.Close()
	s.gzips.Put(zw)
}

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

// route is what the mux matched, for the log and the metrics.
type route struct{ pattern, slug string }

type (
	routeKey     struct{}
	requestIDKey struct{}
)

// logRequests gives every request an id (the X-Request-Id a trusted proxy
// sent, else a new one), answers with it, logs the request with it and
// counts it by route and dashboard.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !s.cfg.TrustProxy || !requestIDPattern.MatchString(id) {
			id = rand.Text()[:16]
		}
		w.Header().Set("X-Request-Id", id)
		rt := &route{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey{}, id), routeKey{}, rt)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r.WithContext(ctx))
		took := time.Since(start)
		path := r.URL.Path
		if strings.HasPrefix(path, "/screen/") {
			path = "/screen/…" // a display token opens a screen: keep it out of the log
		}
		s.log.InfoContext(ctx, "request", "method", r.Method, "path", path, "route", rt.pattern,
			"status", sw.status, "duration", took)
		dashboard := rt.slug
		if rt.pattern == "GET /{$}" {
			dashboard = overviewSlug
		}
		if _, ok := s.cfg.Definitions().Get(dashboard); !ok {
			dashboard = "" // only known names: a label per typo would grow without end
		}
		s.cfg.Metrics.ObserveRequest(cmp.Or(rt.pattern, "unmatched"), dashboard, sw.status, took)
	})
}

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// withRequestIDs adds to every record logged with a request's context the
// request's id, so that an error deep in a handler can be matched to its
// request line.
func withRequestIDs(h slog.Handler) slog.Handler { return requestIDHandler{h} }

type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id, ok := ctx.Value(requestIDKey{}).(string); ok {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
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
