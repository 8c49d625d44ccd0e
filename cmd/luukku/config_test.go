package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeConfig writes a config file into a test's directory.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "luukku.conf")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// envOf is an environment of just these variables.
func envOf(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// parseServe parses serve's flags as serve does, with env in place of the
// process's environment.
func parseServe(t *testing.T, args []string, env map[string]string) (*serveConfig, error) {
	t.Helper()
	// dataFlag and definitionsFlag read their defaults from the process.
	t.Setenv("LUUKKU_DATA", "")
	t.Setenv("LUUKKU_DEFINITIONS", "")
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := serveFlags(fs)
	return c, parseSettings(fs, args, envOf(env))
}

// Flag beats environment beats file beats default, for each kind of flag.
func TestConfigPrecedence(t *testing.T) {
	file := writeConfig(t, "addr = 127.0.0.1:9000\ncache-mb = 64\nidle-timeout = 30m\ntrust-proxy = true\ndata = /srv/luukku\n")
	other := writeConfig(t, "cache-mb = 8\n")
	type want struct {
		addr       string
		cacheMB    int
		idle       time.Duration
		trustProxy bool
		data       string
		chosen     bool
	}
	defaults := want{addr: ":8080", cacheMB: 32, idle: 2 * time.Hour, data: "./.data"}
	fromFile := want{addr: "127.0.0.1:9000", cacheMB: 64, idle: 30 * time.Minute, trustProxy: true, data: "/srv/luukku", chosen: true}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want want
	}{
		{"defaults", nil, nil, defaults},
		{"file", []string{"--config", file}, nil, fromFile},
		{"file from LUUKKU_CONFIG", nil, map[string]string{"LUUKKU_CONFIG": file}, fromFile},
		{"--config beats LUUKKU_CONFIG", []string{"--config", other}, map[string]string{"LUUKKU_CONFIG": file},
			want{addr: ":8080", cacheMB: 8, idle: 2 * time.Hour, data: "./.data"}},
		{"environment beats file", []string{"--config", file},
			map[string]string{"LUUKKU_ADDR": ":7000", "LUUKKU_CACHE_MB": "16", "LUUKKU_IDLE_TIMEOUT": "1h", "LUUKKU_TRUST_PROXY": "false", "LUUKKU_DATA": "/env"},
			want{addr: ":7000", cacheMB: 16, idle: time.Hour, trustProxy: false, data: "/env", chosen: true}},
		{"an empty variable is unset", []string{"--config", file}, map[string]string{"LUUKKU_CACHE_MB": ""}, fromFile},
		{"flag beats environment and file",
			[]string{"--config", file, "--addr", ":6000", "--cache-mb", "0", "--idle-timeout", "5m", "--trust-proxy=false", "--data", "/flag"},
			map[string]string{"LUUKKU_ADDR": ":7000", "LUUKKU_CACHE_MB": "16", "LUUKKU_TRUST_PROXY": "true", "LUUKKU_DATA": "/env"},
			want{addr: ":6000", cacheMB: 0, idle: 5 * time.Minute, data: "/flag", chosen: true}},
		{"flag before --config still wins", []string{"--cache-mb", "1", "--config", file}, nil,
			want{addr: "127.0.0.1:9000", cacheMB: 1, idle: 30 * time.Minute, trustProxy: true, data: "/srv/luukku", chosen: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseServe(t, tt.args, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			got := want{addr: c.addr, cacheMB: c.cacheMB, idle: c.idle, trustProxy: c.trustProxy, data: c.data.path, chosen: c.data.chosen}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// Every value a file or the environment can hold reaches its flag.
func TestConfigEverySetting(t *testing.T) {
	file := writeConfig(t, `# /etc/luukku/luukku.conf
addr = 127.0.0.1:8080
data = /var/lib/luukku
definitions = /etc/luukku/definitions
database-url = postgres://luukku:salasana@db.example.fi/luukku?sslmode=verify-full
session-keys = a2V5LW9uZQ==,a2V5LXR3bw==
idle-timeout = 90m
session-lifetime = 8h
trust-proxy = true
frame-ancestors = "https://intra.example.fi https://tv.example.fi"
cache-mb = 64
oidc = /etc/luukku/oidc.yaml
`)
	c, err := parseServe(t, []string{"--config", file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := []any{c.addr, c.data.path, *c.definitions, c.databaseURL, c.sessionKeys, c.idle, c.lifetime, c.trustProxy, c.frameAncestors, c.cacheMB, c.oidc}
	want := []any{"127.0.0.1:8080", "/var/lib/luukku", "/etc/luukku/definitions",
		"postgres://luukku:salasana@db.example.fi/luukku?sslmode=verify-full", "a2V5LW9uZQ==,a2V5LXR3bw==",
		90 * time.Minute, 8 * time.Hour, true, "https://intra.example.fi https://tv.example.fi", 64, "/etc/luukku/oidc.yaml"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("setting %d = %v, want %v", i, got[i], want[i])
		}
	}
}

// Comments, blank lines, spaces, quotes, CRLF and a byte order mark.
func TestConfigFileSyntax(t *testing.T) {
	tests := []struct {
		name, text string
		want       []entry
	}{
		{"empty", "", nil},
		{"comments and blank lines", "# a comment\n\n   # indented comment\n\t\ncache-mb = 64\n", []entry{{"cache-mb", "64", 5}}},
		{"no spaces", "cache-mb=64", []entry{{"cache-mb", "64", 1}}},
		{"spaces around", "  addr   =   :8080   ", []entry{{"addr", ":8080", 1}}},
		{"empty value", "frame-ancestors =", []entry{{"frame-ancestors", "", 1}}},
		{"double quotes", `frame-ancestors = "https://a.fi https://b.fi"`, []entry{{"frame-ancestors", "https://a.fi https://b.fi", 1}}},
		{"single quotes keep spaces", `data = ' /srv/x '`, []entry{{"data", " /srv/x ", 1}}},
		{"unmatched quote kept", `data = "/srv/x`, []entry{{"data", `"/srv/x`, 1}}},
		{"= in the value", "database-url = postgres://h/db?sslmode=require", []entry{{"database-url", "postgres://h/db?sslmode=require", 1}}},
		{"# later in a line is the value's", "definitions = /srv/#1", []entry{{"definitions", "/srv/#1", 1}}},
		{"CRLF and a byte order mark", "\uFEFFaddr = :80\r\n# c\r\ncache-mb = 1\r\n", []entry{{"addr", ":80", 1}, {"cache-mb", "1", 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig(strings.NewReader(tt.text), "luukku.conf", settings())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("entry %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// A broken file or variable is an error naming the file and line or the
// variable, and never shows a secret.
func TestConfigErrors(t *testing.T) {
	const secret = "hunter2"
	tests := []struct {
		name, text string
		args       []string
		env        map[string]string
		want       string
	}{
		{"unknown key", "# c\naddr = :80\nadress = :80\n", nil, nil, `luukku.conf:3: unknown setting "adress" (known: addr, cache-mb,`},
		{"bad number", "cache-mb = lots\n", nil, nil, `luukku.conf:1: cache-mb = "lots": want a whole number`},
		{"bad duration", "\nidle-timeout = 2 hours\n", nil, nil, `luukku.conf:2: idle-timeout = "2 hours": want a duration`},
		{"bad bool", "trust-proxy = yes\n", nil, nil, `luukku.conf:1: trust-proxy = "yes": want true or false`},
		{"bad value overridden by a flag", "cache-mb = lots\n", []string{"--cache-mb", "8"}, nil, `luukku.conf:1: cache-mb = "lots"`},
		{"duplicate key", "cache-mb = 1\naddr = :80\ncache-mb = 2\n", nil, nil, `luukku.conf:3: cache-mb is set again (first on line 1)`},
		{"duplicate secret", "session-keys = " + secret + "\nsession-keys = " + secret + "\n", nil, nil, `luukku.conf:2: session-keys is set again (first on line 1)`},
		{"no =", "cache-mb 64\n", nil, nil, `luukku.conf:1: want a line name = value`},
		{"secret without its key", "postgres://luukku:" + secret + "@db/luukku?sslmode=require\n", nil, nil, `luukku.conf:1: want a line name = value`},
		{"an environment variable's name", "DATABASE_URL=postgres://luukku:" + secret + "@db/luukku\n", nil, nil, `luukku.conf:1: write database-url, the flag's name, not DATABASE_URL`},
		{"config in the file", "config = /etc/other.conf\n", nil, nil, `luukku.conf:1: unknown setting "config"`},
		{"bad environment", "", nil, map[string]string{"LUUKKU_CACHE_MB": "lots"}, `environment: LUUKKU_CACHE_MB="lots": want a whole number`},
		{"bad environment beside a good file", "cache-mb = 64\n", nil, map[string]string{"LUUKKU_SESSION_LIFETIME": "forever"}, `environment: LUUKKU_SESSION_LIFETIME="forever": want a duration`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.text)
			_, err := parseServe(t, append([]string{"--config", path}, tt.args...), tt.env)
			if err == nil {
				t.Fatal("no error")
			}
			want := strings.ReplaceAll(tt.want, "luukku.conf", path)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q\nwant  %q", err, want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}

// A file that --config or LUUKKU_CONFIG names must be there.
func TestConfigMissingFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nonexistent.conf")
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"--config", []string{"--config", missing}, nil},
		{"LUUKKU_CONFIG", nil, map[string]string{"LUUKKU_CONFIG": missing}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseServe(t, tt.args, tt.env)
			if err == nil || !strings.Contains(err.Error(), missing) || !errors.Is(err, os.ErrNotExist) {
				t.Errorf("err = %v, want one naming %s that does not exist", err, missing)
			}
		})
	}
}

// A file written for serve serves the commands that take fewer settings:
// they ignore serve's keys, yet still refuse keys no command has.
func TestConfigOtherCommands(t *testing.T) {
	t.Setenv("LUUKKU_DATA", "")
	serveFile := writeConfig(t, "addr = :80\nsession-keys = x\ncache-mb = 64\ndata = /srv/luukku\ndatabase-url = postgres://db/luukku\n")
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	data, dsn := databaseFlags(fs)
	if err := parseSettings(fs, []string{"--config", serveFile}, envOf(nil)); err != nil {
		t.Fatalf("migrate with serve's file: %v", err)
	}
	if data.path != "/srv/luukku" || !data.chosen || *dsn != "postgres://db/luukku" {
		t.Errorf("data %+v, database-url %q", *data, *dsn)
	}

	typo := writeConfig(t, "data = /srv/luukku\ncahce-mb = 64\n")
	fs = flag.NewFlagSet("migrate", flag.ContinueOnError)
	databaseFlags(fs)
	if err := parseSettings(fs, []string{"--config", typo}, envOf(nil)); err == nil || !strings.Contains(err.Error(), typo+`:2: unknown setting "cahce-mb"`) {
		t.Errorf("migrate with a misspelt key: %v", err)
	}
}

// The commands stop at a broken file before they start anything, and
// without --config or LUUKKU_CONFIG none is read.
func TestConfigCommandsFailEarly(t *testing.T) {
	t.Setenv(configEnv, "")
	log := slog.New(slog.DiscardHandler)
	bad := writeConfig(t, "cache-mb = lots\n")
	if err := run(context.Background(), []string{"serve", "--config", bad}, io.Discard, log); err == nil || !strings.Contains(err.Error(), bad+":1: cache-mb") {
		t.Errorf("serve with a bad value: %v", err)
	}
	// A key no command has stops every command, even those that do not
	// have serve's keys.
	unknown := writeConfig(t, "cache-mb = 64\nport = 80\n")
	for _, args := range [][]string{
		{"serve", "--config", unknown},
		{"migrate", "--config", unknown},
		{"demo", "--config", unknown},
		{"check", "--config", unknown},
		{"actions", "export", "--config", unknown},
	} {
		if err := run(context.Background(), args, io.Discard, log); err == nil || !strings.Contains(err.Error(), unknown+`:2: unknown setting "port"`) {
			t.Errorf("%v: %v", args, err)
		}
	}
}

// serve --help names every setting's variable once, and --config.
func TestConfigHelp(t *testing.T) {
	t.Setenv("LUUKKU_DATA", "")
	t.Setenv("LUUKKU_DEFINITIONS", "")
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var out strings.Builder
	fs.SetOutput(&out)
	serveFlags(fs)
	if err := parseSettings(fs, []string{"--help"}, envOf(nil)); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v", err)
	}
	help := out.String()
	for _, s := range settings() {
		if n := strings.Count(help, "env "+s.env+")"); n != 1 {
			t.Errorf("help names %s %d times:\n%s", s.env, n, help)
		}
	}
	for _, want := range []string{"-config file", "(env LUUKKU_CONFIG)", "the command line, the environment"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
}

// failing is a flag.Value that refuses every value, naming it in its error
// as some parsers do.
type failing struct{}

func (failing) String() string     { return "" }
func (failing) Set(v string) error { return errors.New("cannot use " + v) }

// A secret's value stays out of an error about it, whatever its flag's type.
func TestConfigSecretValueHidden(t *testing.T) {
	const value = "postgres://luukku:hunter2@db/luukku"
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Int("number", 0, "")
	fs.Var(failing{}, "other", "")
	for _, tt := range []struct {
		flag   string
		secret bool
		want   string
	}{
		{"number", true, `database-url = (value hidden): want a whole number`},
		{"other", true, `database-url = (value hidden): not accepted`},
		{"number", false, `database-url = "` + value + `": want a whole number`},
		{"other", false, `database-url = "` + value + `": cannot use ` + value},
	} {
		f := fs.Lookup(tt.flag)
		err := invalid("database-url = ", value, setting{secret: tt.secret}, f, f.Value.Set(value))
		if err.Error() != tt.want {
			t.Errorf("%s, secret %v: %q, want %q", tt.flag, tt.secret, err, tt.want)
		}
	}
}
