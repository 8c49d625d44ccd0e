package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/luukku-bi/luukku/internal/definitions"
	"github.com/luukku-bi/luukku/internal/demo"
	"github.com/luukku-bi/luukku/internal/server"
	"github.com/luukku-bi/luukku/internal/store"
	"github.com/luukku-bi/luukku/queries"
)

// pagesBench is what one data size measured.
type pagesBench struct {
	Feedback        int             `json:"feedback_rows"`
	LoadSeconds     float64         `json:"load_seconds"`
	ServerPeakRSSMB float64         `json:"server_peak_rss_mb"`
	Dashboards      []dashboardLoad `json:"dashboards"`
}

// dashboardLoad is one dashboard's page at one data size.
type dashboardLoad struct {
	Slug string `json:"slug"`
	// Cold pages find nothing in the result cache (the data version was
	// just bumped); warm ones find everything.
	Cold        latency `json:"cold"`
	ColdSamples int     `json:"cold_samples"`
	Warm1       latency `json:"warm_c1"`
	Warm16      latency `json:"warm_c16"`
	PerSec      float64 `json:"warm_pages_per_second_c16"`
	SQLP50      float64 `json:"raw_sql_p50_ms"`
	Overhead    float64 `json:"cold_page_over_raw_sql"`
	FirstKB     float64 `json:"first_load_kb_gzipped"`
}

type latency struct {
	P50 float64 `json:"p50_ms"`
	P95 float64 `json:"p95_ms"`
	P99 float64 `json:"p99_ms"`
}

func percentiles(ds []time.Duration) latency {
	slices.Sort(ds)
	at := func(q float64) float64 {
		i := int(q*float64(len(ds))+0.999999) - 1
		return float64(ds[max(0, min(i, len(ds)-1))].Microseconds()) / 1000
	}
	return latency{P50: at(0.50), P95: at(0.95), P99: at(0.99)}
}

// benchSamples are how many pages each measurement takes.
const (
	coldSamples   = 15
	minSamples    = 5
	sampleBudget  = 10 * time.Second
	warmSamples   = 100
	concurrency   = 16
	perGoroutine  = 25
	benchPassword = "bench-password-long-enough"
	planSettle    = 2 * warmEvery
)

// benchPages loads the demo city with feedback rows of feedback into a
// database of its own, starts this binary's server on it as a separate
// process (so that its memory is its own), and measures every dashboard.
func benchPages(ctx context.Context, db *database, feedback int, log *slog.Logger) (*pagesBench, error) {
	name := fmt.Sprintf("bench_%d", feedback)
	if err := store.EnsureDatabase(ctx, db.cluster.DSN("postgres"), name); err != nil {
		return nil, err
	}
	dsn := db.cluster.DSN(name)
	pool, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	if err := store.Migrate(ctx, pool, log); err != nil {
		return nil, err
	}
	res := &pagesBench{Feedback: feedback}
	start := time.Now()
	if _, err := demo.Load(ctx, pool, demo.Options{Feedback: feedback}, log); err != nil {
		return nil, err
	}
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return nil, err
	}
	res.LoadSeconds = time.Since(start).Seconds()

	// The same queries straight on the database, with the server's
	// memory for sorting and without JIT, as the server runs them.
	rawConfig, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	rawConfig.ConnConfig.RuntimeParams["work_mem"] = server.WorkMem
	rawConfig.ConnConfig.RuntimeParams["jit"] = server.JIT
	rawPool, err := pgxpool.NewWithConfig(ctx, rawConfig)
	if err != nil {
		return nil, err
	}
	defer rawPool.Close()
	srv, err := startBenchServer(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	defs, err := (&definitions.Loader{}).Load(ctx)
	if err != nil {
		return nil, err
	}
	var root string
	if err := pool.QueryRow(ctx, `SELECT path::text FROM org_unit WHERE nlevel(path) = 1`).Scan(&root); err != nil {
		return nil, err
	}
	// One view of every dashboard first, not measured: a new connection
	// plans each query it has not run yet (a fresh server's first overview
	// took 358 ms, the next ones about 100), which a server that has run for
	// a while, or warmed its cache at start, has done. Cold below is the
	// empty cache of a server that is running.
	for _, d := range defs.All() {
		if _, err := srv.get(ctx, "/d/"+d.Slug); err != nil {
			return nil, err
		}
	}
	// And the plans of the pool's every connection, which the server warms
	// in the background as it starts (WarmPlansEvery).
	time.Sleep(planSettle)
	for _, d := range defs.All() {
		path := "/d/" + d.Slug
		dl := dashboardLoad{Slug: d.Slug}
		cold, err := sample(func() (time.Duration, error) {
			if _, err := pool.Exec(ctx, `UPDATE data_version SET version = version + 1`); err != nil {
				return 0, err
			}
			return srv.get(ctx, path)
		})
		if err != nil {
			return nil, err
		}
		dl.Cold, dl.ColdSamples = percentiles(cold), len(cold)
		var warm []time.Duration
		for range warmSamples {
			took, err := srv.get(ctx, path)
			if err != nil {
				return nil, err
			}
			warm = append(warm, took)
		}
		dl.Warm1 = percentiles(warm)
		var mu sync.Mutex
		var many []time.Duration
		g, gctx := errgroup.WithContext(ctx)
		began := time.Now()
		for range concurrency {
			g.Go(func() error {
				for range perGoroutine {
					took, err := srv.get(gctx, path)
					if err != nil {
						return err
					}
					mu.Lock()
					many = append(many, took)
					mu.Unlock()
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		dl.PerSec = float64(len(many)) / time.Since(began).Seconds()
		dl.Warm16 = percentiles(many)
		qs, args := server.DashboardQueries(d, time.Now(), root)
		raw, err := sample(func() (time.Duration, error) { return runDirect(ctx, rawPool, qs, args) })
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Slug, err)
		}
		dl.SQLP50 = percentiles(raw).P50
		dl.Overhead = dl.Cold.P50 / dl.SQLP50
		if dl.FirstKB, err = srv.firstLoad(ctx, path); err != nil {
			return nil, err
		}
		res.Dashboards = append(res.Dashboards, dl)
	}
	res.ServerPeakRSSMB = srv.peakRSS()
	return res, nil
}

// sample measures coldSamples times, or as many as fit in sampleBudget
// (but at least minSamples): a large dataset's cold pages take seconds.
func sample(measure func() (time.Duration, error)) ([]time.Duration, error) {
	var out []time.Duration
	start := time.Now()
	for len(out) < coldSamples && (len(out) < minSamples || time.Since(start) < sampleBudget) {
		took, err := measure()
		if err != nil {
			return nil, err
		}
		out = append(out, took)
	}
	return out, nil
}

// runDirect runs the queries as the server runs a page's — four at a time,
// each planned as its header asks — but straight on the pool: no role,
// scope or rendering, and a transaction only for a plan setting.
func runDirect(ctx context.Context, pool *pgxpool.Pool, qs []*queries.Query, args []map[string]any) (time.Duration, error) {
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, q := range qs {
		g.Go(func() error {
			setting := q.PlanSetting()
			if setting == "" {
				_, err := q.Run(gctx, pool, args[i])
				return err
			}
			return pgx.BeginTxFunc(gctx, pool, pgx.TxOptions{BeginQuery: "BEGIN READ ONLY; " + setting}, func(tx pgx.Tx) error {
				_, err := q.Run(gctx, tx, args[i])
				return err
			})
		})
	}
	err := g.Wait()
	return time.Since(start), err
}

// benchServer is `luukku serve` running as a child process.
type benchServer struct {
	cmd    *exec.Cmd
	base   string
	client *http.Client
}

func startBenchServer(ctx context.Context, dsn string) (*benchServer, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	// Cold pages are measured by emptying the cache: warming it behind the
	// measurement's back would measure nothing.
	// At ten million rows a cold page's queries outlast the default limit.
	cmd := exec.Command(exe, "serve", "--addr", addr, "--prewarm=false", "--query-timeout=5m")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dsn, "LUUKKU_ADMIN_PASSWORD="+benchPassword, "LUUKKU_DEFINITIONS=", "LUUKKU_CONFIG=") // the built-in definitions, no installation file
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	s := &benchServer{cmd: cmd, base: "http://" + addr, client: &http.Client{
		Jar:           jar,
		Transport:     &http.Transport{MaxIdleConnsPerHost: concurrency * 2, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := s.client.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("the server did not become ready: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	resp, err := s.client.PostForm(s.base+"/login", url.Values{"username": {"admin"}, "password": {benchPassword}})
	if err != nil {
		s.stop()
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		s.stop()
		return nil, fmt.Errorf("sign in: %s", resp.Status)
	}
	return s, nil
}

// get fetches path as a browser does (gzip) and returns how long the whole
// response took.
func (s *benchServer) get(ctx context.Context, path string) (time.Duration, error) {
	_, took, err := s.fetch(ctx, path)
	return took, err
}

func (s *benchServer) fetch(ctx context.Context, path string) ([]byte, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+path, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	start := time.Now()
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	took := time.Since(start)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return body, took, err
}

var assetURL = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

// firstLoad is the bytes a browser fetches, gzipped, to open path for the
// first time: the page and every asset it names.
func (s *benchServer) firstLoad(ctx context.Context, path string) (float64, error) {
	page, _, err := s.fetch(ctx, path)
	if err != nil {
		return 0, err
	}
	total := len(page)
	plain, err := gunzipped(page)
	if err != nil {
		return 0, err
	}
	for _, m := range assetURL.FindAllStringSubmatch(string(plain), -1) {
		body, _, err := s.fetch(ctx, m[1])
		if err != nil {
			return 0, err
		}
		total += len(body)
	}
	return float64(total) / 1024, nil
}

func gunzipped(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("the page is not gzipped: %w", err)
	}
	return io.ReadAll(zr)
}

// peakRSS is the server process's high-water resident set, in MB.
func (s *benchServer) peakRSS() float64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0
	}
	return vmHWM(string(data))
}

func (s *benchServer) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// vmHWM reads the VmHWM line of a /proc status file, in MB.
func vmHWM(status string) float64 {
	for line := range strings.SplitSeq(status, "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}
