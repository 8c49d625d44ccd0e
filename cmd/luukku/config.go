package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// setting is something an installation configures once: a flag of one or
// more commands, which an environment variable and a line of the config
// file (keyed by the flag's name) may set too.
type setting struct {
	env string
	// secret values are never shown in an error.
	secret bool
}

// settings are every key a config file may hold, by flag name. A key of
// one command is accepted, and ignored, by the others, so that one file
// serves them all. A function rather than a package variable, so that
// nothing can change the table.
func settings() map[string]setting {
	return map[string]setting{
		"addr":             {env: "LUUKKU_ADDR"},
		"data":             {env: "LUUKKU_DATA"},
		"database-url":     {env: "DATABASE_URL", secret: true},
		"definitions":      {env: "LUUKKU_DEFINITIONS"},
		"session-keys":     {env: "LUUKKU_SESSION_KEYS", secret: true},
		"idle-timeout":     {env: "LUUKKU_IDLE_TIMEOUT"},
		"session-lifetime": {env: "LUUKKU_SESSION_LIFETIME"},
		"trust-proxy":      {env: "LUUKKU_TRUST_PROXY"},
		"frame-ancestors":  {env: "LUUKKU_FRAME_ANCESTORS"},
		"cache-mb":         {env: "LUUKKU_CACHE_MB"},
		"oidc":             {env: "LUUKKU_OIDC"},
		"chromium":         {env: "LUUKKU_CHROMIUM"},
		"prewarm":          {env: "LUUKKU_PREWARM"},
		"query-timeout":    {env: "LUUKKU_QUERY_TIMEOUT"},
	}
}

// configEnv names the config file when --config does not.
const configEnv = "LUUKKU_CONFIG"

// parseSettings parses a command's args into fs with parse, adding
// --config, and returns the positional arguments. Each setting flag takes
// the first of: the command line, its environment variable, the config
// file, the flag's default. Without --config or LUUKKU_CONFIG no file is
// read.
func parseSettings(fs *flag.FlagSet, args []string, getenv func(string) string, parse parseArgs) ([]string, error) {
	known := settings()
	describe(fs, known)
	fs.Usage = settingsUsage(fs)
	file := fs.String("config", "", "read settings from this `file`: lines name = value, a name being one of the flags marked (env …) (env "+configEnv+")")
	// The command line is parsed first to find --config, and again last
	// so that it beats the file and the environment.
	if _, err := parse(fs, args); err != nil {
		return nil, err
	}
	path := *file
	if path == "" {
		path = getenv(configEnv)
	}
	if path != "" {
		if err := applyFile(fs, path, known); err != nil {
			return nil, err
		}
	}
	if err := applyEnv(fs, known, getenv); err != nil {
		return nil, err
	}
	return parse(fs, args)
}

// parseArgs reads a command line into fs and returns its positional
// arguments: parseFlags or parseInterspersed.
type parseArgs func(fs *flag.FlagSet, args []string) ([]string, error)

// parseFlags parses flags that come before the positional arguments, as
// the flag package does.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return fs.Args(), nil
}

// parseInterspersed parses flags wherever they stand among the positional
// arguments, as in  users add maija --role viewer.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
}

// describe adds each setting flag's environment variable to its help,
// unless the help names it already.
func describe(fs *flag.FlagSet, known map[string]setting) {
	fs.VisitAll(func(f *flag.Flag) {
		if s, ok := known[f.Name]; ok && !strings.Contains(f.Usage, s.env) {
			f.Usage += " (env " + s.env + ")"
		}
	})
}

// settingsUsage is the --help of a command that takes settings.
func settingsUsage(fs *flag.FlagSet) func() {
	return func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage of luukku %s:\n", fs.Name())
		fs.PrintDefaults()
		fmt.Fprintf(out, "\nA flag marked (env NAME) takes the first of: the command line, the environment\n"+
			"variable NAME, a line flag-name = value in the --config file (or %s), the default.\n", configEnv)
	}
}

// applyFile sets fs's flags from the config file at path. Every line is
// checked, even one that a flag or the environment will override, so that
// a broken file shows at once rather than when the override goes.
func applyFile(fs *flag.FlagSet, path string, known map[string]setting) error {
	entries, err := readConfig(path, known)
	if err != nil {
		return err
	}
	for _, e := range entries {
		f := fs.Lookup(e.key)
		if f == nil {
			continue // another command's setting
		}
		if err := fs.Set(e.key, e.value); err != nil {
			return fmt.Errorf("%s:%d: %w", path, e.line, invalid(e.key+" = ", e.value, known[e.key], f, err))
		}
	}
	return nil
}

// applyEnv sets fs's flags from their environment variables; an empty
// variable counts as unset.
func applyEnv(fs *flag.FlagSet, known map[string]setting, getenv func(string) string) error {
	for _, name := range slices.Sorted(maps.Keys(known)) {
		s := known[name]
		f, v := fs.Lookup(name), getenv(s.env)
		if f == nil || v == "" {
			continue
		}
		if err := fs.Set(name, v); err != nil {
			return fmt.Errorf("environment: %w", invalid(s.env+"=", v, s, f, err))
		}
	}
	return nil
}

// invalid says what is wrong with a flag's value, showing the value
// unless it is secret.
func invalid(label, value string, s setting, f *flag.Flag, err error) error {
	shown := strconv.Quote(value)
	if s.secret {
		shown = "(value hidden)"
	}
	var want string
	if g, ok := f.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case bool:
			want = "true or false"
		case int, int64:
			want = "a whole number"
		case time.Duration:
			want = "a duration such as 90m or 2h"
		}
	}
	if want == "" {
		if s.secret {
			return fmt.Errorf("%s%s: not accepted", label, shown)
		}
		return fmt.Errorf("%s%s: %w", label, shown, err)
	}
	return fmt.Errorf("%s%s: want %s", label, shown, want)
}

// entry is one setting of a config file.
type entry struct {
	key, value string
	line       int
}

// readConfig reads the config file at path.
func readConfig(path string, known map[string]setting) ([]entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	return parseConfig(f, path, known)
}

// parseConfig reads lines of key = value, named name in errors. Blank
// lines and lines starting with # are skipped; a # later in a line is
// part of the value. A value in matching double or single quotes loses
// them, to keep spaces at its ends.
func parseConfig(r io.Reader, name string, known map[string]setting) ([]entry, error) {
	var entries []entry
	first := map[string]int{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		// A byte order mark: the file was saved by a Windows editor.
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF"))
		if line == "" || line[0] == '#' {
			continue
		}
		e, err := parseLine(line, known)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		if at, seen := first[e.key]; seen {
			return nil, fmt.Errorf("%s:%d: %s is set again (first on line %d)", name, n, e.key, at)
		}
		e.line, first[e.key] = n, n
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return entries, nil
}

// parseLine reads one key = value line.
func parseLine(line string, known map[string]setting) (entry, error) {
	key, value, ok := strings.Cut(line, "=")
	key = strings.TrimSpace(key)
	if ok {
		for name, s := range known {
			if key == s.env {
				return entry{}, fmt.Errorf("write %s, the flag's name, not %s", name, key)
			}
		}
	}
	if !ok || !isKey(key) {
		// The line itself is not shown: it may be a secret that lost its key.
		return entry{}, errors.New("want a line name = value, with a flag's name such as cache-mb")
	}
	if _, ok := known[key]; !ok {
		return entry{}, fmt.Errorf("unknown setting %q (known: %s)", key, strings.Join(slices.Sorted(maps.Keys(known)), ", "))
	}
	return entry{key: key, value: unquote(strings.TrimSpace(value))}, nil
}

// isKey reports whether s looks like a flag's name.
func isKey(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// unquote strips one pair of matching quotes around s.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
