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
func sample(t ParamType) any {
	switch t {
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
// schema db has, with a sample value for each parameter. An error points at
// the file and line that PostgreSQL objected to.
func (q *Query) Check(ctx context.Context, db Querier) error {
	const prefix = "EXPLAIN "
	args := make(map[string]any, len(q.Params))
	for _, p := range q.Params {
		args[p.Name] = sample(p.Type)
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
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Position > 0 {
		offset := min(int(pgErr.Position)-1, len(sql))
		line := q.sqlLine + strings.Count(sql[:offset], "\n")
		return fmt.Errorf("%s:%d: %s", q.File, line, pgErr.Message)
	}
	return fmt.Errorf("%s: %w", q.File, err)
}
