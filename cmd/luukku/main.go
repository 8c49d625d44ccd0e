// Command luukku is the Luukku BI dashboard server and its tools.
//
//	luukku serve    serve the dashboards (default)
//	luukku migrate  bring the database schema up to date
//	luukku demo     load the demo municipality Esimerkkilä
//	luukku actions  export and import the development actions as CSV
//	luukku import   import feedback (CSV, XLSX, Open311) and actions
//	luukku users    add and change accounts
//	luukku check    validate the dashboards and plan every query
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `Luukku — dashboards for a municipality's feedback, service, finance and staff.

Usage:
  luukku serve   [--config FILE] [--addr :8080] [--data ./.data] [--definitions DIR]
                                                   serve the dashboards; every flag:
                                                   luukku serve --help
  luukku migrate [--config FILE] [--data ./.data]  bring the schema up to date
  luukku demo    [--data ./.data] [--feedback N] [--seed N] [--until YYYY-MM-DD]
                                                   load the demo city Esimerkkilä
  luukku actions export [--data ./.data] > actions.csv
  luukku actions import [--data ./.data] actions.csv
                                                   the development actions as a spreadsheet:
                                                   export, edit, import (all rows or none)
  luukku import feedback|open311 [--profile NAME|FILE] [--dry-run] [--skip-invalid] FILE
  luukku import actions FILE
                                                   import a source system's export: all rows or
                                                   none, personal data scrubbed, again = no change
  luukku users list | add USERNAME --role ROLE [--unit CODE,...] [--name NAME]
               | set-role USERNAME ROLE | set-scope USERNAME UNIT... | disable USERNAME
               | enable USERNAME | reset-password USERNAME [--password-stdin]
                                                   accounts; every change is audited
  luukku themes reclassify [--definitions DIR]    apply themes.yaml (built in, or DIR's) to all
                                                   stored feedback
  luukku bench   [--rows 1000000] [--sizes 100k,1m,10m] [--out bench/results.json]
                                                   measure on a throw-away cluster: importing feedback
  luukku check   [--data ./.data] [--definitions DIR]
                                                   validate dashboards and queries, plan every
                                                   query against the schema (exit 1 on problems)

Configuration:
  every command but bench takes --config FILE (or LUUKKU_CONFIG):
  lines  flag-name = value  such as  cache-mb = 64, # starting a comment line.
  Without either, no file is read. A setting takes the first of: its flag,
  its environment variable, the file, the built-in default. A key another
  command takes is ignored; a key no command takes is an error.

Environment:
  DATABASE_URL   PostgreSQL to use (--database-url); without it Luukku runs a
                 private cluster of its own under <data>/pg
  LUUKKU_DATA    default for --data
  LUUKKU_DEFINITIONS  default for --definitions: a directory with dashboards/*.yaml
                 and queries/*.sql that replace built-in files of the same name
                 or add new ones; serve reloads them when they change
  LUUKKU_ADMIN_PASSWORD  the first admin's password on a new installation
                 (default: a random one, printed once)
  LUUKKU_ADDR, LUUKKU_SESSION_KEYS, LUUKKU_IDLE_TIMEOUT, LUUKKU_SESSION_LIFETIME,
  LUUKKU_TRUST_PROXY, LUUKKU_FRAME_ANCESTORS, LUUKKU_CACHE_MB, LUUKKU_OIDC
                 see luukku serve --help
`

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, log); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "luukku:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, log)
	case "migrate":
		return migrate(ctx, args, log)
	case "demo":
		return loadDemo(ctx, args, stdout, log)
	case "check":
		return check(ctx, args, stdout, log)
	case "actions":
		return actionsCommand(ctx, args, stdout, log)
	case "import":
		return importCommand(ctx, args, stdout, log)
	case "users":
		return usersCommand(ctx, args, os.Stdin, stdout, log)
	case "themes":
		return themesCommand(ctx, args, stdout, log)
	case "bench":
		return benchCommand(ctx, args, stdout, log)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

const (
	defaultDataDir = "./.data"
	// fallbackDataDir serves root's `make run` from a clone that the
	// postgres user cannot enter, such as one under /root.
	fallbackDataDir = "/var/lib/luukku"
)

// dataDir is the --data flag: the directory and whether the user chose it.
type dataDir struct {
	path   string
	chosen bool
}

func (d *dataDir) String() string { return d.path }
func (d *dataDir) Set(s string) error {
	d.path, d.chosen = s, true
	return nil
}

// dataFlag registers --data; parseSettings adds LUUKKU_DATA and the
// config file.
func dataFlag(fs *flag.FlagSet) *dataDir {
	d := &dataDir{path: defaultDataDir}
	fs.Var(d, "data", "data directory; the private PostgreSQL lives in <data>/pg")
	return d
}
