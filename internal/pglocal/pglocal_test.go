package pglocal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// clusterDir returns a directory for a cluster that is removed after the
// test. It is not t.TempDir(): that one sits under a 0700 directory, which
// the postgres user cannot reach when the tests run as root.
func clusterDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pglocal-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "pg")
}

func startFast(t *testing.T, dir string) *Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	c, err := Start(ctx, Config{Dir: dir, Fast: true, Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	// Cleanup runs after t.Context is cancelled, hence a context of its own.
	t.Cleanup(func() {
		if err := c.Stop(context.Background()); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return c
}

func connect(t *testing.T, c *Cluster) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), c.DSN("postgres"))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func stop(t *testing.T, c *Cluster) {
	t.Helper()
	if err := c.Stop(t.Context()); err != nil {
		t.Fatalf("Stop: %v", err)
	}
}

// postmasterPID reads the pid of the running server from its pid file.
func postmasterPID(t *testing.T, c *Cluster) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.dataDir(), "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pf, err := parsePIDFile(b)
	if err != nil {
		t.Fatal(err)
	}
	return pf.pid
}

func TestStartStopRestart(t *testing.T) {
	t.Parallel()
	dir := clusterDir(t)
	c := startFast(t, dir)

	if c.Port() == systemPort || c.Port() == 0 {
		t.Fatalf("port = %d", c.Port())
	}
	if c.Dir() != dir {
		t.Errorf("Dir() = %q, want %q", c.Dir(), dir)
	}
	fi, err := os.Stat(filepath.Join(dir, "password"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("password file mode = %v, want 0600", fi.Mode().Perm())
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".pwfile-*")); len(m) > 0 {
		t.Errorf("initdb password file left behind: %v", m)
	}

	conn := connect(t, c)
	var one int
	if err := conn.QueryRow(t.Context(), "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1 = %d, %v", one, err)
	}
	var version, listen, fsync, encoding string
	err = conn.QueryRow(t.Context(), `SELECT current_setting('server_version'), current_setting('listen_addresses'),
		current_setting('fsync'), current_setting('server_encoding')`).Scan(&version, &listen, &fsync, &encoding)
	if err != nil {
		t.Fatal(err)
	}
	if v, _, _ := strings.Cut(version, "."); parseVersion(v) == nil {
		t.Errorf("server_version = %q", version)
	}
	if listen != "127.0.0.1" || fsync != "off" || encoding != "UTF8" {
		t.Errorf("listen_addresses = %q, fsync = %q, encoding = %q; want 127.0.0.1, off, UTF8", listen, fsync, encoding)
	}
	if _, err := conn.Exec(t.Context(), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')"); err != nil {
		t.Fatal(err)
	}
	conn.Close(t.Context())

	stop(t, c)
	stop(t, c) // a second Stop is a no-op
	if err := c.ping(t.Context()); err == nil {
		t.Fatal("server still answers after Stop")
	}

	again := startFast(t, dir)
	if again.Port() != c.Port() {
		t.Errorf("port after restart = %d, want %d", again.Port(), c.Port())
	}
	var v string
	if err := connect(t, again).QueryRow(t.Context(), "SELECT v FROM kept").Scan(&v); err != nil || v != "still here" {
		t.Errorf("row after restart = %q, %v", v, err)
	}
}

// A server left running by a process that died without Stop is adopted,
// not started a second time.
func TestAdoptRunning(t *testing.T) {
	t.Parallel()
	dir := clusterDir(t)
	first := startFast(t, dir)
	pid := postmasterPID(t, first)

	second := startFast(t, dir)
	if second.Port() != first.Port() {
		t.Errorf("adopted port = %d, want %d", second.Port(), first.Port())
	}
	if got := postmasterPID(t, second); got != pid {
		t.Errorf("postmaster pid = %d, want the running %d", got, pid)
	}
	if err := second.ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	stop(t, second)
	// The first handle sees the server gone and has nothing to do.
	stop(t, first)
}

func TestStalePIDFile(t *testing.T) {
	t.Parallel()
	sleep := exec.Command("sleep", "60")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sleep.Process.Kill()
		sleep.Wait()
	})

	dir := clusterDir(t)
	c := startFast(t, dir)
	port := c.Port()
	stop(t, c)

	tests := []struct {
		name string
		pid  int
	}{
		{"pid of another process", sleep.Process.Pid},
		{"pid of no process", 1 << 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// What a postmaster killed with SIGKILL leaves behind.
			pidFile := fmt.Sprintf("%d\n%s\n%d\n%d\n%s\n127.0.0.1\n", tt.pid, c.dataDir(), time.Now().Unix(), port, c.runDir())
			if err := os.WriteFile(filepath.Join(c.dataDir(), "postmaster.pid"), []byte(pidFile), 0o600); err != nil {
				t.Fatal(err)
			}
			lock := filepath.Join(c.runDir(), ".s.PGSQL."+strconv.Itoa(port)+".lock")
			if err := os.WriteFile(lock, []byte(pidFile), 0o600); err != nil {
				t.Fatal(err)
			}

			again := startFast(t, dir)
			if got := postmasterPID(t, again); got == tt.pid {
				t.Errorf("postmaster pid = stale pid %d", got)
			}
			if err := again.ping(t.Context()); err != nil {
				t.Fatal(err)
			}
			stop(t, again)
		})
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", sleep.Process.Pid)); err != nil {
		t.Errorf("the process whose pid was in the stale file is gone: %v", err)
	}
}

func TestUnreachableDir(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root hands the cluster to the postgres user")
	}
	t.Parallel()
	private, err := os.MkdirTemp("", "pglocal-private-") // mode 0700, owned by root
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(private) })
	dir := filepath.Join(private, "pg")

	_, err = Start(t.Context(), Config{Dir: dir, Fast: true})
	if err == nil {
		t.Fatal("Start succeeded in a directory the postgres user cannot reach")
	}
	if !errors.Is(err, ErrUnreachable) {
		t.Errorf("error %v is not ErrUnreachable", err)
	}
	for _, want := range []string{"directory " + private + " ", "--data"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s was created despite the error", dir)
	}
}

func TestFindBinaries(t *testing.T) {
	dir, err := FindBinaries()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range serverProgs {
		if _, err := exec.LookPath(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// A directory too deep for a unix socket still gives a working cluster,
// over TCP only.
func TestLongDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(clusterDir(t), strings.Repeat("d", 100))
	c := startFast(t, dir)
	var sockets string
	if err := connect(t, c).QueryRow(t.Context(), "SELECT current_setting('unix_socket_directories')").Scan(&sockets); err != nil {
		t.Fatal(err)
	}
	if sockets != "" {
		t.Errorf("unix_socket_directories = %q, want none", sockets)
	}
}

func TestVersionMismatch(t *testing.T) {
	t.Parallel()
	dir := clusterDir(t)
	// What an older server would have left; no server is ever started.
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "PG_VERSION"), []byte("9.6\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Start(t.Context(), Config{Dir: dir, Fast: true})
	if err == nil || !strings.Contains(err.Error(), "created by PostgreSQL 9.6") {
		t.Errorf("Start on a 9.6 cluster: %v, want a version error", err)
	}
}
