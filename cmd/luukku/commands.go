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
	"time"

	"github.com/luukku-bi/luukku/dashboards"
	"github.com/luukku-bi/luukku/internal/demo"
	"github.com/luukku-bi/luukku/internal/server"
	"github.com/luukku-bi/luukku/internal/store"
	"github.com/luukku-bi/luukku/queries"
	"github.com/luukku-bi/luukku/static"
)

func serve(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "listen address")
	data := dataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cat, err := queries.Load(queries.Embedded())
	if err != nil {
		return err
	}
	dash, err := dashboards.Load(dashboards.Embedded(), cat)
	if err != nil {
		return err
	}
	assets, err := static.Load()
	if err != nil {
		return err
	}
	// Bind before the database starts, so a taken port fails fast.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	defer ln.Close()
	db, err := openDatabase(ctx, data, log)
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
	srv := &http.Server{
		Handler: server.New(server.Config{
			Pool: db.pool, Queries: cat, Dashboards: dash, Assets: assets, Logger: log,
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
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

// displayAddr turns a wildcard listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}

func migrate(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	data := dataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := openDatabase(ctx, data, log)
	if err != nil {
		return err
	}
	defer db.close(log)
	log.Info("schema is up to date")
	return nil
}

func loadDemo(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	data := dataFlag(fs)
	n := fs.Int("feedback", 200_000, "number of feedback rows")
	seed := fs.Int64("seed", 1, "random seed; the same seed and end day give the same data")
	until := fs.String("until", "", "last day of data, YYYY-MM-DD (default today)")
	if err := fs.Parse(args); err != nil {
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
	db, err := openDatabase(ctx, data, log)
	if err != nil {
		return err
	}
	defer db.close(log)
	sum, err := demo.Load(ctx, db.pool, opts, log)
	if err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	fmt.Fprintf(stdout, "Esimerkkilä loaded: %d units, %d feedback, %d contact rows, %d finance rows, %d HR rows in %s\n",
		sum.Units, sum.Feedback, sum.Contacts, sum.Finance, sum.HR, sum.Took.Round(time.Millisecond))
	return nil
}

// check validates every dashboard and query file and has PostgreSQL plan
// each query against the current schema.
func check(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	data := dataFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cat, err := queries.Load(queries.Embedded())
	if err != nil {
		return fmt.Errorf("queries:\n%w", err)
	}
	dash, err := dashboards.Load(dashboards.Embedded(), cat)
	if err != nil {
		return fmt.Errorf("dashboards:\n%w", err)
	}
	db, err := openDatabase(ctx, data, log)
	if err != nil {
		return err
	}
	defer db.close(log)
	var problems []error
	for _, name := range cat.Names() {
		q, _ := cat.Get(name)
		if err := q.Check(ctx, db.pool); err != nil {
			problems = append(problems, err)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d of %d queries do not plan:\n%w", len(problems), len(cat.Names()), errors.Join(problems...))
	}
	fmt.Fprintf(stdout, "ok: %d dashboards, %d queries planned against the schema\n", len(dash.All()), len(cat.Names()))
	return nil
}
