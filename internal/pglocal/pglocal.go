// Package pglocal runs a private PostgreSQL cluster for luukku. The cluster
// lives in a directory of its own, is created on the first start and reused
// on later ones, and listens only on 127.0.0.1 on a port of its own, so
// that it never meets the system's cluster. It needs the server binaries of
// Debian's postgresql package, or initdb, pg_ctl and postgres in PATH.
package pglocal

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

const (
	// superuser is the cluster's only role.
	superuser = "luukku"
	// systemPort belongs to the system's cluster.
	systemPort = 5432
	// startTimeout bounds both pg_ctl's wait and our first connection.
	startTimeout = 60 * time.Second
	// settingsFile holds the settings written at every start; postgresql.conf
	// includes it.
	settingsFile = "luukku.conf"
	// maxLogSize is where the server log is set aside at start, so that a
	// long-lived installation does not fill the disk with it.
	maxLogSize = 16 << 20
	// maxSocketPath is the room in sockaddr_un.sun_path, less the NUL.
	maxSocketPath = 107
)

// Config says where the cluster lives and how it runs.
type Config struct {
	Dir    string       // root of the cluster's files, e.g. "<data>/pg"; created if missing
	Port   int          // 0 = reuse the port recorded in Dir, else pick a free one (never 5432)
	Fast   bool         // test clusters: fsync=off, synchronous_commit=off, full_page_writes=off
	Logger *slog.Logger // nil = slog.Default()
}

// Cluster is a running server. It keeps running when the process exits
// without calling Stop, and the next Start on the same Dir adopts it. Its
// methods are safe for concurrent use.
type Cluster struct {
	dir      string
	bin      string
	port     int
	password string
	account  *serverAccount // nil: the server runs as the current user
	log      *slog.Logger
	adopted  bool // the server was running before Start

	mu      sync.Mutex
	stopped bool
}

// Start brings up the cluster in cfg.Dir: it creates it if needed, adopts a
// server that is still running there from an earlier run, or else starts
// one, and returns once the server accepts connections.
func Start(ctx context.Context, cfg Config) (*Cluster, error) {
	if cfg.Dir == "" {
		return nil, errors.New("no directory for the local PostgreSQL cluster")
	}
	if cfg.Port == systemPort {
		return nil, fmt.Errorf("port %d is left to the system's PostgreSQL; pick another or 0 for any", systemPort)
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("cluster directory: %w", err)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	c := &Cluster{dir: dir, log: log.With("pgdir", dir)}
	if c.account, err = serverUser(); err != nil {
		return nil, err
	}
	if err := c.prepareDir(); err != nil {
		return nil, err
	}
	if c.bin, err = FindBinaries(); err != nil {
		return nil, err
	}

	version, err := os.ReadFile(filepath.Join(c.dataDir(), "PG_VERSION"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := c.initdb(ctx, cfg.Fast); err != nil {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("read cluster version: %w", err)
	default:
		if c.bin, err = c.binariesFor(ctx, c.bin, strings.TrimSpace(string(version))); err != nil {
			return nil, err
		}
		if c.password, err = c.readPassword(); err != nil {
			return nil, err
		}
	}

	pf, running, err := c.runningServer()
	if err != nil {
		return nil, err
	}
	if running {
		return c.adopt(ctx, pf, cfg.Port)
	}

	port, picked, err := c.choosePort(cfg.Port)
	if err != nil {
		return nil, err
	}
	// A port we picked can be taken by someone else before the server binds
	// it; then pick again rather than fail.
	for attempt := 1; ; attempt++ {
		err = c.startServer(ctx, port, cfg.Fast)
		if err == nil || !picked || attempt == 3 || portFree(port) {
			break
		}
		c.log.Warn("port taken before the server could bind it, trying another", "port", port)
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, err
	}
	if err := c.waitReady(ctx); err != nil {
		return nil, errors.Join(err, c.Stop(context.WithoutCancel(ctx)))
	}
	return c, nil
}

// DSN returns a libpq key/value connection string for dbname, password
// included. It always uses TCP: the socket directory is private to the
// cluster, and TCP on 127.0.0.1 works the same for every OS user.
func (c *Cluster) DSN(dbname string) string {
	return fmt.Sprintf("host=127.0.0.1 port=%d user=%s password=%s dbname=%s sslmode=disable",
		c.port, superuser, quoteDSN(c.password), quoteDSN(dbname))
}

// Port is the TCP port the server listens on at 127.0.0.1.
func (c *Cluster) Port() int { return c.port }

// Dir is the root of the cluster's files.
func (c *Cluster) Dir() string { return c.dir }

// LogFile is the server's log, useful in error messages.
func (c *Cluster) LogFile() string { return filepath.Join(c.dir, "log", "postgres.log") }

// Adopted reports whether the server was already running when Start found
// it: left by an earlier run, or serving another process right now.
func (c *Cluster) Adopted() bool { return c.adopted }

// Stop shuts the server down with pg_ctl's fast mode, which disconnects
// clients and rolls back their transactions, and waits until it is gone.
// Stopping a stopped cluster does nothing.
func (c *Cluster) Stop(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return nil
	}
	if _, err := os.Stat(filepath.Join(c.dataDir(), "postmaster.pid")); errors.Is(err, fs.ErrNotExist) {
		// Stopped behind our back, e.g. by a second Cluster that adopted it.
		c.stopped = true
		return nil
	}
	out, err := c.command(ctx, c.bin, "pg_ctl", "stop", "-D", c.dataDir(), "-m", "fast", "-w",
		"-t", strconv.Itoa(int(startTimeout/time.Second))).CombinedOutput()
	if err != nil {
		return fmt.Errorf("stop PostgreSQL in %s: %w: %s", c.dir, err, strings.TrimSpace(string(out)))
	}
	c.stopped = true
	c.log.Info("PostgreSQL stopped", "port", c.port)
	return nil
}

func (c *Cluster) dataDir() string      { return filepath.Join(c.dir, "data") }
func (c *Cluster) runDir() string       { return filepath.Join(c.dir, "run") }
func (c *Cluster) passwordFile() string { return filepath.Join(c.dir, "password") }
func (c *Cluster) portFile() string     { return filepath.Join(c.dir, "port") }

// prepareDir creates the cluster's directory and, when the server runs as
// another user, hands it over. The data directory itself is left to initdb.
func (c *Cluster) prepareDir() error {
	// Parents must stay searchable for the server's user, Dir itself holds
	// the password and is private.
	if err := os.MkdirAll(filepath.Dir(c.dir), 0o755); err != nil {
		return fmt.Errorf("create cluster directory: %w", err)
	}
	if err := c.account.checkReachable(c.dir); err != nil {
		return err
	}
	for _, d := range []string{c.dir, c.runDir(), filepath.Dir(c.LogFile())} {
		if err := os.Mkdir(d, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("create cluster directory: %w", err)
		}
		if err := c.account.chown(d); err != nil {
			return err
		}
	}
	return nil
}

// initdb creates the cluster with a new random password for the superuser.
func (c *Cluster) initdb(ctx context.Context, fast bool) error {
	c.password = rand.Text()
	// The password is recorded before initdb: a cluster without it cannot
	// be used, while a password without a cluster is simply replaced.
	if err := os.WriteFile(c.passwordFile(), []byte(c.password+"\n"), 0o600); err != nil {
		return fmt.Errorf("write password file: %w", err)
	}
	// initdb reads the password from a file, which must be readable by the
	// user it runs as and must not outlive it.
	pw, err := os.CreateTemp(c.dir, ".pwfile-*")
	if err != nil {
		return fmt.Errorf("write initdb password file: %w", err)
	}
	defer os.Remove(pw.Name())
	_, err = io.WriteString(pw, c.password+"\n")
	if cerr := pw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write initdb password file: %w", err)
	}
	if err := c.account.chown(pw.Name()); err != nil {
		return err
	}

	c.log.Info("creating PostgreSQL cluster", "bin", c.bin)
	args := []string{"-D", c.dataDir(), "-U", superuser, "--pwfile=" + pw.Name(),
		"--auth=scram-sha-256", "--encoding=UTF8"}
	if fast {
		args = append(args, "--no-sync")
	}
	out, err := c.command(ctx, c.bin, "initdb", append(args, "--locale=C.UTF-8")...).CombinedOutput()
	if err != nil {
		// Rather than parse a possibly translated message, retry once
		// without a locale; initdb cleans up after a failure.
		c.log.Warn("initdb with locale C.UTF-8 failed, retrying without a locale", "output", tail(out, 10))
		out, err = c.command(ctx, c.bin, "initdb", append(args, "--no-locale")...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("initdb in %s: %w\n%s", c.dataDir(), err, tail(out, 20))
		}
	}
	return nil
}

func (c *Cluster) readPassword() (string, error) {
	b, err := os.ReadFile(c.passwordFile())
	if err != nil {
		return "", fmt.Errorf("read the cluster's password (without it the cluster cannot be used): %w", err)
	}
	pw := strings.TrimSpace(string(b))
	if pw == "" {
		return "", fmt.Errorf("password file %s is empty", c.passwordFile())
	}
	return pw, nil
}

// adopt takes over a server left running by an earlier run.
func (c *Cluster) adopt(ctx context.Context, pf pidFile, wantPort int) (*Cluster, error) {
	c.port = pf.port
	if c.port == 0 {
		recorded, err := c.recordedPort()
		if err != nil || recorded == 0 {
			return nil, fmt.Errorf("a server runs in %s (pid %d) but its port is unknown; stop it with pg_ctl stop -D %s",
				c.dataDir(), pf.pid, c.dataDir())
		}
		c.port = recorded
	}
	if wantPort != 0 && wantPort != c.port {
		c.log.Warn("server already running on another port, keeping it", "port", c.port, "requested", wantPort)
	}
	c.log.Info("reusing running PostgreSQL", "pid", pf.pid, "port", c.port)
	c.adopted = true
	if err := c.writePort(); err != nil {
		return nil, err
	}
	if err := c.waitReady(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// choosePort returns the port to start on and whether we picked it.
func (c *Cluster) choosePort(want int) (port int, picked bool, err error) {
	if want != 0 {
		return want, false, nil
	}
	// Keeping the port keeps connection strings that users copied working.
	recorded, err := c.recordedPort()
	if err != nil {
		c.log.Warn("ignoring unreadable port file", "err", err)
	}
	if recorded > 0 && recorded != systemPort && portFree(recorded) {
		return recorded, true, nil
	}
	port, err = freePort()
	return port, true, err
}

func (c *Cluster) recordedPort() (int, error) {
	b, err := os.ReadFile(c.portFile())
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

func (c *Cluster) writePort() error {
	if err := os.WriteFile(c.portFile(), []byte(strconv.Itoa(c.port)+"\n"), 0o644); err != nil {
		return fmt.Errorf("record port: %w", err)
	}
	return nil
}

// freePort asks the kernel for a free port on 127.0.0.1.
func freePort() (int, error) {
	for range 10 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("find a free port: %w", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if port != systemPort {
			return port, nil
		}
	}
	return 0, errors.New("find a free port: none found")
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// startServer writes the settings and starts the postmaster with pg_ctl.
func (c *Cluster) startServer(ctx context.Context, port int, fast bool) error {
	c.port = port
	if err := c.writeSettings(fast); err != nil {
		return err
	}
	c.rotateLog()
	c.log.Info("starting PostgreSQL", "port", port, "fast", fast)
	out, err := c.command(ctx, c.bin, "pg_ctl", "start", "-w", "-t", strconv.Itoa(int(startTimeout/time.Second)),
		"-D", c.dataDir(), "-l", c.LogFile()).CombinedOutput()
	if err != nil {
		return fmt.Errorf("start PostgreSQL in %s: %w\n%s\nserver log %s:\n%s",
			c.dir, err, strings.TrimSpace(string(out)), c.LogFile(), c.logTail())
	}
	return c.writePort()
}

// writeSettings writes the settings that must hold at every start and
// makes sure postgresql.conf includes them. Settings are kept in a file
// rather than passed with pg_ctl -o, which goes through a shell.
func (c *Cluster) writeSettings(fast bool) error {
	var b strings.Builder
	b.WriteString("# Written by luukku at every start; changes here are lost.\n")
	fmt.Fprintf(&b, "listen_addresses = '127.0.0.1'\nport = %d\n", c.port)
	// The socket directory stays inside Dir so that it never meets the
	// system's /var/run/postgresql. A path too long for a socket would
	// stop the server, and the DSN uses TCP anyway.
	sockDir := c.runDir()
	if !socketFits(sockDir, c.port) {
		c.log.Info("cluster directory too long for a unix socket, using TCP only")
		sockDir = ""
	}
	fmt.Fprintf(&b, "unix_socket_directories = %s\n", quoteConf(sockDir))
	if fast {
		b.WriteString("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n" +
			"shared_buffers = '64MB'\nmax_connections = 100\n")
	}
	path := filepath.Join(c.dataDir(), settingsFile)
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("write server settings: %w", err)
	}
	if err := c.account.chown(path); err != nil {
		return err
	}

	// The include is added on every start, not only after initdb, so that a
	// crash in between cannot leave a cluster that would try port 5432.
	conf := filepath.Join(c.dataDir(), "postgresql.conf")
	cur, err := os.ReadFile(conf)
	if err != nil {
		return fmt.Errorf("read server configuration: %w", err)
	}
	include := "include '" + settingsFile + "'"
	for line := range strings.Lines(string(cur)) {
		if strings.TrimSpace(line) == include {
			return nil
		}
	}
	f, err := os.OpenFile(conf, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("update server configuration: %w", err)
	}
	_, err = fmt.Fprintf(f, "\n# Settings managed by luukku.\n%s\n", include)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("update server configuration: %w", err)
	}
	return nil
}

func socketFits(dir string, port int) bool {
	return len(filepath.Join(dir, ".s.PGSQL."+strconv.Itoa(port))) <= maxSocketPath
}

// rotateLog sets a large server log aside; pg_ctl -l only ever appends.
func (c *Cluster) rotateLog() {
	fi, err := os.Stat(c.LogFile())
	if err != nil || fi.Size() < maxLogSize {
		return
	}
	if err := os.Rename(c.LogFile(), c.LogFile()+".old"); err != nil {
		c.log.Warn("could not set the server log aside", "err", err)
	}
}

// logTail returns the last lines of the server log for error messages.
func (c *Cluster) logTail() string {
	f, err := os.Open(c.LogFile())
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	defer f.Close()
	const size = 4 << 10
	if fi, err := f.Stat(); err == nil && fi.Size() > size {
		f.Seek(-size, io.SeekEnd)
	}
	b, _ := io.ReadAll(f)
	return tail(b, 20)
}

// waitReady connects until the server answers. pg_ctl -w has already waited
// for startup; this also proves that the password works, and covers an
// adopted server that may still be starting.
func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		err := c.ping(ctx)
		if err == nil {
			return nil
		}
		// Any answer but "starting up" will not change by waiting.
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code != "57P03" {
			return fmt.Errorf("connect to PostgreSQL on port %d: %w", c.port, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("PostgreSQL on port %d does not accept connections: %w\nserver log %s:\n%s",
				c.port, err, c.LogFile(), c.logTail())
		case <-tick.C:
		}
	}
}

func (c *Cluster) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.Ping(ctx)
}

// command prepares one of the server programs in binDir. It runs as the
// server's user, in Dir (the caller's working directory may be out of its
// reach), and in a process group of its own, so that a Ctrl-C on the
// terminal reaches only luukku, which then stops the server cleanly.
func (c *Cluster) command(ctx context.Context, binDir, prog string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, prog), args...)
	cmd.Dir = c.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.account.credential()}
	return cmd
}

// tail returns the last n lines of out.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// quoteDSN quotes a value for a key/value connection string.
func quoteDSN(s string) string {
	if s != "" && !strings.ContainsAny(s, " '\\\t\n") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(s) + "'"
}

// quoteConf quotes a string value for postgresql.conf.
func quoteConf(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `''`)
	return "'" + r.Replace(s) + "'"
}
