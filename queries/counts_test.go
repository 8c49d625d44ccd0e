package queries_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/luukku-bi/luukku/internal/demo"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/store/storetest"
)

// The counted feedback (feedback_count, feedback_theme_count) says per
// month, channel and unit what counting feedback_in_view says, for views
// of whole months, of parts of months at either end or both, of one part
// of a month, of the current month up to today, beyond the data, in a
// subtree and for some channels; and, after the demo load, it holds no
// count that feedback does not.
func TestFeedbackCounts(t *testing.T) {
	today := time.Date(2026, 6, 17, 0, 0, 0, 0, i18n.Helsinki())
	pool := demoCity(t, demo.Options{Feedback: 6_000, Until: today})
	ctx := t.Context()
	var errs int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM feedback_count_errors()`).Scan(&errs); err != nil || errs != 0 {
		t.Fatalf("%d counts differ from feedback (%v)", errs, err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM feedback_response_running_errors()`).Scan(&errs); err != nil || errs != 0 {
		t.Fatalf("%d running classes differ from the counts (%v)", errs, err)
	}
	sub := firstToimiala(t, pool)
	all := []string{}
	tests := []struct {
		name, from, to, unit string
		channels             []string
	}{
		{"whole year", "2025-01-01", "2025-12-31", "esimerkkila", all},
		{"parts at both ends", "2025-03-15", "2026-02-10", "esimerkkila", all},
		{"part of one month", "2025-06-05", "2025-06-20", "esimerkkila", all},
		{"last day of a month to the first of the next", "2025-06-30", "2025-07-01", "esimerkkila", all},
		{"up to today", "2025-07-01", today.Format(time.DateOnly), "esimerkkila", all},
		{"from mid-month up to today", "2026-06-02", today.Format(time.DateOnly), "esimerkkila", all},
		{"beyond the data", "2023-01-10", "2027-02-03", "esimerkkila", all},
		{"a subtree", "2025-02-11", "2026-01-31", sub, all},
		{"two channels", "2025-01-20", "2025-11-30", "esimerkkila", []string{"phone", "email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []any{tt.from, tt.to, tt.unit, tt.channels}
			counted := compare(t, pool, "month × channel × unit", `
				SELECT date_trunc('month', received_at)::date AS month, channel, unit_id, count(*) AS feedback,
					count(*) FILTER (WHERE kind = 'complaint') AS complaint, count(*) FILTER (WHERE kind = 'question') AS question,
					count(*) FILTER (WHERE kind = 'suggestion') AS suggestion, count(*) FILTER (WHERE kind = 'praise') AS praise
				FROM feedback_in_view($1::date, $2::date, $3::ltree, $4::text[]) GROUP BY 1, 2, 3`, `
				SELECT month, channel, unit_id, sum(feedback) AS feedback, sum(complaint) AS complaint,
					sum(question) AS question, sum(suggestion) AS suggestion, sum(praise) AS praise
				FROM feedback_count_in_view($1::date, $2::date, $3::ltree, $4::text[]) GROUP BY 1, 2, 3
				HAVING sum(feedback) > 0`, args)
			counted += compare(t, pool, "month × channel × unit × theme", `
				SELECT date_trunc('month', received_at)::date AS month, channel, unit_id, theme, count(*) AS feedback,
					count(*) FILTER (WHERE kind = 'complaint') AS complaint
				FROM feedback_in_view($1::date, $2::date, $3::ltree, $4::text[])
				CROSS JOIN LATERAL unnest(themes) AS theme GROUP BY 1, 2, 3, 4`, `
				SELECT month, channel, unit_id, theme, sum(feedback) AS feedback, sum(complaint) AS complaint
				FROM feedback_theme_count_in_view($1::date, $2::date, $3::ltree, $4::text[]) GROUP BY 1, 2, 3, 4
				HAVING sum(feedback) > 0`, args)
			if counted == 0 && tt.name != "beyond the data" {
				t.Error("the view counts nothing, which proves nothing")
			}
		})
	}
}

// feedback_response_percentile, which sums only the classes of the tenth
// that a percentile lies in, gives for each unit and channel what
// percentile_of gives of all the classes the view counts, to the last
// bit: for three percentiles, views of whole months, of parts at either
// end, of a few days and up to today, of a subtree and some channels, as
// the city and as a reader of a subtree. feedback_response_classes, for
// own queries, gives all the classes.
func TestResponsePercentileFromTenths(t *testing.T) {
	today := time.Date(2026, 6, 17, 0, 0, 0, 0, i18n.Helsinki())
	pool := demoCity(t, demo.Options{Feedback: 6_000, Until: today})
	ctx := t.Context()
	sub := firstToimiala(t, pool)
	sums := make([]string, 160)
	for i := range sums {
		sums[i] = fmt.Sprintf("sum(first_response[%d])", i+1)
	}
	views := percentileViews(today, sub)
	compared := 0
	for _, scope := range []string{"*", "{" + sub + "}"} {
		tx := readerTx(t, pool, scope)
		for _, v := range views {
			for _, p := range []float64{0.1, 0.5, 0.9} {
				compared += compare(t, tx, fmt.Sprintf("%v percentile of %s–%s in %s as %s", p, v.from, v.to, v.unit, scope), `
					SELECT unit_id, channel_order, sum(feedback - unanswered)::int8 AS answered,
						percentile_of(ARRAY[`+strings.Join(sums, ", ")+`]::int8[], $5, sum(feedback - unanswered)::int8) AS percentile
					FROM feedback_count_in_view($1::date, $2::date, $3::ltree, $4::text[])
					GROUP BY 1, 2 HAVING sum(feedback - unanswered) > 0`, `
					SELECT unit_id, channel_order, answered, percentile
					FROM feedback_response_percentile($1::date, $2::date, $3::ltree, $4::text[], $5)
					WHERE answered > 0`,
					[]any{v.from, v.to, v.unit, v.channels, p})
			}
			compare(t, tx, fmt.Sprintf("classes of %s–%s in %s as %s", v.from, v.to, v.unit, scope), `
				SELECT unit_id, channel_order, sum(feedback - unanswered)::int8 AS answered,
					ARRAY[`+strings.Join(sums, ", ")+`]::int8[] AS first_response
				FROM feedback_count_in_view($1::date, $2::date, $3::ltree, $4::text[])
				GROUP BY 1, 2 HAVING sum(feedback - unanswered) > 0`, `
				SELECT unit_id, channel_order, answered, first_response
				FROM feedback_response_classes($1::date, $2::date, $3::ltree, $4::text[])
				WHERE answered > 0`,
				[]any{v.from, v.to, v.unit, v.channels})
		}
		tx.Rollback(ctx)
	}
	if compared < 1000 {
		t.Errorf("%d percentiles compared, too few to prove much", compared)
	}
}

// feedback_times_by gives what feedback_count_by gives, with the medians
// and 90th percentiles of the times to the first response and to
// resolution found from the tenths of the classes, the same to the last
// bit as percentile_of over all of them; for each grouping, over views of
// the city, a subtree and some channels, as the city and as a reader of
// one part.
func TestTimesByAsCountBy(t *testing.T) {
	today := time.Date(2026, 6, 17, 0, 0, 0, 0, i18n.Helsinki())
	pool := demoCity(t, demo.Options{Feedback: 6_000, Until: today})
	ctx := t.Context()
	sub := firstToimiala(t, pool)
	views := percentileViews(today, sub)
	compared := 0
	for _, scope := range []string{"*", "{" + sub + "}"} {
		tx := readerTx(t, pool, scope)
		for _, v := range views {
			for _, by := range []string{"", "month", "channel", "part"} {
				compared += compare(t, tx, fmt.Sprintf("%q of %s–%s in %s as %s", by, v.from, v.to, v.unit, scope), `
					SELECT key, sort_order, feedback, complaint, digital, unresolved, unanswered, waiting, in_time,
						percentile_of(first_response, 0.5, feedback - unanswered),
						percentile_of(first_response, 0.9, feedback - unanswered),
						percentile_of(resolution, 0.5, feedback - unresolved),
						percentile_of(resolution, 0.9, feedback - unresolved)
					FROM feedback_count_by($1::date, $2::date, $3::ltree, $4::text[], $5)`, `
					SELECT * FROM feedback_times_by($1::date, $2::date, $3::ltree, $4::text[], $5)`,
					[]any{v.from, v.to, v.unit, v.channels, by})
			}
		}
		tx.Rollback(ctx)
	}
	if compared < 250 {
		t.Errorf("%d groups compared, too few to prove much", compared)
	}
}

// percentileView is a view the tests of percentiles from the tenths ask.
type percentileView struct {
	from, to, unit string
	channels       []string
}

// percentileViews are views of a year, of parts of two, of two weeks and
// up to today, of the city, of its toimiala sub and of two channels.
func percentileViews(today time.Time, sub string) []percentileView {
	all := []string{}
	return []percentileView{
		{"2025-01-01", "2025-12-31", "esimerkkila", all},
		{"2025-03-15", "2026-02-10", "esimerkkila", all},
		{"2025-06-05", "2025-06-20", "esimerkkila", all},
		{"2025-07-01", today.Format(time.DateOnly), "esimerkkila", all},
		{"2025-02-11", "2026-01-31", sub, all},
		{"2025-01-20", "2025-11-30", "esimerkkila", []string{"phone", "email"}},
	}
}

// compare fails the test where the rows of raw and counted differ, and
// returns how many rows counted has.
func compare(t *testing.T, db querier, what, raw, counted string, args []any) int {
	t.Helper()
	var n, differ int
	err := db.QueryRow(t.Context(), `WITH raw AS (`+raw+`), counted AS (`+counted+`)
		SELECT (SELECT count(*) FROM counted),
			(SELECT count(*) FROM ((SELECT * FROM raw EXCEPT SELECT * FROM counted) UNION ALL
				(SELECT * FROM counted EXCEPT SELECT * FROM raw)) d)`, args...).Scan(&n, &differ)
	if err != nil {
		t.Fatal(err)
	}
	if differ != 0 {
		t.Errorf("%d of %d %s counts differ", differ, n, what)
	}
	return n
}

// readerTx begins a transaction as the dashboards' reader with scope; the
// caller rolls it back.
func readerTx(t *testing.T, pool *pgxpool.Pool, scope string) pgx.Tx {
	t.Helper()
	tx, err := pool.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(t.Context(), `SET LOCAL ROLE luukku_reader`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(t.Context(), `SELECT set_config('luukku.scope', $1, true)`, scope); err != nil {
		t.Fatal(err)
	}
	return tx
}

// querier is a pool or a transaction.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// demoCity is a database of its own holding the demo city loaded with o.
func demoCity(t *testing.T, o demo.Options) *pgxpool.Pool {
	t.Helper()
	pool := storetest.NewPool(t)
	if _, err := demo.Load(t.Context(), pool, o, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	return pool
}

// firstToimiala is the path of the first unit one level below the city.
func firstToimiala(t *testing.T, db querier) string {
	t.Helper()
	var path string
	if err := db.QueryRow(t.Context(), `SELECT path::text FROM org_unit WHERE nlevel(path) = 2 ORDER BY path LIMIT 1`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	return path
}

// The branches' counts (feedback_tree_count, feedback_theme_tree_count,
// feedback_theme_tree_total, hr_tree_month) answer a view of a branch, or its parts, only for readers
// who see the whole branch; a reader who sees part of it gets the counts
// of her units instead. Each reader, each view, each detail: month ×
// channel × part as counting feedback_in_view says, the staff month × part
// as summing hr_month says, and the parts shown as hr_shown said when it
// summed hr_month.
func TestSubtreeCountsFollowTheScope(t *testing.T) {
	pool := demoCity(t, demo.Options{Feedback: 6_000})
	ctx := t.Context()
	var shown, withheld int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE shown), count(*) FILTER (WHERE NOT shown)
		FROM hr_shown('2025-02-11', '2026-01-31')`).Scan(&shown, &withheld); err != nil || shown == 0 || withheld == 0 {
		t.Fatalf("the demo's staff: %d parts shown and %d withheld (%v); a test needs both", shown, withheld, err)
	}
	var branch, leaf string
	if err := pool.QueryRow(ctx, `SELECT b.path::text, (SELECT min(u.path::text) FROM org_unit u WHERE u.path <@ b.path AND u.path <> b.path)
		FROM org_unit b WHERE nlevel(b.path) = 2 AND EXISTS (SELECT FROM org_unit c WHERE c.path <@ b.path AND c.id <> b.id)
		ORDER BY b.path LIMIT 1`).Scan(&branch, &leaf); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		scope, unit string
		tree        bool // whether the view is read from its branch's rows
	}{
		{"*", "esimerkkila", true},
		{"{esimerkkila}", "esimerkkila", true},
		{"{" + branch + "}", branch, true},
		{"{" + branch + "}", "esimerkkila", false},
		{"{" + leaf + "," + branch + "}", "esimerkkila", false},
		{"{" + leaf + "}", branch, false},
		{"{" + leaf + "}", leaf, false},
	} {
		for _, detail := range []string{"view", "part"} {
			t.Run(tt.scope+" "+tt.unit+" "+detail, func(t *testing.T) {
				tx := readerTx(t, pool, tt.scope)
				defer tx.Rollback(ctx)
				args := []any{"2025-02-11", "2026-01-31", tt.unit, []string{}, detail}
				n := compare(t, tx, "month × channel × part", `
					SELECT date_trunc('month', f.received_at)::date AS month, f.channel,
						CASE $5 WHEN 'part' THEN child_group(u.path, $3::ltree) ELSE $3::ltree END AS part,
						count(*) AS feedback, count(*) FILTER (WHERE f.first_response_at IS NULL) AS unanswered
					FROM feedback_in_view($1::date, $2::date, $3::ltree, $4::text[]) f
					JOIN org_unit u ON u.id = f.unit_id
					GROUP BY 1, 2, 3`, `
					SELECT month, channel, CASE $5 WHEN 'part' THEN path ELSE $3::ltree END AS part,
						sum(feedback) AS feedback, sum(unanswered) AS unanswered
					FROM feedback_count_at($1::date, $2::date, $3::ltree, $4::text[], $5::text)
					GROUP BY 1, 2, 3 HAVING sum(feedback) > 0`, args)
				n += compare(t, tx, "month × channel × part × theme", `
					SELECT date_trunc('month', f.received_at)::date AS month, f.channel,
						CASE $5 WHEN 'part' THEN child_group(u.path, $3::ltree) ELSE $3::ltree END AS part,
						theme, count(*) AS feedback, count(*) FILTER (WHERE f.kind = 'complaint') AS complaint
					FROM feedback_in_view($1::date, $2::date, $3::ltree, $4::text[]) f
					JOIN org_unit u ON u.id = f.unit_id
					CROSS JOIN LATERAL unnest(f.themes) AS theme
					GROUP BY 1, 2, 3, 4`, `
					SELECT month, channel, CASE $5 WHEN 'part' THEN path ELSE $3::ltree END AS part,
						theme, sum(feedback) AS feedback, sum(complaint) AS complaint
					FROM feedback_theme_count_at($1::date, $2::date, $3::ltree, $4::text[], $5::text)
					GROUP BY 1, 2, 3, 4 HAVING sum(feedback) > 0`, args)
				n += compare(t, tx, "month × part × theme over all channels", `
					SELECT date_trunc('month', f.received_at)::date AS month,
						CASE $5 WHEN 'part' THEN child_group(u.path, $3::ltree) ELSE $3::ltree END AS part,
						theme, count(*) AS feedback, count(*) FILTER (WHERE f.kind = 'complaint') AS complaint
					FROM feedback_in_view($1::date, $2::date, $3::ltree, $4::text[]) f
					JOIN org_unit u ON u.id = f.unit_id
					CROSS JOIN LATERAL unnest(f.themes) AS theme
					GROUP BY 1, 2, 3`, `
					SELECT month, CASE $5 WHEN 'part' THEN path ELSE $3::ltree END AS part,
						theme, sum(feedback) AS feedback, sum(complaint) AS complaint
					FROM feedback_theme_totals_at($1::date, $2::date, $3::ltree, $4::text[], $5::text)
					GROUP BY 1, 2, 3 HAVING sum(feedback) > 0`, args)
				if n == 0 {
					t.Error("the view counts nothing, which proves nothing")
				}
				staff := []any{"2025-02-11", "2026-01-31", tt.unit, detail}
				if compare(t, tx, "staff month × part", `
					SELECT hm.month, CASE $4 WHEN 'part' THEN child_group(u.path, $3::ltree) ELSE $3::ltree END AS part,
						sum(hm.headcount) AS headcount, sum(hm.fte) AS fte, sum(hm.sick_leave_days) AS sick_leave_days,
						sum(hm.overtime_hours) AS overtime_hours, sum(hm.leavers) AS leavers
					FROM hr_month hm
					JOIN org_unit u ON u.id = hm.unit_id
					WHERE u.path <@ $3::ltree AND hm.month >= date_trunc('month', $1::date)::date AND hm.month <= $2::date
					GROUP BY 1, 2`, `
					SELECT month, part, sum(headcount), sum(fte), sum(sick_leave_days), sum(overtime_hours), sum(leavers)
					FROM hr_at($1::date, $2::date, $3::ltree, $4::text)
					GROUP BY 1, 2`, staff) == 0 {
					t.Error("the view has no staff, which proves nothing")
				}
				compare(t, tx, "staff parts shown", hrShownFromMonths, `SELECT path, shown FROM hr_shown($1::date, $2::date)`, staff[:2])
				var fromTree bool
				if err := tx.QueryRow(ctx, `SELECT bool_or(s.tree) FROM counted_units($1::ltree, 'view') s`, tt.unit).Scan(&fromTree); err != nil {
					t.Fatal(err)
				}
				if fromTree != tt.tree {
					t.Errorf("read from the branch's rows: %v, want %v", fromTree, tt.tree)
				}
			})
		}
	}
}

// hrShownFromMonths is hr_shown of migration 00022, before the branches'
// staff were counted ahead: every part's persons summed from the rows of
// hr_month the reader sees, the city above a reader's two toimialat in
// part.
const hrShownFromMonths = `
	WITH persons AS (
		SELECT n.id, hm.month, sum(hm.headcount) AS headcount
		FROM hr_month hm
		JOIN org_unit u ON u.id = hm.unit_id
		JOIN org_unit n ON u.path <@ n.path
		WHERE hm.month >= date_trunc('month', $1::date) AND hm.month <= $2::date
		GROUP BY n.id, hm.month
	), sized AS (
		SELECT n.path, min(p.headcount) AS persons, min(p.headcount) < 5 AS small
		FROM persons p
		JOIN org_unit n ON n.id = p.id
		GROUP BY n.id
	), withheld AS (
		SELECT path, small OR (
			bool_or(small) OVER siblings
			AND coalesce(sum(persons) OVER (siblings ORDER BY persons, path
					ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) < 5) AS withheld
		FROM sized
		WINDOW siblings AS (PARTITION BY subpath(path, 0, nlevel(path) - 1))
	)
	SELECT n.path, NOT bool_or(a.withheld) AS shown
	FROM withheld n
	JOIN withheld a ON n.path <@ a.path
	GROUP BY n.path`

// feedback_not_yet_due, which counts the days after each channel's
// cut-off from the units' day rows and only the cut-off's own day item by
// item, says what counting the unanswered items received since the cut-off
// says: for views up to today and a few days before, of the city, a
// subtree and some channels, as the city and as a reader of the subtree.
func TestNotYetDueCountsAsItems(t *testing.T) {
	pool := demoCity(t, demo.Options{Feedback: 20_000})
	ctx := t.Context()
	sub := firstToimiala(t, pool)
	now := time.Now().In(i18n.Helsinki())
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, i18n.Helsinki())
	counted := 0
	for _, scope := range []string{"*", "{" + sub + "}"} {
		for _, v := range []struct {
			from, to time.Time
			unit     string
			channels []string
		}{
			{today.AddDate(-1, 0, 0), today, "esimerkkila", []string{}},
			{today.AddDate(0, 0, -20), today, "esimerkkila", []string{}},
			{today, today, "esimerkkila", []string{}},
			{today.AddDate(0, 0, -3), today.AddDate(0, 0, -1), "esimerkkila", []string{}},
			{today.AddDate(0, 0, -10), today.AddDate(0, 0, -2), sub, []string{}},
			{today.AddDate(0, -2, 0), today, sub, []string{}},
			{today.AddDate(0, -2, 0), today, "esimerkkila", []string{"letter", "email", "chat"}},
		} {
			tx := readerTx(t, pool, scope)
			compare(t, tx, "not yet due", `
				SELECT date_trunc('month', f.received_at AT TIME ZONE 'Europe/Helsinki')::date AS month, c.code AS channel,
					f.unit_id, u.path, count(*) AS feedback
				FROM feedback f
				JOIN channel c ON c.id = f.channel_id
				JOIN org_unit u ON u.id = f.unit_id
				WHERE f.first_response_at IS NULL
				  AND f.received_at >= $1::date::timestamp AT TIME ZONE 'Europe/Helsinki'
				  AND f.received_at < ($2::date + 1)::timestamp AT TIME ZONE 'Europe/Helsinki'
				  AND f.received_at >= now() - c.first_response_target_hours * interval '1 hour'
				  AND u.path <@ $3::ltree AND (cardinality($4::text[]) = 0 OR c.code = ANY ($4::text[]))
				GROUP BY 1, 2, 3, 4`,
				`SELECT month, channel, unit_id, path, feedback FROM feedback_not_yet_due($1::date, $2::date, $3::ltree, $4::text[])`,
				[]any{v.from, v.to, v.unit, v.channels})
			if err := tx.QueryRow(ctx, `SELECT $5::int + coalesce(sum(feedback), 0)::int FROM feedback_not_yet_due($1::date, $2::date, $3::ltree, $4::text[])`,
				v.from, v.to, v.unit, v.channels, counted).Scan(&counted); err != nil {
				t.Fatal(err)
			}
			tx.Rollback(ctx)
		}
	}
	if counted == 0 {
		t.Error("no view has feedback not yet due, which proves nothing")
	}
}

// feedback_open_at_end says, for views that ended in the past, what
// counting feedback open at the end says: at every 9th day over the demo's
// years (ends 0–60 days and farther after each counted period's, so both
// the counts of what was open after a period and the feedback resolved
// long after), of all the view's feedback and of that received 14 days
// before its end, in a subtree and for some channels.
func TestOpenAtEnd(t *testing.T) {
	today := time.Date(2026, 6, 17, 0, 0, 0, 0, i18n.Helsinki())
	pool := demoCity(t, demo.Options{Feedback: 6_000, Until: today})
	ctx := t.Context()
	sub := firstToimiala(t, pool)
	var views, differ, open int
	err := pool.QueryRow(ctx, `
		WITH v AS (
			SELECT (e - interval '1 year')::date AS from_day, e::date AS to_day, r.received_to, u.unit, c.channels
			FROM generate_series('2024-03-01'::date, $1::date - 1, interval '9 days') e
			CROSS JOIN LATERAL (VALUES (e::date), (e::date - 14)) r (received_to)
			CROSS JOIN (VALUES ('esimerkkila'::ltree), ($2::ltree)) u (unit)
			CROSS JOIN (VALUES ('{}'::text[]), ('{phone,letter}')) c (channels)
		), answered AS (
			SELECT feedback_open_at_end(from_day, to_day, unit, channels, received_to) AS counted,
				(SELECT count(*) FROM feedback_in_view(from_day, received_to, unit, channels) f
				 WHERE f.resolved_at IS NULL OR f.resolved_at >= to_day + 1) AS raw
			FROM v
		)
		SELECT count(*), count(*) FILTER (WHERE counted IS DISTINCT FROM raw), coalesce(sum(raw), 0)
		FROM answered`, today, sub).Scan(&views, &differ, &open)
	if err != nil {
		t.Fatal(err)
	}
	if views < 400 || open == 0 || differ != 0 {
		t.Errorf("%d of %d views differ (%d open in all)", differ, views, open)
	}
}
