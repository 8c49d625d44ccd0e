package ingest

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/theme"
)

// Options change how a file is imported.
type Options struct {
	// DryRun checks every row and writes nothing.
	DryRun bool
	// SkipInvalid imports the good rows and leaves out the bad ones, which
	// go to Rejects (as they were, with the reason) when it is set.
	SkipInvalid bool
	Rejects     io.Writer
	// Progress, when set, hears how many rows have been read, now and then.
	Progress func(rows int)
	// Themes classify feedback; nil means the built-in ones.
	Themes *theme.Set
}

// Report says what an import did, or would have done.
type Report struct {
	Rows      int // rows read, good and bad
	Inserted  int
	Updated   int
	Unchanged int
	Rejected  int
	// Read is the time spent reading, checking and copying the rows into
	// the staging table; Merge the time writing them into the table.
	Read, Merge time.Duration
	// Problems lists the bad rows' problems, the first maxProblems of
	// them; MoreProblems counts the rest.
	Problems     []Problem
	MoreProblems int
}

// maxProblems bounds the problems a report lists, so that a file of a
// million bad rows does not make a report of a million lines.
const maxProblems = 1000

// ErrInvalid means the file had bad rows and nothing was imported.
var ErrInvalid = errors.New("the file has invalid rows: nothing was imported")

func (r *Report) add(ps ...Problem) {
	for _, p := range ps {
		if len(r.Problems) < maxProblems {
			r.Problems = append(r.Problems, p)
		} else {
			r.MoreProblems++
		}
	}
}

// copySource streams the converted rows of a file into COPY; bad rows are
// recorded and left out, in the file's order. Rows are read on one
// goroutine and converted (checked, scrubbed, classified: most of an
// import's own time) by one worker per CPU, a batch at a time; the
// batches come back in order, so reports and rejects files are the same
// as a single goroutine's.
type copySource struct {
	rows    Rows
	convert func(Record) ([]any, []Problem)
	report  *Report
	opts    Options
	rejects *csv.Writer
	tally   *tally // of the copied rows, when the table is counted ahead
	keys    keyHashes
	current []any
	err     error

	ordered chan *batch   // batches in the file's order, converted or not yet
	stop    chan struct{} // closed when COPY ends, early or not
	batch   *batch        // the one being handed out
	next    int           // its next record
}

// batch is a run of records and what became of them.
type batch struct {
	recs     []Record
	read     []*Problem // a record the reader could not read as a row
	rows     [][]any
	problems [][]Problem
	err      error         // reading failed: the batch ends there
	done     chan struct{} // closed when converted
}

const batchSize = 256

// start runs the reader and the workers until the file ends or stop closes.
func (s *copySource) start() {
	workers := runtime.GOMAXPROCS(0)
	s.ordered = make(chan *batch, 2*workers)
	s.stop = make(chan struct{})
	work := make(chan *batch, 2*workers)
	for range workers {
		go func() {
			for b := range work {
				b.rows, b.problems = make([][]any, len(b.recs)), make([][]Problem, len(b.recs))
				for i, rec := range b.recs {
					if b.read[i] == nil {
						b.rows[i], b.problems[i] = s.convert(rec)
					}
				}
				close(b.done)
			}
		}()
	}
	go func() {
		defer close(work)
		defer close(s.ordered)
		for {
			b := &batch{done: make(chan struct{})}
			for len(b.recs) < batchSize {
				rec, err := s.rows.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				var p *Problem
				if err != nil && !errors.As(err, &p) {
					b.err = err
					break
				}
				b.recs, b.read = append(b.recs, rec), append(b.read, p)
			}
			select {
			case s.ordered <- b:
			case <-s.stop:
				return
			}
			select {
			case work <- b:
			case <-s.stop:
				return
			}
			if len(b.recs) < batchSize {
				return
			}
		}
	}()
}

// close ends the reader and the workers, when COPY stops early too.
func (s *copySource) close() {
	if s.stop != nil {
		close(s.stop)
	}
}

func (s *copySource) Next() bool {
	if s.ordered == nil {
		s.start()
	}
	for {
		if s.batch == nil || s.next == len(s.batch.recs) {
			if s.batch != nil && s.batch.err != nil {
				s.err = s.batch.err
				return false
			}
			b, ok := <-s.ordered
			if !ok {
				return false
			}
			<-b.done
			s.batch, s.next = b, 0
			continue
		}
		b, i := s.batch, s.next
		s.next++
		s.report.Rows++
		if s.opts.Progress != nil && s.report.Rows%10_000 == 0 {
			s.opts.Progress(s.report.Rows)
		}
		switch {
		case b.read[i] != nil:
			s.reject(b.recs[i], []Problem{*b.read[i]})
		case len(b.problems[i]) > 0:
			s.reject(b.recs[i], b.problems[i])
		default:
			s.current = b.rows[i]
			b.rows[i] = nil
			if s.tally != nil {
				s.tally.add(s.current)
			}
			s.keys.add(s.current)
			return true
		}
	}
}

func (s *copySource) reject(rec Record, problems []Problem) {
	s.report.Rejected++
	s.report.add(problems...)
	if s.rejects == nil {
		return
	}
	if s.report.Rejected == 1 {
		s.rejects.Write(append([]string{"row", "problem"}, s.rows.Columns()...))
	}
	line := []string{strconv.Itoa(rec.Row), problems[0].Error()}
	for _, c := range s.rows.Columns() {
		line = append(line, rec.Fields[c])
	}
	s.rejects.Write(line)
}

func (s *copySource) Values() ([]any, error) { return s.current, nil }
func (s *copySource) Err() error             { return s.err }

// target is where a kind of file goes: how its rows are checked, the
// staging table they are copied into, the key that must be unique within
// a file, and the merge into the real table, which returns how many rows
// it inserted and updated.
type target struct {
	prepare func(ctx context.Context, tx pgx.Tx) (convert func(Record) ([]any, []Problem), err error)
	staging string // CREATE TEMP TABLE staging (row_no int, ...) ON COMMIT DROP
	columns []string
	key     []string
	merge   string
	// fresh, if set, says whether none of the file's keys can be in the
	// table yet (a source's first import), and takes a lock that keeps it
	// so until the import ends; insert then adds the rows without the
	// merge's search for each one's match, a fifth of a large merge.
	fresh  func(ctx context.Context, tx pgx.Tx) (bool, error)
	insert string
	refs   []reference // the foreign keys of the staging table's columns
	// days, when the table is counted ahead, returns the first and last
	// day the import may change: of its rows, and of the stored rows it
	// may update; recount counts those days again ($1 and $2).
	days, recount string
	// afterCount, if any, runs once the counts are up to date.
	afterCount string
	// tally says the rows are feedback, tallied into feedback_count's rows
	// as they are copied: an import of only new rows adds the tally
	// rather than counting its days again.
	tally bool
}

// reference is a staging column whose values must exist as key in table.
type reference struct{ column, table, key string }

// Feedback imports the rows into feedback in one transaction: every row
// is checked and scrubbed, the good ones are copied into a staging table,
// and, unless a row was bad (and SkipInvalid not given), merged into
// feedback by (source, source_id): new ids are added, changed rows
// updated, the same rows left as they are. Then the data version goes up.
// A failure or a kill at any point leaves the database as it was.
func Feedback(ctx context.Context, pool *pgxpool.Pool, rows Rows, p *Profile, opts Options) (*Report, error) {
	return load(ctx, pool, rows, opts, target{
		prepare: func(ctx context.Context, tx pgx.Tx) (func(Record) ([]any, []Problem), error) {
			conv, err := newConverter(ctx, tx, p, isWorkbook(rows), opts.Themes)
			if err != nil {
				return nil, err
			}
			return conv.convert, checkColumns(rows, p)
		},
		staging: stagingSQL, columns: stagingColumns, key: []string{"source_id"}, merge: mergeSQL,
		fresh:  func(ctx context.Context, tx pgx.Tx) (bool, error) { return freshSource(ctx, tx, p.Source) },
		insert: insertSQL,
		refs:   []reference{{"unit_id", "org_unit", "id"}, {"channel_id", "channel", "id"}},
		days:   daysSQL, recount: `SELECT refresh_feedback_counts($1, $2)`,
		// Feedback moves the windows of the development actions and what they hold.
		afterCount: `SELECT refresh_action_effects()`,
		tally:      true,
	})
}

func load(ctx context.Context, pool *pgxpool.Pool, rows Rows, opts Options, t target) (*Report, error) {
	report := &Report{}
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		convert, err := t.prepare(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, t.staging); err != nil {
			return fmt.Errorf("staging table: %w", err)
		}
		src := &copySource{rows: rows, convert: convert, report: report, opts: opts, keys: newKeyHashes(t.columns, t.key)}
		if t.tally {
			if src.tally, err = newTally(ctx, tx); err != nil {
				return err
			}
		}
		defer src.close()
		if opts.Rejects != nil && opts.SkipInvalid {
			src.rejects = csv.NewWriter(opts.Rejects)
			src.rejects.Comma = ';'
			defer src.rejects.Flush()
		}
		start := time.Now()
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"staging"}, t.columns, src); err != nil {
			if src.err != nil { // the file, not the database, failed
				return src.err
			}
			return fmt.Errorf("copy rows: %w", err)
		}
		report.Read = time.Since(start)
		start = time.Now()
		defer func() { report.Merge = time.Since(start) }()
		if src.keys.repeated() {
			if err := duplicates(ctx, tx, t.key, report); err != nil {
				return err
			}
		}
		if report.Rejected > 0 && !opts.SkipInvalid {
			return ErrInvalid
		}
		if opts.DryRun {
			return errDryRun
		}
		fresh := false
		if t.fresh != nil {
			if fresh, err = t.fresh(ctx, tx); err != nil {
				return err
			}
		}
		var first, last *time.Time
		if t.days != "" {
			if err := tx.QueryRow(ctx, t.days).Scan(&first, &last); err != nil {
				return fmt.Errorf("days of the import: %w", err)
			}
		}
		checked, err := checkReferences(ctx, tx, t.refs)
		if err != nil {
			return err
		}
		if fresh {
			tag, err := tx.Exec(ctx, t.insert)
			if err != nil {
				return fmt.Errorf("insert rows: %w", err)
			}
			report.Inserted = int(tag.RowsAffected())
		} else if err := tx.QueryRow(ctx, t.merge).Scan(&report.Inserted, &report.Updated); err != nil {
			return fmt.Errorf("merge rows: %w", err)
		}
		if checked {
			if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = origin`); err != nil {
				return fmt.Errorf("foreign keys back on: %w", err)
			}
		}
		report.Unchanged = report.Rows - report.Rejected - report.Inserted - report.Updated
		if report.Inserted+report.Updated > 0 {
			switch {
			case src.tally != nil && report.Inserted == report.Rows:
				if err := src.tally.addTo(ctx, tx); err != nil {
					return err
				}
			case first != nil:
				if _, err := tx.Exec(ctx, t.recount, *first, *last); err != nil {
					return fmt.Errorf("count the days of the import: %w", err)
				}
			}
			if t.afterCount != "" {
				if _, err := tx.Exec(ctx, t.afterCount); err != nil {
					return fmt.Errorf("count from the counts: %w", err)
				}
			}
			if _, err := tx.Exec(ctx, `UPDATE data_version SET version = version + 1, updated_at = now()`); err != nil {
				return fmt.Errorf("bump data version: %w", err)
			}
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return report, err
}

var errDryRun = errors.New("dry run")

// checkReferences does for the whole staging table at once what the
// foreign keys' triggers would do for every merged row: it takes a key
// share lock on each referenced row, so that none can be deleted before
// the import commits, and makes sure every reference exists. It then turns
// the triggers off for the rest of the transaction (until the caller sets
// session_replication_role back): checked row by row they are half of a
// large merge. That needs a superuser, which the private cluster's role
// is; for any other role it does nothing and reports false, and the
// triggers check each row as usual. No table an import writes has
// triggers of its own that this would skip (TestOnlyForeignKeyTriggers).
func checkReferences(ctx context.Context, tx pgx.Tx, refs []reference) (bool, error) {
	var super bool
	if err := tx.QueryRow(ctx, `SELECT current_setting('is_superuser') = 'on'`).Scan(&super); err != nil {
		return false, fmt.Errorf("role: %w", err)
	}
	if !super || len(refs) == 0 {
		return false, nil
	}
	for _, r := range refs {
		var missing []string
		err := tx.QueryRow(ctx, fmt.Sprintf(`WITH locked AS (
				SELECT %[3]s AS key FROM %[2]s WHERE %[3]s IN (SELECT %[1]s FROM staging) FOR KEY SHARE)
			SELECT coalesce(array_agg(DISTINCT s.%[1]s::text), '{}') FROM staging s
			WHERE NOT EXISTS (SELECT FROM locked l WHERE l.key = s.%[1]s)`,
			r.column, r.table, r.key)).Scan(&missing)
		if err != nil {
			return false, fmt.Errorf("check %s: %w", r.table, err)
		}
		if len(missing) > 0 {
			// The references were looked up when the import began; only a
			// deletion since then leaves one dangling.
			return false, fmt.Errorf("%s %s removed during the import", r.table, strings.Join(missing, ", "))
		}
	}
	if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
		return false, fmt.Errorf("foreign keys checked: %w", err)
	}
	return true, nil
}

func isWorkbook(r Rows) bool { _, ok := r.(*xlsxRows); return ok }

// checkColumns refuses a file that lacks a column the profile names: every
// row would fail the same way.
func checkColumns(rows Rows, p *Profile) error {
	have := map[string]bool{}
	for _, c := range rows.Columns() {
		have[c] = true
	}
	c := p.Columns
	var missing []string
	var named []string
	for _, col := range []string{c.ID, c.Channel, c.Platform, c.Unit, c.Received, c.FirstResponse, c.Resolved,
		c.Status, c.Kind, c.Title, c.Text, c.Reply, c.Lat, c.Lon} {
		if col == "" {
			continue
		}
		named = append(named, col)
		if !have[col] {
			missing = append(missing, col)
		}
	}
	switch {
	case len(missing) > 0 && len(missing) == len(named):
		// Not one column matches: the first line may be data, which a
		// report must never quote.
		return &Problem{Row: 1, Reason: i18n.Msg("ingest.noheader.profile", p.Name, missing)}
	case len(missing) > 0:
		return &Problem{Row: 1, Reason: i18n.Msg("ingest.columns.profile", missing, p.Name, rows.Columns())}
	}
	return nil
}

// keyHashes are the hashes of the copied rows' keys: when no two are the
// same, no key is twice in the file, and the search for duplicates in the
// staging table (a second on a large file) can be left out. Eight bytes a
// row, rather than the keys themselves.
type keyHashes struct {
	seed   maphash.Seed
	at     []int // the key's columns in a row
	hashes []uint64
}

func newKeyHashes(columns, key []string) keyHashes {
	h := keyHashes{seed: maphash.MakeSeed()}
	for _, k := range key {
		h.at = append(h.at, slices.Index(columns, k))
	}
	return h
}

func (h *keyHashes) add(row []any) {
	var m maphash.Hash
	m.SetSeed(h.seed)
	for _, i := range h.at {
		if s, ok := row[i].(string); ok {
			m.WriteString(s)
		} else {
			fmt.Fprint(&m, row[i])
		}
		m.WriteByte(0)
	}
	h.hashes = append(h.hashes, m.Sum64())
}

// repeated reports whether two keys may be the same.
func (h *keyHashes) repeated() bool {
	slices.Sort(h.hashes)
	for i := 1; i < len(h.hashes); i++ {
		if h.hashes[i] == h.hashes[i-1] {
			return true
		}
	}
	return false
}

// duplicates reports a key that the file has twice: which of the two is
// right cannot be known. Under SkipInvalid the first stays.
func duplicates(ctx context.Context, tx pgx.Tx, key []string, report *Report) error {
	cols := strings.Join(key, ", ")
	rows, err := tx.Query(ctx, `SELECT concat_ws(' ', `+cols+`)::text, array_agg(row_no ORDER BY row_no)
		FROM staging GROUP BY `+cols+` HAVING count(*) > 1 ORDER BY min(row_no)`)
	if err != nil {
		return fmt.Errorf("look for duplicates: %w", err)
	}
	var id string
	var at []int32
	found := false
	_, err = pgx.ForEachRow(rows, []any{&id, &at}, func() error {
		found = true
		for _, r := range at[1:] {
			report.Rejected++
			report.add(Problem{Row: int(r), Reason: i18n.Msg("ingest.duplicate", cols, id, int(at[0]))})
		}
		return nil
	})
	if err != nil || !found {
		return err
	}
	var same []string
	for _, k := range key {
		same = append(same, "s."+k+" = f."+k)
	}
	_, err = tx.Exec(ctx, `DELETE FROM staging s USING staging f WHERE `+strings.Join(same, " AND ")+` AND s.row_no > f.row_no`)
	return err
}

const stagingSQL = `CREATE TEMP TABLE staging (
	row_no int NOT NULL,
	source text NOT NULL, source_id text NOT NULL, channel_id smallint NOT NULL, platform text,
	unit_id integer NOT NULL, received_at timestamptz NOT NULL, first_response_at timestamptz,
	resolved_at timestamptz, status text NOT NULL, kind text NOT NULL, language text NOT NULL,
	body text NOT NULL, reply text NOT NULL, themes text[] NOT NULL, lat double precision, lon double precision
) ON COMMIT DROP`

// daysSQL looks for stored rows only when the source has any: on a first
// import the join would cost a second for nothing.
const daysSQL = `SELECT (min(lo) AT TIME ZONE 'Europe/Helsinki')::date, (max(hi) AT TIME ZONE 'Europe/Helsinki')::date
FROM (
	SELECT min(received_at), max(received_at) FROM staging
	UNION ALL
	SELECT min(f.received_at), max(f.received_at)
	FROM feedback f JOIN staging s ON s.source = f.source AND s.source_id = f.source_id
	WHERE EXISTS (SELECT FROM feedback WHERE source = (SELECT source FROM staging LIMIT 1))
) AS d (lo, hi)`

// feedbackColumns are the columns an import writes, in staging as in
// feedback.
const feedbackColumns = `source, source_id, channel_id, platform, unit_id, received_at, first_response_at,
	resolved_at, status, kind, language, body, reply, themes, lat, lon`

// mergeSQL adds new rows and updates changed ones; a row that is the same
// is not written at all, so a second import of a file changes nothing.
const mergeSQL = `WITH merged AS (
	INSERT INTO feedback AS f (` + feedbackColumns + `)
	SELECT ` + feedbackColumns + `
	FROM staging
	ON CONFLICT (source, source_id) DO UPDATE SET
		channel_id = excluded.channel_id, platform = excluded.platform, unit_id = excluded.unit_id,
		received_at = excluded.received_at, first_response_at = excluded.first_response_at,
		resolved_at = excluded.resolved_at, status = excluded.status, kind = excluded.kind,
		language = excluded.language, body = excluded.body, reply = excluded.reply, themes = excluded.themes,
		lat = excluded.lat, lon = excluded.lon
	WHERE (f.channel_id, f.platform, f.unit_id, f.received_at, f.first_response_at, f.resolved_at, f.status,
		f.kind, f.language, f.body, f.reply, f.themes, f.lat, f.lon)
		IS DISTINCT FROM (excluded.channel_id, excluded.platform, excluded.unit_id, excluded.received_at,
		excluded.first_response_at, excluded.resolved_at, excluded.status, excluded.kind, excluded.language,
		excluded.body, excluded.reply, excluded.themes, excluded.lat, excluded.lon)
	RETURNING xmax = 0 AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged`

// insertSQL adds the rows of a source that has none in feedback yet.
const insertSQL = `INSERT INTO feedback (` + feedbackColumns + `) SELECT ` + feedbackColumns + ` FROM staging`

// freshSource takes the lock that keeps imports of source apart until the
// import ends, and then (in a statement of its own, so that it sees what
// one just before committed) says whether feedback has none of its rows.
func freshSource(ctx context.Context, tx pgx.Tx, source string) (bool, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('luukku.feedback.source'), hashtext($1))`, source); err != nil {
		return false, fmt.Errorf("lock the source: %w", err)
	}
	var fresh bool
	if err := tx.QueryRow(ctx, `SELECT NOT EXISTS (SELECT FROM feedback WHERE source = $1)`, source).Scan(&fresh); err != nil {
		return false, fmt.Errorf("feedback of the source: %w", err)
	}
	return fresh, nil
}

// Open returns the rows of a file of kind: for a fixed table (contacts,
// finance, hr, survey) its CSV or workbook, for feedback and open311 the
// file read through profile p, which must be meant for that kind.
func Open(kind string, p *Profile, r io.Reader, name string) (Rows, error) {
	if _, ok := Tables[kind]; ok {
		return ReadFile(r, name)
	}
	if err := p.suits(kind); err != nil {
		return nil, err
	}
	return p.Read(r, name)
}

// Import imports rows of kind: feedback and open311 through profile p,
// the fixed tables as they are.
func Import(ctx context.Context, pool *pgxpool.Pool, kind string, p *Profile, rows Rows, opts Options) (*Report, error) {
	if _, ok := Tables[kind]; ok {
		return ImportTable(ctx, pool, kind, rows, opts)
	}
	if err := p.suits(kind); err != nil {
		return nil, err
	}
	return Feedback(ctx, pool, rows, p, opts)
}
