// Package pgtest gives tests a real PostgreSQL: one throw-away cluster per
// test binary, started by Main, and a fresh database per test from
// NewDatabase. Tests that stop and restart the server get a cluster of
// their own from NewCluster.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/internal/pglocal"
)

const (
	// dirPrefix names the temporary directories of test clusters, so that
	// the ones left behind by a crashed test binary can be found.
	dirPrefix = "luukku-pgtest-"
	// ownerFile holds the pid of the test binary that owns a cluster.
	ownerFile = "owner"
	// maxNameLen leaves room for the counter in a 63-byte identifier.
	maxNameLen   = 40
	startTimeout = 2 * time.Minute
	dropTimeout  = 30 * time.Second
)

// shared is the cluster Main starts. It is package state because TestMain
// is the only hook the testing package offers and tests reach the cluster
// only through NewDatabase; it is set before any test runs and cleared
// after the last.
var shared atomic.Pointer[sharedCluster]

// dedicated holds the cleanups of NewCluster's clusters that are still
// running, for Main to run when the test binary is interrupted.
var dedicated sync.Map // *pglocal.Cluster → func() error

type sharedCluster struct {
	cluster *pglocal.Cluster
	admin   *pgxpool.Pool // to the postgres database, for CREATE and DROP DATABASE
	seq     atomic.Uint64

	mu       sync.Mutex
	prepared map[string]*preparedDB // SharedDatabase's, by key
}

type preparedDB struct {
	once sync.Once
	dsn  string
	err  error
}

// Main starts one throw-away cluster for the test binary under os.TempDir()
// (never under the repository: as root the postgres user may not reach it),
// runs the tests and stops and deletes it. Use it as
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// Without PostgreSQL server binaries it fails rather than skips: a test
// suite that silently tests nothing is worse than a red one.
func Main(m *testing.M) (code int) {
	sweep()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	c, cleanup, err := newCluster(ctx)
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: start test cluster: %v\n", err)
		return 1
	}
	defer func() {
		if err := cleanup(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
			code = 1
		}
	}()

	// An interrupted test binary would leave its servers running: they sit
	// in process groups of their own, out of reach of the terminal's
	// Ctrl-C. Stop them before exiting.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		<-sigs
		dedicated.Range(func(_, f any) bool {
			if err := f.(func() error)(); err != nil {
				fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
			}
			return true
		})
		if err := cleanup(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		}
		os.Exit(1)
	}()

	cfg, err := pgxpool.ParseConfig(c.DSN("postgres"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		return 1
	}
	// A few connections are enough for CREATE and DROP DATABASE, and keep
	// parallel tests from opening one each.
	cfg.MaxConns = 4
	admin, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: connect to test cluster: %v\n", err)
		return 1
	}
	defer admin.Close()

	shared.Store(&sharedCluster{cluster: c, admin: admin})
	defer shared.Store(nil)
	return m.Run()
}

// NewDatabase creates a fresh empty database on the shared test cluster
// and returns its DSN. The database is dropped, with any connections still
// open to it, when the test ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	s := shared.Load()
	if s == nil {
		t.Fatal("pgtest.NewDatabase needs the test cluster: add func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }")
	}
	name := dbName(t.Name(), s.seq.Add(1))
	ident := pgx.Identifier{name}.Sanitize()
	// template0 is pristine, and nobody can be connected to it, which would
	// make CREATE DATABASE fail.
	if _, err := s.admin.Exec(t.Context(), "CREATE DATABASE "+ident+" TEMPLATE template0"); err != nil {
		t.Fatalf("create test database %s: %v", name, err)
	}
	t.Cleanup(func() {
		// t.Context is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), dropTimeout)
		defer cancel()
		if _, err := s.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	return s.cluster.DSN(name)
}

// SharedDatabase returns a database that the tests of the binary share
// under key: the first test to ask creates it and runs setup on it (loading
// fixtures that many read-only tests need); later ones get the same DSN.
// It lives until the cluster stops, so tests must not change it.
func SharedDatabase(t testing.TB, key string, setup func(ctx context.Context, dsn string) error) string {
	t.Helper()
	s := shared.Load()
	if s == nil {
		t.Fatal("pgtest.SharedDatabase needs the test cluster: add func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }")
	}
	s.mu.Lock()
	if s.prepared == nil {
		s.prepared = map[string]*preparedDB{}
	}
	p, ok := s.prepared[key]
	if !ok {
		p = &preparedDB{}
		s.prepared[key] = p
	}
	s.mu.Unlock()
	p.once.Do(func() {
		name := dbName("shared_"+key, s.seq.Add(1))
		ctx := context.Background()
		if _, p.err = s.admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE template0"); p.err != nil {
			p.err = fmt.Errorf("create shared database %s: %w", name, p.err)
			return
		}
		p.dsn = s.cluster.DSN(name)
		if err := setup(ctx, p.dsn); err != nil {
			p.err = fmt.Errorf("set up shared database %s: %w", name, err)
		}
	})
	if p.err != nil {
		t.Fatal(p.err)
	}
	return p.dsn
}

// NewCluster starts a dedicated throw-away cluster for one test, for tests
// that stop and restart the server. It is stopped and removed when the test
// ends; stopping it in the test first is fine.
func NewCluster(t testing.TB) *pglocal.Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), startTimeout)
	defer cancel()
	c, cleanup, err := newCluster(ctx)
	if err != nil {
		t.Fatalf("start test cluster: %v", err)
	}
	dedicated.Store(c, cleanup)
	t.Cleanup(func() {
		if err := cleanup(); err != nil {
			t.Error(err)
		}
		dedicated.Delete(c)
	})
	return c
}

// newCluster starts a Fast cluster in a new directory under os.TempDir()
// and returns a function that stops it and removes the directory.
func newCluster(ctx context.Context) (*pglocal.Cluster, func() error, error) {
	root, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, nil, err
	}
	// MkdirTemp makes the directory private, but as root the server runs as
	// the postgres user, which must reach the cluster inside it.
	err = os.Chmod(root, 0o755)
	if err == nil {
		err = os.WriteFile(filepath.Join(root, ownerFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
	}
	if err != nil {
		os.RemoveAll(root)
		return nil, nil, err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	c, err := pglocal.Start(ctx, pglocal.Config{Dir: filepath.Join(root, "pg"), Fast: true, Logger: log})
	if err != nil {
		os.RemoveAll(root)
		return nil, nil, err
	}
	// OnceValue: Main calls it both on exit and on a signal.
	cleanup := sync.OnceValue(func() error {
		ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
		defer cancel()
		err := c.Stop(ctx)
		if err != nil {
			// A server still running keeps its files; leave them for sweep.
			return fmt.Errorf("stop test cluster in %s: %w", root, err)
		}
		if err := os.RemoveAll(root); err != nil {
			return fmt.Errorf("remove test cluster: %w", err)
		}
		return nil
	})
	return c, cleanup, nil
}

// sweep stops and removes the clusters of test binaries that died without
// cleaning up, e.g. after a test timeout, so that their servers do not pile
// up. Clusters of test binaries still running are left alone.
func sweep() {
	dirs, err := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	if err != nil {
		return
	}
	for _, root := range dirs {
		b, err := os.ReadFile(filepath.Join(root, ownerFile))
		if err != nil {
			continue // just being created, or not ours
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || processAlive(pid) {
			continue
		}
		if err := removeOrphan(root); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: remove leftover test cluster: %v\n", err)
		}
	}
}

func processAlive(pid int) bool {
	_, err := os.Stat(fmt.Sprintf("/proc/%d", pid))
	return !errors.Is(err, os.ErrNotExist)
}

func removeOrphan(root string) error {
	dir := filepath.Join(root, "pg")
	if _, err := os.Stat(filepath.Join(dir, "data", "postmaster.pid")); err == nil {
		// Start adopts the running server, which gives us a handle to stop.
		ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
		defer cancel()
		log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		c, err := pglocal.Start(ctx, pglocal.Config{Dir: dir, Fast: true, Logger: log})
		if err != nil {
			return err
		}
		if err := c.Stop(ctx); err != nil {
			return err
		}
	}
	return os.RemoveAll(root)
}

// dbName makes a valid, unique database name from a test name: lower case
// letters, digits and underscores, short enough for the 63-byte limit.
func dbName(testName string, n uint64) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(testName) {
		if b.Len() >= maxNameLen {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			under = false
		} else if !under {
			b.WriteByte('_')
			under = true
		}
	}
	return "t_" + strings.Trim(b.String(), "_") + "_" + strconv.FormatUint(n, 10)
}
