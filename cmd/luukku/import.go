package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/luukku-bi/luukku/internal/audit"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/ingest"
	"github.com/luukku-bi/luukku/internal/theme"
)

const importUsage = `luukku import feedback --profile NAME|FILE [--dry-run] [--skip-invalid [--rejects FILE]] FILE
luukku import open311  --profile NAME|FILE [--dry-run] [--skip-invalid [--rejects FILE]] requests.json
luukku import open311  --profile NAME|FILE --since 2026-01-01 [--until DAY] https://…/requests.json
                       (polls the server 90 days at a time, with extensions; one import)
luukku import contacts|finance|hr|survey [--dry-run] [--skip-invalid [--rejects FILE]] FILE
luukku import actions  FILE

contacts: day;unit;channel;contacts   finance: month;unit;account_group;budget;actual
hr: month;unit;headcount;fte;sick_leave_days;overtime_hours;leavers
survey: response_id;question;day;unit;channel;score (0–10);comment (scrubbed)
(or the Finnish names: päivä, yksikkö, kanava, yhteydenotot, kuukausi, tililuokka,
talousarvio, toteuma, henkilöstö, htv, sairauspoissaolopäivät, ylityötunnit, lähteneet;
units, channels and account groups by code or name).

A file goes in whole or not at all: with any bad row nothing is written and
every bad row is listed with its number, column and reason. --skip-invalid
imports the good rows and writes the bad ones to the rejects file. Importing
the same file again changes nothing. Like serve, import takes --config,
--data, --database-url and --definitions. Built-in profiles: `

// importConfig is what import is told, by flag, environment or config file.
type importConfig struct {
	data                                        *dataDir
	definitions                                 *string
	databaseURL, profile, since, until, rejects string
	dryRun, skipInvalid                         bool
}

// importFlags registers the flags of import; parseSettings adds the
// environment and the config file.
func importFlags(fs *flag.FlagSet) *importConfig {
	c := &importConfig{data: dataFlag(fs), definitions: definitionsFlag(fs)}
	databaseURLFlag(fs, &c.databaseURL)
	fs.StringVar(&c.profile, "profile", "", "the source system's profile: a built-in name or a YAML file")
	fs.BoolVar(&c.dryRun, "dry-run", false, "check every row and write nothing")
	fs.BoolVar(&c.skipInvalid, "skip-invalid", false, "import the good rows and leave out the bad ones")
	fs.StringVar(&c.since, "since", "", "open311 from a URL: the first day to fetch (YYYY-MM-DD)")
	fs.StringVar(&c.until, "until", "", "open311 from a URL: the last day to fetch (default today)")
	fs.StringVar(&c.rejects, "rejects", "", "with --skip-invalid: write the bad rows, with the reason, to this CSV file (default FILE.rejects.csv)")
	return c
}

// importCommand imports a file of one kind.
func importCommand(ctx context.Context, args []string, stdout io.Writer, log *slog.Logger) error {
	usage := importUsage + strings.Join(ingest.Profiles(), ", ")
	if len(args) == 0 {
		return errors.New("import: say what to import\n\n" + usage)
	}
	kind := args[0]
	fs := flag.NewFlagSet("import "+kind, flag.ContinueOnError)
	c := importFlags(fs)
	pos, err := parseSettings(fs, args[1:], os.Getenv, parseInterspersed)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("import %s: name one file\n\n%s", kind, usage)
	}
	if kind == "actions" {
		return importActions(ctx, pos[0], c.data, c.databaseURL, stdout, log)
	}
	_, isTable := ingest.Tables[kind]
	if kind != "feedback" && kind != "open311" && !isTable {
		return fmt.Errorf("import: unknown kind %q\n\n%s", kind, usage)
	}
	var profile *ingest.Profile
	if !isTable {
		if c.profile == "" {
			c.profile = map[string]string{"feedback": "palautejarjestelma", "open311": "open311"}[kind]
		}
		if profile, err = ingest.LoadProfile(c.profile); err != nil {
			return err
		}
	}
	path := pos[0]
	var rows ingest.Rows
	var size int64
	counted := &countingReader{}
	if kind == "open311" && (strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://")) {
		rows, err = pollRows(ctx, path, c.since, c.until)
	} else {
		f, openErr := os.Open(path)
		if openErr != nil {
			return openErr
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		counted.r = f
		rows, err = ingest.Open(kind, profile, counted, path)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	themes, err := theme.Load(*c.definitions)
	if err != nil {
		return err
	}
	opts := ingest.Options{DryRun: c.dryRun, SkipInvalid: c.skipInvalid, Themes: themes}
	if c.skipInvalid {
		if c.rejects == "" {
			c.rejects = path + ".rejects.csv"
		}
		rf, err := os.Create(c.rejects)
		if err != nil {
			return err
		}
		defer rf.Close()
		opts.Rejects = rf
	}
	db, err := openDatabase(ctx, c.data, c.databaseURL, log)
	if err != nil {
		return err
	}
	defer db.release(log)
	progress := newProgress(os.Stderr, size, counted)
	opts.Progress = progress.update
	report, err := ingest.Import(ctx, db.pool, kind, profile, rows, opts)
	progress.done()
	if report != nil {
		for _, p := range report.Problems {
			fmt.Fprintln(stdout, p.Error())
		}
		if report.MoreProblems > 0 {
			fmt.Fprintf(stdout, "… and %d more problems\n", report.MoreProblems)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	valid := report.Rows - report.Rejected
	switch {
	case c.dryRun:
		fmt.Fprintf(stdout, "%s: %d rows checked, %d valid, %d invalid; nothing written (dry run)\n", path, report.Rows, valid, report.Rejected)
	default:
		fmt.Fprintf(stdout, "%s: %d rows: %d new, %d updated, %d unchanged, %d rejected\n",
			path, report.Rows, report.Inserted, report.Updated, report.Unchanged, report.Rejected)
		if report.Rejected > 0 {
			fmt.Fprintf(stdout, "the rejected rows are in %s\n", c.rejects)
		}
		return audit.Record(ctx, db.pool, cliActor(), audit.Import, kind, fmt.Sprintf("%s: %d new, %d updated, %d unchanged, %d rejected",
			path, report.Inserted, report.Updated, report.Unchanged, report.Rejected))
	}
	return nil
}

// pollRows reads an Open311 server from since to until (days in
// Europe/Helsinki; until defaults to today).
func pollRows(ctx context.Context, base, since, until string) (ingest.Rows, error) {
	if since == "" {
		return nil, errors.New("give --since: the first day to fetch")
	}
	from, err := time.ParseInLocation(time.DateOnly, since, i18n.Helsinki())
	if err != nil {
		return nil, fmt.Errorf("--since: %w", err)
	}
	to := time.Now()
	if until != "" {
		if to, err = time.ParseInLocation(time.DateOnly, until, i18n.Helsinki()); err != nil {
			return nil, fmt.Errorf("--until: %w", err)
		}
		to = to.AddDate(0, 0, 1)
	}
	client := &http.Client{Timeout: 2 * time.Minute}
	return ingest.PollOpen311(ctx, client, base, from, to)
}

// countingReader counts the bytes read, for the progress line.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// progress is one line on the terminal: rows, rows per second, and, when
// the file's size is known, how far through and how long to go.
type progress struct {
	w     io.Writer
	size  int64
	read  *countingReader
	start time.Time
	shown bool
}

func newProgress(w io.Writer, size int64, read *countingReader) *progress {
	return &progress{w: w, size: size, read: read, start: time.Now()}
}

func (p *progress) update(rows int) {
	took := time.Since(p.start)
	if took < time.Second {
		return
	}
	rate := float64(rows) / took.Seconds()
	line := fmt.Sprintf("\r%d rows, %.0f rows/s", rows, rate)
	if p.size > 0 && p.read.n > 0 {
		done := float64(p.read.n) / float64(p.size)
		eta := time.Duration(float64(took) * (1 - done) / done).Round(time.Second)
		line += fmt.Sprintf(", %.0f %%, %s to go   ", 100*done, eta)
	}
	fmt.Fprint(p.w, line)
	p.shown = true
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprintln(p.w)
	}
}
