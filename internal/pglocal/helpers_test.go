package pglocal

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestFindBinariesOrder(t *testing.T) {
	fakeServer := func(t *testing.T, dir string, progs ...string) string {
		t.Helper()
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, p := range progs {
			if err := os.WriteFile(filepath.Join(dir, p), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	root := t.TempDir()
	full := fakeServer(t, filepath.Join(root, "full"), serverProgs...)
	partial := fakeServer(t, filepath.Join(root, "partial"), "initdb", "pg_ctl")
	lib := filepath.Join(root, "lib")
	fakeServer(t, filepath.Join(lib, "9.6", "bin"), serverProgs...)
	fakeServer(t, filepath.Join(lib, "15", "bin"), serverProgs...)
	fakeServer(t, filepath.Join(lib, "17", "bin"), "initdb") // incomplete: skipped
	fakeServer(t, filepath.Join(lib, "notes"))

	tests := []struct {
		name    string
		path    string
		lib     string
		want    string
		wantErr bool
	}{
		{"PATH first", partial + ":" + full, lib, full, false},
		{"highest complete version", partial, lib, filepath.Join(lib, "15", "bin"), false},
		{"nothing", partial, filepath.Join(root, "missing"), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := findBinaries(tt.path, tt.lib)
			if tt.wantErr {
				if !errors.Is(err, ErrNoServer) {
					t.Fatalf("err = %v, want ErrNoServer", err)
				}
				if !strings.Contains(err.Error(), "apt-get install postgresql") {
					t.Errorf("error %q does not say how to install the server", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("findBinaries = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestMajorVersion(t *testing.T) {
	tests := []struct {
		out  string
		want string
	}{
		{"pg_ctl (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n", "15"},
		{"pg_ctl (PostgreSQL) 17beta1\n", "17"},
		{"pg_ctl (PostgreSQL) 9.6.24\n", "9.6"},
		{"something else", ""},
	}
	for _, tt := range tests {
		got, err := majorVersion(tt.out)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("majorVersion(%q) = %q, %v; want %q", tt.out, got, err, tt.want)
		}
	}
}

func TestCanSearch(t *testing.T) {
	a := &serverAccount{name: "postgres", uid: 101, gid: 104, groups: []uint32{104, 110}}
	tests := []struct {
		name     string
		mode     fs.FileMode
		uid, gid uint32
		want     bool
	}{
		{"world searchable", fs.ModeDir | 0o755, 0, 0, true},
		{"root private", fs.ModeDir | 0o700, 0, 0, false},
		{"own private", fs.ModeDir | 0o700, 101, 0, true},
		{"owner bits win over other", fs.ModeDir | 0o607, 101, 0, false},
		{"primary group", fs.ModeDir | 0o750, 0, 104, true},
		{"supplementary group", fs.ModeDir | 0o710, 0, 110, true},
		{"group bits win over other", fs.ModeDir | 0o701, 0, 110, false},
		{"sticky tmp", fs.ModeDir | fs.ModeSticky | 0o777, 0, 0, true},
		{"not a directory", 0o755, 0, 0, false},
	}
	for _, tt := range tests {
		if got := a.canSearch(tt.mode, tt.uid, tt.gid); got != tt.want {
			t.Errorf("%s: canSearch(%v, %d, %d) = %v, want %v", tt.name, tt.mode, tt.uid, tt.gid, got, tt.want)
		}
	}
}

func TestParsePIDFile(t *testing.T) {
	tests := []struct {
		in      string
		want    pidFile
		wantErr bool
	}{
		{"4242\n/d/data\n1700000000\n54321\n/d/run\n127.0.0.1\n  1234 5\nready   \n", pidFile{pid: 4242, port: 54321}, false},
		{"-17\n/d/data\n", pidFile{pid: 17}, false},
		{"", pidFile{}, true},
		{"garbage\n", pidFile{}, true},
	}
	for _, tt := range tests {
		got, err := parsePIDFile([]byte(tt.in))
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("parsePIDFile(%q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestPostmasterOf(t *testing.T) {
	// A process named postgres, running in a chosen directory, passes for
	// a postmaster as far as /proc can tell.
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary")
	}
	bin, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	fake := filepath.Join(root, "postgres")
	if err := os.WriteFile(fake, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	data, other := filepath.Join(root, "data"), filepath.Join(root, "other")
	for _, d := range []string{data, other} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	fakePostmaster := func(dir string) int {
		cmd := exec.Command(fake, "60")
		cmd.Dir = dir
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Kill()
			cmd.Wait()
		})
		// Start returns once the exec has begun, a moment before the kernel
		// sets up the new program's arguments: until then the process's
		// command line reads empty.
		cmdline := fmt.Sprintf("/proc/%d/cmdline", cmd.Process.Pid)
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if b, err := os.ReadFile(cmdline); err == nil && len(b) > 0 {
				break
			}
		}
		return cmd.Process.Pid
	}

	tests := []struct {
		name string
		pid  int
		want bool
	}{
		{"not running", 1 << 30, false},
		{"not a postmaster", os.Getpid(), false},
		{"postmaster of another data directory", fakePostmaster(other), false},
		{"postmaster of this data directory", fakePostmaster(data), true},
	}
	for _, tt := range tests {
		ok, reason := postmasterOf(tt.pid, data)
		if ok != tt.want || (!ok && reason == "") {
			t.Errorf("%s: postmasterOf(%d) = %v, %q; want %v", tt.name, tt.pid, ok, reason, tt.want)
		}
	}
}

func TestSocketFits(t *testing.T) {
	tests := []struct {
		dir  string
		want bool
	}{
		{"/tmp/x/run", true},
		{"/" + strings.Repeat("d", 91), true},  // + "/.s.PGSQL.54321" = 107 bytes, the most that fits
		{"/" + strings.Repeat("d", 92), false}, // 108 bytes
		{"/" + strings.Repeat("d", 200), false},
	}
	for _, tt := range tests {
		if got := socketFits(tt.dir, 54321); got != tt.want {
			t.Errorf("socketFits(%d bytes) = %v, want %v", len(tt.dir), got, tt.want)
		}
	}
}

func TestQuoteDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "abc"},
		{"", "''"},
		{"a b", "'a b'"},
		{`it's`, `'it\'s'`},
		{`back\slash`, `'back\\slash'`},
	}
	for _, tt := range tests {
		if got := quoteDSN(tt.in); got != tt.want {
			t.Errorf("quoteDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// What pgx reads back must be the original value.
		cfg, err := pgx.ParseConfig("host=127.0.0.1 password=" + quoteDSN(tt.in))
		if err != nil {
			t.Errorf("parse %q: %v", tt.in, err)
			continue
		}
		if cfg.Password != tt.in {
			t.Errorf("pgx reads %q back as %q", tt.in, cfg.Password)
		}
	}
}

func TestDSN(t *testing.T) {
	c := &Cluster{port: 54321, password: "SECRET"}
	cfg, err := pgx.ParseConfig(c.DSN("luukku db"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "127.0.0.1" || cfg.Port != 54321 || cfg.User != "luukku" ||
		cfg.Password != "SECRET" || cfg.Database != "luukku db" || cfg.TLSConfig != nil {
		t.Errorf("DSN parses to host=%s port=%d user=%s password=%s dbname=%s tls=%v",
			cfg.Host, cfg.Port, cfg.User, cfg.Password, cfg.Database, cfg.TLSConfig != nil)
	}
}

func TestStartNoDir(t *testing.T) {
	if _, err := Start(context.Background(), Config{}); err == nil {
		t.Error("Start without a directory succeeded")
	}
	if _, err := Start(context.Background(), Config{Dir: t.TempDir(), Port: systemPort}); err == nil {
		t.Error("Start on port 5432 succeeded")
	}
}
