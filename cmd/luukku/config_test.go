package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
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
	// dataFlag reads its default from the process.
	t.Setenv("LUUKKU_DATA", "")
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := serveFlags(fs)
	_, err := parseSettings(fs, args, envOf(env), parseFlags)
	return c, err
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
	if _, err := parseSettings(fs, []string{"--config", serveFile}, envOf(nil), parseFlags); err != nil {
		t.Fatalf("migrate with serve's file: %v", err)
	}
	if data.path != "/srv/luukku" || !data.chosen || *dsn != "postgres://db/luukku" {
		t.Errorf("data %+v, database-url %q", *data, *dsn)
	}

	typo := writeConfig(t, "data = /srv/luukku\ncahce-mb = 64\n")
	fs = flag.NewFlagSet("migrate", flag.ContinueOnError)
	databaseFlags(fs)
	if _, err := parseSettings(fs, []string{"--config", typo}, envOf(nil), parseFlags); err == nil || !strings.Contains(err.Error(), typo+`:2: unknown setting "cahce-mb"`) {
		t.Errorf("migrate with a misspelt key: %v", err)
	}
}

// The commands stop at a broken file before they start anything, and
// without --config or LUUKKU_CONFIG none is read.
func TestConfigCommandsFailEarly(t *testing.T) {
	t.Setenv(configEnv, "")
	// Should a command get past its settings, it fails at once rather than
	// starting a cluster.
	t.Setenv("DATABASE_URL", unreachable("none"))
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
		{"actions", "import", "--config", unknown, "actions.csv"},
		{"users", "list", "--config", unknown},
		{"users", "add", "tekla", "--role", "viewer", "--config", unknown},
		{"users", "set-scope", "--config", unknown, "tekla", "sivistys"},
		{"import", "feedback", "palaute.csv", "--config", unknown},
		{"import", "contacts", "--config", unknown, "--dry-run", "yhteydenotot.csv"},
		{"import", "actions", "actions.csv", "--config", unknown},
		{"themes", "reclassify", "--config", unknown},
	} {
		if err := run(context.Background(), args, io.Discard, log); err == nil || !strings.Contains(err.Error(), unknown+`:2: unknown setting "port"`) {
			t.Errorf("%v: %v", args, err)
		}
	}
}

// serve --help names every setting's variable once, and --config.
func TestConfigHelp(t *testing.T) {
	t.Setenv("LUUKKU_DATA", "")
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var out strings.Builder
	fs.SetOutput(&out)
	serveFlags(fs)
	if _, err := parseSettings(fs, []string{"--help"}, envOf(nil), parseFlags); !errors.Is(err, flag.ErrHelp) {
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

// The commands that take positional arguments, users and import, take
// their settings as serve does, --config and settings flags standing
// before or after the arguments; themes too. A command without
// --definitions ignores the key as it ignores serve's.
func TestConfigUsersImportThemes(t *testing.T) {
	t.Setenv("LUUKKU_DATA", "") // dataFlag reads its default from the process
	// Only parseSettings reads the settings' variables: the process's
	// LUUKKU_DEFINITIONS is not the environment these tests give.
	t.Setenv("LUUKKU_DEFINITIONS", "/from/the/process")
	file := writeConfig(t, `addr = :80
cache-mb = 64
session-keys = x
data = /file/data
database-url = postgres://file/luukku
definitions = /file/definitions
`)
	other := writeConfig(t, "data = /other/data\n")
	type got struct {
		data        string
		chosen      bool
		databaseURL string
		definitions string // "-" for a command without --definitions
	}
	commands := []struct {
		name  string
		parse parseArgs
		// register registers the command's flags and returns what they
		// say once parsed.
		register func(*flag.FlagSet) func() got
		args     []string // around the settings: positional arguments and the command's own flags
		pos      []string
		defs     bool
	}{
		{"users add", parseInterspersed, func(fs *flag.FlagSet) func() got {
			c := usersFlags(fs)
			return func() got {
				if c.role != "unit_head" || c.units != "kaupunkiymparisto" {
					t.Errorf("users add: role %q, units %q", c.role, c.units)
				}
				return got{c.data.path, c.data.chosen, c.databaseURL, "-"}
			}
		}, []string{"tekla", "--role", "unit_head", "--unit", "kaupunkiymparisto"}, []string{"tekla"}, false},
		{"users set-scope", parseInterspersed, func(fs *flag.FlagSet) func() got {
			c := usersFlags(fs)
			return func() got { return got{c.data.path, c.data.chosen, c.databaseURL, "-"} }
		}, []string{"tekla", "sivistys", "kaupunkiymparisto"}, []string{"tekla", "sivistys", "kaupunkiymparisto"}, false},
		{"import feedback", parseInterspersed, func(fs *flag.FlagSet) func() got {
			c := importFlags(fs)
			return func() got {
				if !c.dryRun || c.profile != "open311" {
					t.Errorf("import feedback: dry run %v, profile %q", c.dryRun, c.profile)
				}
				return got{c.data.path, c.data.chosen, c.databaseURL, *c.definitions}
			}
		}, []string{"palaute.csv", "--dry-run", "--profile", "open311"}, []string{"palaute.csv"}, true},
		{"themes reclassify", parseFlags, func(fs *flag.FlagSet) func() got {
			c := themesFlags(fs)
			return func() got { return got{c.data.path, c.data.chosen, c.databaseURL, *c.definitions} }
		}, nil, nil, true},
	}
	tests := []struct {
		name string
		// settings go after the command's arguments, or before them
		// with first.
		settings []string
		first    bool
		flags    bool // and --data /flag/data --database-url postgres://flag/luukku [--definitions /flag/definitions]
		env      map[string]string
		want     got
	}{
		{name: "defaults", want: got{"./.data", false, "", ""}},
		{name: "file", settings: []string{"--config", file}, want: got{"/file/data", true, "postgres://file/luukku", "/file/definitions"}},
		{name: "--config before the arguments", settings: []string{"--config", file}, first: true,
			want: got{"/file/data", true, "postgres://file/luukku", "/file/definitions"}},
		{name: "file from LUUKKU_CONFIG", env: map[string]string{"LUUKKU_CONFIG": file},
			want: got{"/file/data", true, "postgres://file/luukku", "/file/definitions"}},
		{name: "--config beats LUUKKU_CONFIG", settings: []string{"--config", other}, env: map[string]string{"LUUKKU_CONFIG": file},
			want: got{"/other/data", true, "", ""}},
		{name: "environment beats file", settings: []string{"--config", file},
			env:  map[string]string{"LUUKKU_DATA": "/env/data", "DATABASE_URL": "postgres://env/luukku", "LUUKKU_DEFINITIONS": "/env/definitions"},
			want: got{"/env/data", true, "postgres://env/luukku", "/env/definitions"}},
		{name: "environment without a file", env: map[string]string{"DATABASE_URL": "postgres://env/luukku", "LUUKKU_DEFINITIONS": "/env/definitions"},
			want: got{"./.data", false, "postgres://env/luukku", "/env/definitions"}},
		{name: "flag beats environment and file", settings: []string{"--config", file}, flags: true,
			env:  map[string]string{"LUUKKU_DATA": "/env/data", "DATABASE_URL": "postgres://env/luukku", "LUUKKU_DEFINITIONS": "/env/definitions"},
			want: got{"/flag/data", true, "postgres://flag/luukku", "/flag/definitions"}},
		{name: "flag before the arguments beats the file", settings: []string{"--config", file}, flags: true, first: true,
			want: got{"/flag/data", true, "postgres://flag/luukku", "/flag/definitions"}},
	}
	for _, cmd := range commands {
		for _, tt := range tests {
			t.Run(cmd.name+"/"+tt.name, func(t *testing.T) {
				settings := tt.settings
				if tt.flags {
					settings = append(slices.Clone(settings), "--data", "/flag/data", "--database-url", "postgres://flag/luukku")
					if cmd.defs {
						settings = append(settings, "--definitions", "/flag/definitions")
					}
				}
				args := append(slices.Clone(cmd.args), settings...)
				if tt.first {
					args = append(slices.Clone(settings), cmd.args...)
				}
				fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
				fs.SetOutput(io.Discard)
				result := cmd.register(fs)
				pos, err := parseSettings(fs, args, envOf(tt.env), cmd.parse)
				if err != nil {
					t.Fatalf("%q: %v", args, err)
				}
				want := tt.want
				if !cmd.defs {
					want.definitions = "-"
				}
				if g := result(); g != want {
					t.Errorf("%q:\ngot  %+v\nwant %+v", args, g, want)
				}
				if !slices.Equal(pos, cmd.pos) {
					t.Errorf("%q: arguments %q, want %q", args, pos, cmd.pos)
				}
			})
		}
	}
}

// unreachable is the URL of a PostgreSQL that refuses at once, its
// database named name so that an error tells which URL was used.
func unreachable(name string) string {
	return "postgres://luukku@127.0.0.1:1/" + name + "?connect_timeout=5"
}

// users, import and themes open the database the settings name, given
// to openDatabase rather than through the process's environment, which
// they leave as it was.
func TestConfigDatabaseURLReachesTheDatabase(t *testing.T) {
	t.Setenv(configEnv, "")
	t.Setenv("LUUKKU_DATA", "")
	log := slog.New(slog.DiscardHandler)
	file := writeConfig(t, "database-url = "+unreachable("from_file")+"\n")
	contacts := filepath.Join(t.TempDir(), "contacts.csv")
	if err := os.WriteFile(contacts, []byte("day;unit;channel;contacts\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"users", "list"},
		{"users", "add", "tekla", "--role", "viewer"},
		{"import", "contacts", contacts},
		{"themes", "reclassify"},
	} {
		for _, tt := range []struct {
			name     string
			settings []string
			env      string
			want     string
		}{
			{"file", []string{"--config", file}, "", "from_file"},
			{"environment beats file", []string{"--config", file}, unreachable("from_env"), "from_env"},
			{"flag beats environment", []string{"--config", file, "--database-url", unreachable("from_flag")}, unreachable("from_env"), "from_flag"},
		} {
			t.Run(strings.Join(args[:2], " ")+"/"+tt.name, func(t *testing.T) {
				t.Setenv("DATABASE_URL", tt.env)
				err := run(context.Background(), append(slices.Clone(args), tt.settings...), io.Discard, log)
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("err = %v, want one naming the database %s", err, tt.want)
				}
				if got := os.Getenv("DATABASE_URL"); got != tt.env {
					t.Errorf("DATABASE_URL is now %q, was %q", got, tt.env)
				}
			})
		}
	}
}
