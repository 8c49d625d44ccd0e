// Package actions reads and writes the development actions (close the
// loop) as CSV, so that an administrator can keep them in a spreadsheet:
// export, edit, import. An import checks every row and writes all of them
// or none.
package actions

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Action is one development action as the file has it.
type Action struct {
	Code, Title, Description, Unit, OwnerRole string
	Themes                                    []string
	Decided                                   time.Time
	Started, Done                             *time.Time
}

// Columns are the file's header, in order.
var Columns = []string{"code", "title", "description", "unit", "themes", "owner_role", "decided_on", "started_on", "done_on"}

// RowError is what is wrong with one row of the file. Every problem with
// the data itself is one; any other error is the system's.
type RowError struct {
	Row     int // as a spreadsheet numbers it: the header is row 1
	Message string
}

func (e RowError) Error() string { return fmt.Sprintf("row %d: %s", e.Row, e.Message) }

// Parse reads a CSV file of actions: UTF-8, with or without a byte-order
// mark, separated by semicolons (as Finnish Excel saves) or commas. Dates
// are 2026-03-01 or 1.3.2026; themes are codes separated by commas or
// spaces. It returns every row's problems, not only the first.
func Parse(r io.Reader) ([]Action, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) >= bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	records, err := cr.ReadAll()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, RowError{pe.StartLine, "not a CSV file: " + pe.Err.Error()}
	}
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(records) == 0 {
		return nil, RowError{1, "the file is empty"}
	}
	head := make([]string, len(records[0]))
	for i, h := range records[0] {
		head[i] = strings.ToLower(strings.TrimSpace(h))
	}
	if !slices.Equal(head, Columns) {
		return nil, RowError{1, fmt.Sprintf("the columns must be %s, got %s", strings.Join(Columns, ";"), strings.Join(head, ";"))}
	}
	var out []Action
	var problems []error
	seen := map[string]int{}
	for i, rec := range records[1:] {
		row := i + 2
		if len(rec) != len(Columns) {
			problems = append(problems, RowError{row, fmt.Sprintf("%d fields, want %d", len(rec), len(Columns))})
			continue
		}
		a, errs := ParseRecord(rec)
		if prev, dup := seen[a.Code]; dup && a.Code != "" {
			errs = append(errs, fmt.Sprintf("code %q is also on row %d", a.Code, prev))
		}
		seen[a.Code] = row
		for _, e := range errs {
			problems = append(problems, RowError{row, e})
		}
		out = append(out, a)
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	return out, nil
}

// ParseRecord reads one action from its fields in the order of Columns,
// as a file row or a form gives them, and returns every problem found.
func ParseRecord(rec []string) (Action, []string) {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	a := Action{Code: rec[0], Title: rec[1], Description: rec[2], Unit: rec[3], OwnerRole: rec[5]}
	var errs []string
	if a.Code == "" {
		errs = append(errs, "code is empty")
	}
	if a.Title == "" {
		errs = append(errs, "title is empty")
	}
	if a.Unit == "" {
		errs = append(errs, "unit is empty")
	}
	a.Themes = strings.FieldsFunc(rec[4], func(r rune) bool { return r == ',' || r == ' ' || r == '|' })
	if len(a.Themes) == 0 {
		errs = append(errs, "themes is empty: name at least one theme code")
	}
	date := func(name, s string, required bool) *time.Time {
		if s == "" {
			if required {
				errs = append(errs, name+" is empty")
			}
			return nil
		}
		for _, layout := range []string{time.DateOnly, "2.1.2006"} {
			if t, err := time.Parse(layout, s); err == nil {
				return &t
			}
		}
		errs = append(errs, fmt.Sprintf("%s %q is not a date (2026-03-01 or 1.3.2026)", name, s))
		return nil
	}
	if d := date("decided_on", rec[6], true); d != nil {
		a.Decided = *d
	}
	a.Started = date("started_on", rec[7], false)
	a.Done = date("done_on", rec[8], false)
	switch {
	case a.Started != nil && !a.Decided.IsZero() && a.Started.Before(a.Decided):
		errs = append(errs, "started_on is before decided_on")
	case a.Done != nil && a.Started == nil:
		errs = append(errs, "done_on without started_on")
	case a.Done != nil && a.Done.Before(*a.Started):
		errs = append(errs, "done_on is before started_on")
	}
	return a, errs
}

// Summary says what an import did.
type Summary struct{ Added, Updated int }

const (
	unitsSQL       = `SELECT code, id FROM org_unit`
	knownThemesSQL = `SELECT array_agg(code) FROM theme`
	upsertSQL      = `INSERT INTO development_action
		(code, title, description, unit_id, themes, owner_role, decided_on, started_on, done_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (code) DO UPDATE SET title = excluded.title, description = excluded.description,
			unit_id = excluded.unit_id, themes = excluded.themes, owner_role = excluded.owner_role,
			decided_on = excluded.decided_on, started_on = excluded.started_on, done_on = excluded.done_on
		RETURNING (xmax = 0)`
	bumpVersionSQL = `UPDATE data_version SET version = version + 1, updated_at = now()`
	// The feedback of the actions' windows, which the dashboard reads.
	refreshEffectsSQL = `SELECT refresh_action_effects()`
	listSQL           = `SELECT a.code, a.title, a.description, u.code, a.themes, a.owner_role,
			a.decided_on, a.started_on, a.done_on
		FROM development_action a JOIN org_unit u ON u.id = a.unit_id
		ORDER BY a.decided_on, a.code`
)

// Import writes the actions in one transaction, adding new codes and
// updating known ones; units and themes must exist. Any problem (every
// one is reported, by row) leaves the database as it was.
func Import(ctx context.Context, pool *pgxpool.Pool, list []Action) (Summary, error) {
	var sum Summary
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var known []string
		if err := tx.QueryRow(ctx, knownThemesSQL).Scan(&known); err != nil {
			return fmt.Errorf("load themes: %w", err)
		}
		rows, _ := tx.Query(ctx, unitsSQL)
		units := map[string]int32{}
		var code string
		var id int32
		if _, err := pgx.ForEachRow(rows, []any{&code, &id}, func() error { units[code] = id; return nil }); err != nil {
			return fmt.Errorf("load units: %w", err)
		}
		var problems []error
		for i, a := range list {
			row := i + 2
			unitID, ok := units[a.Unit]
			if !ok {
				problems = append(problems, RowError{row, fmt.Sprintf("unit %q does not exist", a.Unit)})
				continue
			}
			for _, t := range a.Themes {
				if !slices.Contains(known, t) {
					problems = append(problems, RowError{row, fmt.Sprintf("theme %q does not exist (known: %s)", t, strings.Join(known, ", "))})
				}
			}
			if len(problems) > 0 {
				continue // keep checking the rest, write nothing
			}
			var added bool
			if err := tx.QueryRow(ctx, upsertSQL, a.Code, a.Title, a.Description, unitID, a.Themes, a.OwnerRole,
				a.Decided, a.Started, a.Done).Scan(&added); err != nil {
				return fmt.Errorf("row %d: %w", row, err)
			}
			if added {
				sum.Added++
			} else {
				sum.Updated++
			}
		}
		if len(problems) > 0 {
			return errors.Join(problems...)
		}
		if _, err := tx.Exec(ctx, refreshEffectsSQL); err != nil {
			return fmt.Errorf("count the actions' feedback: %w", err)
		}
		_, err := tx.Exec(ctx, bumpVersionSQL)
		return err
	})
	if err != nil {
		return Summary{}, err
	}
	return sum, nil
}

// List returns every action, by decision date.
func List(ctx context.Context, db *pgxpool.Pool) ([]Action, error) {
	rows, err := db.Query(ctx, listSQL)
	if err != nil {
		return nil, fmt.Errorf("read actions: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Action, error) {
		var a Action
		err := r.Scan(&a.Code, &a.Title, &a.Description, &a.Unit, &a.Themes, &a.OwnerRole, &a.Decided, &a.Started, &a.Done)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("read actions: %w", err)
	}
	return list, nil
}

// ErrNoAction means no action has the code.
var ErrNoAction = errors.New("no such development action")

// Delete removes the action with code.
func Delete(ctx context.Context, db *pgxpool.Pool, code string) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM development_action WHERE code = $1`, code)
		if err != nil {
			return fmt.Errorf("delete action %s: %w", code, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("%w: %s", ErrNoAction, code)
		}
		_, err = tx.Exec(ctx, bumpVersionSQL)
		return err
	})
}

// Record is an action's fields in the order of Columns, as a file row or
// a form has them.
func (a Action) Record() []string {
	day := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	decided := ""
	if !a.Decided.IsZero() {
		decided = a.Decided.Format(time.DateOnly)
	}
	return []string{a.Code, a.Title, a.Description, a.Unit, strings.Join(a.Themes, ", "), a.OwnerRole, decided, day(a.Started), day(a.Done)}
}

// Export writes every action as the CSV that Import reads, for Finnish
// Excel: a byte-order mark and semicolons.
func Export(ctx context.Context, pool *pgxpool.Pool, w io.Writer) error {
	list, err := List(ctx, pool)
	if err != nil {
		return err
	}
	io.WriteString(w, "\ufeff")
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	cw.Write(Columns)
	for _, a := range list {
		cw.Write(a.Record())
	}
	cw.Flush()
	return cw.Error()
}
