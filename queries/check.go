package queries

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// sample is a value of each parameter type, for planning a query without
// running it.
func sample(p Param) any {
	switch p.Type {
	case ParamEnum:
		return p.Values[0]
	case ParamDate:
		return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	case ParamUnit:
		return "city"
	case ParamChannels:
		return []string{}
	case ParamText:
		return ""
	case ParamInt:
		return int64(0)
	}
	return nil
}

// Check has PostgreSQL plan the query (EXPLAIN, nothing runs) against the
// schema db has, with a sample value for each parameter, and compares the
// columns it returns with the header. An error points at the file and line
// that PostgreSQL objected to.
func (q *Query) Check(ctx context.Context, db Querier) error {
	const prefix = "EXPLAIN "
	args := make(map[string]any, len(q.Params))
	for _, p := range q.Params {
		args[p.Name] = sample(p)
	}
	// Rewrite the named arguments here, as pgx would, so that the error
	// position PostgreSQL reports refers to text we hold.
	sql, positional, err := q.namedArgs(args).RewriteQuery(ctx, nil, prefix+q.SQL, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", q.File, err)
	}
	rows, err := db.Query(ctx, sql, positional...)
	if err == nil {
		rows.Close()
		err = rows.Err()
	}
	if err == nil {
		return q.checkColumns(ctx, db, sql[len(prefix):], positional)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Position > 0 {
		offset := min(int(pgErr.Position)-1, len(sql))
		line := q.sqlLine + strings.Count(sql[:offset], "\n")
		return fmt.Errorf("%s:%d: %s", q.File, line, pgErr.Message)
	}
	return fmt.Errorf("%s: %w", q.File, err)
}

// checkColumns learns the names of the columns the query returns without
// running it: a LIMIT 0 around it stops the executor before the first row.
func (q *Query) checkColumns(ctx context.Context, db Querier, sql string, args []any) error {
	rows, err := db.Query(ctx, "SELECT * FROM (\n"+sql+"\n) AS checked LIMIT 0", args...)
	if err != nil {
		return fmt.Errorf("%s: %w", q.File, err)
	}
	defer rows.Close()
	if err := q.checkFields(rows.FieldDescriptions()); err != nil {
		return err
	}
	rows.Close()
	return rows.Err()
}

// Check checks every query of the catalogue; the error lists each one that
// fails.
func (c *Catalog) Check(ctx context.Context, db Querier) error {
	var problems []error
	for _, name := range c.Names() {
		if err := c.byName[name].Check(ctx, db); err != nil {
			problems = append(problems, err)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d of %d queries do not plan:\n%w", len(problems), len(c.byName), errors.Join(problems...))
	}
	return nil
}
