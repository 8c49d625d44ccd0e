package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/luukku-bi/luukku/internal/auth"
	"github.com/luukku-bi/luukku/internal/pgtest"
	"github.com/luukku-bi/luukku/internal/store/storetest"
	"github.com/luukku-bi/luukku/queries"
)

// A query whose header asks for a generic plan gets one from its first
// run, one that asks for custom plans only those; the others get
// PostgreSQL's custom plans at first. The pool has one
// connection, so the pages' prepared statements are all on it.
func TestQueriesArePlannedAsTheirHeadersAsk(t *testing.T) {
	dsn := pgtest.SharedDatabase(t, "demo", func(ctx context.Context, dsn string) error {
		return loadDemo(ctx, dsn, demoFeedback)
	})
	pool := storetest.Open(t, dsn+" pool_max_conns=1")
	srv := newServer(t, pool)
	slugs := []string{"overview", "service", "themes"}
	for _, slug := range slugs {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/d/"+slug, nil))
		if w.Code != http.StatusOK {
			t.Fatalf("/d/%s: %d", slug, w.Code)
		}
	}
	prepared := preparedPlans(t, pool)
	checked := map[queries.Plan]int{}
	for _, slug := range slugs {
		d, _ := srv.cfg.Definitions().Get(slug)
		qs, _ := DashboardQueries(d, today, "x")
		for _, q := range qs {
			p, ok := prepared[statementOf(t, q)]
			switch {
			case !ok:
				t.Errorf("%s: not among the connection's prepared statements", q.Name)
			case q.Plan == queries.PlanGeneric && (p.generic == 0 || p.custom > 0):
				t.Errorf("%s asks for a generic plan: %d generic, %d custom", q.Name, p.generic, p.custom)
			case q.Plan == queries.PlanCustom && (p.custom == 0 || p.generic > 0):
				t.Errorf("%s asks for a plan for each run: %d generic, %d custom", q.Name, p.generic, p.custom)
			case q.Plan == queries.PlanAuto && p.custom == 0:
				t.Errorf("%s asks for none: %d generic, %d custom", q.Name, p.generic, p.custom)
			}
			checked[q.Plan]++
		}
	}
	if checked[queries.PlanGeneric] == 0 || checked[queries.PlanCustom] == 0 {
		t.Errorf("checked %v: want queries that ask for either", checked)
	}
}

// Dashboard queries run as the reader, bounded, and never compiled to
// machine code: JIT took 80–100 ms at every run of a query whose estimate
// passed jit_above_cost, whose work takes tens of milliseconds.
func TestReaderTransactionsRunWithoutJIT(t *testing.T) {
	srv, _ := readOnlyServer(t)
	var jit, role, timeout string
	err := srv.readOnly(t.Context(), "", func(tx pgx.Tx) error {
		return tx.QueryRow(t.Context(), "SELECT current_setting('jit'), current_user, current_setting('statement_timeout')").Scan(&jit, &role, &timeout)
	})
	if err != nil {
		t.Fatal(err)
	}
	if jit != "off" || role != "luukku_reader" || timeout == "0" {
		t.Errorf("jit %s, role %s, statement timeout %s; want off, luukku_reader and a timeout", jit, role, timeout)
	}
}

// The user's scope is set with the transaction's other settings, quoted
// whatever it holds.
func TestReaderTransactionsCarryTheScope(t *testing.T) {
	srv, _ := readOnlyServer(t)
	for _, tc := range []struct {
		user *auth.User
		want string
	}{
		{nil, "{}"},
		{&auth.User{Role: auth.RoleAdmin}, "*"},
		{&auth.User{Role: auth.RoleViewer, Paths: []string{"city.a", "city.b"}}, "{city.a,city.b}"},
		{&auth.User{Role: auth.RoleViewer, Paths: []string{`it's`, `a\b`}}, `{it's,a\b}`},
	} {
		ctx := t.Context()
		if tc.user != nil {
			ctx = withUser(ctx, tc.user)
		}
		var scope string
		err := srv.readOnly(ctx, "", func(tx pgx.Tx) error {
			return tx.QueryRow(t.Context(), "SELECT current_setting('luukku.scope')").Scan(&scope)
		})
		if err != nil {
			t.Fatal(err)
		}
		if scope != tc.want {
			t.Errorf("scope %q, want %q", scope, tc.want)
		}
	}
}

// WarmPlans runs every dashboard query on each connection once: afterwards
// each connection holds every query, those that ask for one plan with it
// made, and a second call finds nothing to warm.
func TestWarmPlansPlansEveryConnection(t *testing.T) {
	ctx := t.Context()
	dsn := pgtest.SharedDatabase(t, "demo", func(ctx context.Context, dsn string) error {
		return loadDemo(ctx, dsn, demoFeedback)
	})
	pool := storetest.Open(t, dsn+" pool_max_conns=2 pool_min_conns=2")
	srv := newServer(t, pool)
	// Both connections open and idle.
	c1, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c1.Release()
	c2.Release()

	n, err := srv.WarmPlans(ctx)
	if err != nil || n != 2 {
		t.Fatalf("warmed %d connections (%v), want 2", n, err)
	}
	var want []*queries.Query
	for _, d := range srv.cfg.Definitions().All() {
		qs, _ := DashboardQueries(d, today, "x")
		want = append(want, qs...)
	}
	conns := pool.AcquireAllIdle(ctx)
	if len(conns) != 2 {
		t.Fatalf("%d idle connections after warming, want 2", len(conns))
	}
	for _, c := range conns {
		prepared := preparedPlans(t, c)
		for _, q := range want {
			p, ok := prepared[statementOf(t, q)]
			switch {
			case !ok:
				t.Errorf("connection %d: %s not prepared", c.Conn().PgConn().PID(), q.Name)
			case q.Plan == queries.PlanGeneric && p.generic == 0:
				t.Errorf("connection %d: %s asks for one plan and has none", c.Conn().PgConn().PID(), q.Name)
			}
		}
		c.Release()
	}
	if n, err := srv.WarmPlans(ctx); err != nil || n != 0 {
		t.Errorf("warmed %d connections again (%v), want none", n, err)
	}
}

// plans counts the plans PostgreSQL made for a prepared statement.
type plans struct{ generic, custom int64 }

// preparedPlans are the statements prepared on db's connection, by their SQL.
func preparedPlans(t *testing.T, db interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}) map[string]plans {
	t.Helper()
	rows, err := db.Query(t.Context(), "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
	if err != nil {
		t.Fatal(err)
	}
	prepared := map[string]plans{}
	for rows.Next() {
		var sql string
		var p plans
		if err := rows.Scan(&sql, &p.generic, &p.custom); err != nil {
			t.Fatal(err)
		}
		prepared[sql] = p
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return prepared
}

// statementOf is q's SQL as pgx prepares it, its named arguments numbered.
func statementOf(t *testing.T, q *queries.Query) string {
	t.Helper()
	names := pgx.StrictNamedArgs{}
	for _, p := range q.Params {
		names[p.Name] = nil
	}
	sql, _, err := names.RewriteQuery(t.Context(), nil, q.SQL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sql
}
