package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/components"
	"github.com/luukku-bi/luukku/internal/actions"
	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/cache"
	"github.com/luukku-bi/luukku/internal/definitions"
	"github.com/luukku-bi/luukku/internal/demo"
	"github.com/luukku-bi/luukku/internal/metrics"
	"github.com/luukku-bi/luukku/internal/pdf"
	"github.com/luukku-bi/luukku/internal/server"
	"github.com/luukku-bi/luukku/internal/store"
	"github.com/luukku-bi/luukku/internal/theme"
	"github.com/luukku-bi/luukku/queries"
	"github.com/luukku-bi/luukku/static"
)

// serveConfig is what serve is told, by flag, environment or config file.
type serveConfig struct {
	addr, databaseURL, sessionKeys, frameAncestors, oidc, chromium string
	data                                                           *dataDir
	definitions                                                    *string
	idle, lifetime, queryTimeout                                   time.Duration
	trustProxy, prewarm                                            bool
	cacheMB                                                        int
}

// serveFlags registers serve's flags with their built-in defaults;
// parseSettings adds the environment and the config file.
func serveFlags(fs *flag.FlagSet) *serveConfig {
	c := &serveConfig{data: dataFlag(fs), definitions: definitionsFlag(fs)}
	fs.StringVar(&c.addr, "addr", ":8080", "listen address")
	databaseURLFlag(fs, &c.databaseURL)
	fs.StringVar(&c.sessionKeys, "session-keys", "",
		"base64 keys (32+ bytes) for session cookies, newest first, separated by commas; older keys are still accepted (default a key kept in the database)")
	fs.DurationVar(&c.idle, "idle-timeout", 2*time.Hour, "sign out after this long without a request")
	fs.DurationVar(&c.lifetime, "session-lifetime", 12*time.Hour, "sign out this long after signing in, whatever happens")
	fs.BoolVar(&c.trustProxy, "trust-proxy", false,
		"believe X-Forwarded-For and X-Forwarded-Proto: only behind a reverse proxy that sets them")
	fs.StringVar(&c.frameAncestors, "frame-ancestors", "",
		"origins allowed to embed the pages in a frame, separated by spaces, e.g. https://intra.example.fi (default none)")
	fs.IntVar(&c.cacheMB, "cache-mb", 32, "memory for dashboard results and the panels built from them, in megabytes; 0 turns the caches off")
	fs.DurationVar(&c.queryTimeout, "query-timeout", 10*time.Second,
		"the longest a dashboard's query may run before the page says the data is not available")
	fs.BoolVar(&c.prewarm, "prewarm", true,
		"compute every dashboard's default view into the cache at start and after each import, for each scope the accounts have")
	fs.StringVar(&c.chromium, "chromium", "",
		"the Chromium binary that prints dashboards to PDF (default the first of chromium, chromium-browser, google-chrome on PATH); off turns PDF downloads off")
	fs.StringVar(&c.oidc, "oidc", "",
		"YAML file configuring single sign-on through OpenID Connect, e.g. Microsoft Entra ID; see docs/oidc.example.yaml")
	return c
}

func serve(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c := serveFlags(fs)
	if _, err := parseSettings(fs, args, os.Getenv, parseFlags); err != nil {
		return err
	}
	if os.Getenv("GOMEMLIMIT") == "" && c.cacheMB > 0 {
		// A soft limit the collector works to keep under: the cache's
		// share plus room for the pages being built.
		debug.SetMemoryLimit(int64(64+c.cacheMB) << 20)
	}
	secrets, err := auth.ParseSecrets(c.sessionKeys)
	if err != nil {
		return err
	}
	var oidcConfig *auth.OIDCConfig
	if c.oidc != "" {
		if oidcConfig, err = auth.LoadOIDCConfig(c.oidc); err != nil {
			return err
		}
	}
	// Parse the definitions before anything starts, so a broken file fails
	// fast; they are planned against the schema once the database is up.
	if _, err := (&definitions.Loader{Dir: *c.definitions}).Load(ctx); err != nil {
		return err
	}
	assets, err := static.Load()
	if err != nil {
		return err
	}
	// Bind before the database starts, so a taken port fails fast.
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.addr, err)
	}
	defer ln.Close()
	db, err := openServingDatabase(ctx, c.data, c.databaseURL, log)
	if err != nil {
		return err
	}
	defer db.close(log)
	if db.cluster != nil {
		empty, err := store.Empty(ctx, db.pool)
		if err != nil {
			return err
		}
		if empty {
			log.Info("first start: loading the demo city Esimerkkilä")
			if _, err := demo.Load(ctx, db.pool, demo.Options{}, log); err != nil {
				return fmt.Errorf("load demo data: %w", err)
			}
		}
	}
	themes, err := theme.Load(*c.definitions)
	if err != nil {
		return err
	}
	if err := syncThemes(ctx, db, themes); err != nil {
		return err
	}
	accounts := &auth.Accounts{DB: db.pool}
	if err := firstAdmin(ctx, accounts, log); err != nil {
		return err
	}
	if len(secrets) == 0 {
		secret, err := auth.Secret(ctx, db.pool)
		if err != nil {
			return err
		}
		secrets = [][]byte{secret}
	}
	sessions, err := auth.NewSessions(db.pool, secrets, c.idle, c.lifetime)
	if err != nil {
		return err
	}
	go pruneSessions(ctx, sessions, log)
	var sso *auth.OIDC
	if oidcConfig != nil {
		sso = &auth.OIDC{Config: oidcConfig, Accounts: accounts}
		log.Info("single sign-on offered", "issuer", oidcConfig.Issuer)
	}
	live, err := definitions.NewLive(ctx, definitions.Loader{Dir: *c.definitions, Check: planner(db.pool)}, log)
	if err != nil {
		return err
	}
	if *c.definitions != "" {
		log.Info("definitions: the embedded ones overlaid by a directory, reloaded when it changes", "dir", *c.definitions)
		go live.Watch(ctx, definitionsPoll)
	}
	results, panels := caches(c.cacheMB)
	meters := metrics.New()
	meters.WatchPool(db.pool)
	if results != nil {
		meters.WatchCache("results", results.Stats)
		meters.WatchCache("panels", panels.Stats)
	}
	printer := pdfPrinter(c.chromium, ln.Addr(), log)
	handler := server.New(server.Config{
		Pool: db.pool, Definitions: live.Current, Assets: assets, Logger: log,
		Themes: themes, Accounts: accounts, Sessions: sessions, OIDC: sso, TrustProxy: c.trustProxy, FrameAncestors: strings.Fields(c.frameAncestors),
		Displays: &auth.Displays{DB: db.pool}, DefinitionsDir: *c.definitions, Cache: results, Panels: panels, Metrics: meters, PDF: printer,
		QueryTimeout: c.queryTimeout,
	})
	if c.prewarm && results != nil {
		go handler.WarmEvery(ctx, warmEvery)
	}
	go handler.WarmPlansEvery(ctx, warmEvery)
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      max(60*time.Second, c.queryTimeout+30*time.Second), // a page waits for its queries
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", "url", "http://"+displayAddr(ln.Addr()))
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// pruneSessions removes timed-out sessions every hour until ctx ends.
func pruneSessions(ctx context.Context, sessions *auth.Sessions, log *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if n, err := sessions.Prune(ctx); err != nil {
			log.Warn("prune sessions", "err", err)
		} else if n > 0 {
			log.Info("timed-out sessions removed", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// firstAdmin makes the admin account on a new installation, with the
// password from LUUKKU_ADMIN_PASSWORD or a random one printed this once.
func firstAdmin(ctx context.Context, accounts *auth.Accounts, log *slog.Logger) error {
	given := os.Getenv("LUUKKU_ADMIN_PASSWORD")
	created, password, err := accounts.EnsureAdmin(ctx, "admin", given)
	if err != nil {
		return fmt.Errorf("first admin: %w", err)
	}
	if !created {
		return nil
	}
	if given != "" {
		log.Info("first start: created the account admin with the password from LUUKKU_ADMIN_PASSWORD")
		return nil
	}
	fmt.Fprintf(os.Stderr, "\n  First start: sign in as  admin  with the password  %s\n  It is shown only now. Change it with: luukku users reset-password admin\n\n", password)
	return nil
}

// caches share mb megabytes between the dashboards' query results (three
// quarters) and the panels built from them, or are none.
func caches(mb int) (*cache.Cache[*queries.Result], *cache.Cache[components.Panel]) {
	if mb <= 0 {
		return nil, nil
	}
	bytes := int64(mb) << 20
	return cache.New[*queries.Result](bytes - bytes/4), cache.New[components.Panel](bytes / 4)
}

// displayAddr turns a wildcard listen address into one a browser can open.
// pdfPrinter is the Chromium that prints dashboards to PDF, reaching the
// server at addr over the loopback; nil when there is none or it is
// turned off, and the download then says so.
func pdfPrinter(chromium string, addr net.Addr, log *slog.Logger) *pdf.Printer {
	if chromium == "off" {
		log.Info("PDF downloads: off")
		return nil
	}
	if chromium == "" {
		if chromium = pdf.Find(); chromium == "" {
			log.Info("PDF downloads: off, no Chromium found (apt-get install chromium)")
			return nil
		}
	}
	base := "http://" + addr.String()
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		base = fmt.Sprintf("http://127.0.0.1:%d", tcp.Port)
	}
	log.Info("PDF downloads: printed by Chromium", "chromium", chromium)
	return pdf.New(chromium, base, 2)
}

func displayAddr(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}

func migrate(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	data, dsn := databaseFlags(fs)
	if _, err := parseSettings(fs, args, os.Getenv, parseFlags); err != nil {
		return err
	}
	db, err := openDatabase(ctx, data, *dsn, log)
	if err != nil {
		return err
	}
	defer db.release(log)
	log.Info("schema is up to date")
	return nil
}

func loadDemo(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	data, dsn := databaseFlags(fs)
	n := fs.Int("feedback", 200_000, "number of feedback rows")
	seed := fs.Int64("seed", 1, "random seed; the same seed and end day give the same data")
	until := fs.String("until", "", "last day of data, YYYY-MM-DD (default today)")
	if _, err := parseSettings(fs, args, os.Getenv, parseFlags); err != nil {
		return err
	}
	if *n < 0 || *n > 50_000_000 {
		return fmt.Errorf("--feedback %d: must be between 0 and 50 000 000", *n)
	}
	opts := demo.Options{Feedback: *n, Seed: *seed}
	if *until != "" {
		t, err := time.Parse(time.DateOnly, *until)
		if err != nil {
			return fmt.Errorf("--until %q: want YYYY-MM-DD", *until)
		}
		opts.Until = t
	}
	db, err := openDatabase(ctx, data, *dsn, log)
	if err != nil {
		return err
	}
	defer db.release(log)
	sum, err := demo.Load(ctx, db.pool, opts, log)
	if err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	fmt.Fprintf(stdout, "Esimerkkilä loaded: %d units, %d feedback, %d contact rows, %d finance rows, %d HR rows, %d survey answers in %s\n",
		sum.Units, sum.Feedback, sum.Contacts, sum.Finance, sum.HR, sum.Survey, sum.Took.Round(time.Millisecond))
	return nil
}

// check validates every dashboard and query file and has PostgreSQL plan
// each query against the current schema.
func check(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	data, dsn := databaseFlags(fs)
	defs := definitionsFlag(fs)
	if _, err := parseSettings(fs, args, os.Getenv, parseFlags); err != nil {
		return err
	}
	if _, err := (&definitions.Loader{Dir: *defs}).Load(ctx); err != nil {
		return err
	}
	db, err := openDatabase(ctx, data, *dsn, log)
	if err != nil {
		return err
	}
	defer db.release(log)
	set, err := (&definitions.Loader{Dir: *defs, Check: planner(db.pool)}).Load(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: %d dashboards and %d playlists checked, %d queries planned against the schema\n", len(set.All()), len(set.Playlists()), len(set.Queries().Names()))
	bt, err := backtest(ctx, db.pool, set, time.Now())
	if err != nil {
		return fmt.Errorf("forecast backtest: %w", err)
	}
	fmt.Fprintln(stdout, bt)
	themes, err := theme.Load(*defs)
	if err != nil {
		return err
	}
	return printThemeScores(stdout, themes)
}

// printThemeScores prints how well the theme rules find the labelled
// sample's themes.
func printThemeScores(w io.Writer, set *theme.Set) error {
	scores, err := set.Evaluate()
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "theme rules on the labelled sample:")
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  theme	texts	precision	recall")
	for _, s := range scores {
		name := s.Theme
		if name == "" {
			name = "all"
		}
		fmt.Fprintf(tw, "  %s	%d	%.0f %%	%.0f %%\n", name, s.Labelled, 100*s.Precision(), 100*s.Recall())
	}
	return tw.Flush()
}

// definitionsPoll is how often serve looks for changed definition files.
const definitionsPoll = 2 * time.Second

// warmEvery is how often serve looks for new data to warm the cache for
// (one small query), and for new connections to warm the plans of (none).
const warmEvery = 5 * time.Second

// definitionsFlag registers --definitions; parseSettings gives it
// LUUKKU_DEFINITIONS and the config file's value.
func definitionsFlag(fs *flag.FlagSet) *string {
	return fs.String("definitions", "",
		"directory whose dashboards/*.yaml, dashboards/playlists/*.yaml and queries/*.sql replace or add to the built-in ones")
}

// databaseFlags registers what every command that opens the database
// takes: --data and --database-url.
func databaseFlags(fs *flag.FlagSet) (*dataDir, *string) {
	data := dataFlag(fs)
	var dsn string
	databaseURLFlag(fs, &dsn)
	return data, &dsn
}

// databaseURLFlag registers --database-url into dsn.
func databaseURLFlag(fs *flag.FlagSet, dsn *string) {
	fs.StringVar(dsn, "database-url", "",
		"PostgreSQL to use, e.g. postgres://luukku@db.example.fi/luukku; without it Luukku runs a private cluster under <data>/pg (on the command line the password shows in ps: prefer the environment or the config file)")
}

// planner has PostgreSQL plan every query of a catalogue.
func planner(pool *pgxpool.Pool) func(context.Context, *queries.Catalog) error {
	return func(ctx context.Context, cat *queries.Catalog) error { return cat.Check(ctx, pool) }
}

// actionsCommand exports or imports the development actions as CSV.
func actionsCommand(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		return errors.New("actions: say export or import FILE")
	}
	verb := args[0]
	fs := flag.NewFlagSet("actions "+verb, flag.ContinueOnError)
	data, dsn := databaseFlags(fs)
	pos, err := parseSettings(fs, args[1:], os.Getenv, parseFlags)
	if err != nil {
		return err
	}
	if verb == "import" {
		if len(pos) != 1 {
			return errors.New("actions import: name one CSV file")
		}
		return importActions(ctx, pos[0], data, *dsn, stdout, log)
	}
	db, err := openDatabase(ctx, data, *dsn, log)
	if err != nil {
		return err
	}
	defer db.release(log)
	return actions.Export(ctx, db.pool, stdout)
}

// importActions imports the development actions from the CSV file at
// path, all rows or none, into the database that data and dsn say.
func importActions(ctx context.Context, path string, data *dataDir, dsn string, stdout io.Writer, log *slog.Logger) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	list, err := actions.Parse(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: nothing imported:\n%w", path, err)
	}
	db, err := openDatabase(ctx, data, dsn, log)
	if err != nil {
		return err
	}
	defer db.release(log)
	sum, err := actions.Import(ctx, db.pool, list)
	if err != nil {
		return fmt.Errorf("%s: nothing imported:\n%w", path, err)
	}
	fmt.Fprintf(stdout, "%d actions imported: %d new, %d updated\n", len(list), sum.Added, sum.Updated)
	return audit.Record(ctx, db.pool, cliActor(), audit.Import, "actions", fmt.Sprintf("%s: %d new, %d updated", path, sum.Added, sum.Updated))
}
