package demo_test

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/internal/demo"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/pgtest"
	"github.com/luukku-bi/luukku/internal/store/storetest"
	"github.com/luukku-bi/luukku/internal/theme"
)

func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m))
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// newPool returns a pool on a fresh, migrated database.
func newPool(t *testing.T) *pgxpool.Pool { return storetest.NewPool(t) }

// testOptions is small enough to keep the package fast and large enough
// for the shapes to show. Until is fixed so that the data never depends on
// the day the tests run.
func testOptions(t *testing.T) demo.Options {
	return demo.Options{
		Feedback: 20_000,
		Until:    time.Date(2026, 6, 15, 12, 0, 0, 0, i18n.Helsinki()),
		Seed:     7,
	}
}

// checksumSQL fingerprints everything the demo writes, by codes rather
// than ids.
const checksumSQL = `
SELECT
  coalesce((SELECT md5(string_agg(concat_ws('|', f.source_id, c.code, f.platform, u.code, f.received_at,
      f.first_response_at, f.resolved_at, f.status, f.kind, f.language, f.body, f.themes::text),
      E'\n' ORDER BY f.source_id))
   FROM feedback f JOIN channel c ON c.id = f.channel_id JOIN org_unit u ON u.id = f.unit_id
   WHERE f.source = 'demo'), ''),
  coalesce((SELECT md5(string_agg(concat_ws('|', v.day, u.code, c.code, v.contacts), E'\n' ORDER BY v.day, u.code, c.code))
   FROM contact_volume v JOIN channel c ON c.id = v.channel_id JOIN org_unit u ON u.id = v.unit_id), ''),
  coalesce((SELECT md5(string_agg(concat_ws('|', f.month, u.code, f.account_group, f.budget, f.actual), E'\n' ORDER BY f.month, u.code, f.account_group))
   FROM finance_month f JOIN org_unit u ON u.id = f.unit_id), ''),
  coalesce((SELECT md5(string_agg(concat_ws('|', h.month, u.code, h.headcount, h.fte, h.sick_leave_days, h.overtime_hours, h.leavers), E'\n' ORDER BY h.month, u.code))
   FROM hr_month h JOIN org_unit u ON u.id = h.unit_id), '')`

type snapshot struct {
	feedback, contacts, finance, hr string // md5
	counts                          [5]int
	version                         int64
}

func takeSnapshot(t *testing.T, pool *pgxpool.Pool) snapshot {
	t.Helper()
	ctx := context.Background()
	var s snapshot
	if err := pool.QueryRow(ctx, checksumSQL).Scan(&s.feedback, &s.contacts, &s.finance, &s.hr); err != nil {
		t.Fatalf("checksum: %v", err)
	}
	err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM org_unit), (SELECT count(*) FROM feedback),
		(SELECT count(*) FROM contact_volume), (SELECT count(*) FROM finance_month), (SELECT count(*) FROM hr_month)`).
		Scan(&s.counts[0], &s.counts[1], &s.counts[2], &s.counts[3], &s.counts[4])
	if err != nil {
		t.Fatalf("count: %v", err)
	}
	if err := pool.QueryRow(ctx, `SELECT version FROM data_version`).Scan(&s.version); err != nil {
		t.Fatalf("data version: %v", err)
	}
	return s
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	pool := newPool(t)
	opts := testOptions(t)

	before := takeSnapshot(t, pool)
	sum, err := demo.Load(ctx, pool, opts, discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v (%.0f feedback rows/s)", sum, float64(sum.Feedback)/sum.Took.Seconds())
	if sum.Feedback != opts.Feedback {
		t.Errorf("summary says %d feedback rows, want %d", sum.Feedback, opts.Feedback)
	}
	first := takeSnapshot(t, pool)
	if first.version != before.version+1 {
		t.Errorf("data version %d after load, want %d", first.version, before.version+1)
	}
	if got := [4]int(first.counts[1:]); got != [4]int{sum.Feedback, sum.Contacts, sum.Finance, sum.HR} {
		t.Errorf("table counts %v, summary %+v", got, sum)
	}

	t.Run("shapes", func(t *testing.T) { checkShapes(t, pool, opts) })

	// Idempotent and deterministic: the same options give the same data,
	// not twice the data.
	if _, err := demo.Load(ctx, pool, opts, discard()); err != nil {
		t.Fatal(err)
	}
	second := takeSnapshot(t, pool)
	want := first
	want.version++
	if second != want {
		t.Errorf("reload changed more than the data version:\nfirst  %+v\nsecond %+v", first, second)
	}
	var errs int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM feedback_count_errors()`).Scan(&errs); err != nil || errs != 0 {
		t.Errorf("after a reload %d counts differ from feedback (%v)", errs, err)
	}
	var running int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM feedback_response_running), (SELECT count(*) FROM feedback_response_running_errors())`).Scan(&running, &errs); err != nil || running == 0 || errs != 0 {
		t.Errorf("after a reload %d running classes, %d differ from the counts (%v)", running, errs, err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM action_effect_errors()`).Scan(&errs); err != nil || errs != 0 {
		t.Errorf("after a reload %d actions' counts differ from feedback (%v)", errs, err)
	}
	var surveyed int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM survey_count), (SELECT count(*) FROM survey_count_errors())`).Scan(&surveyed, &errs); err != nil || surveyed == 0 || errs != 0 {
		t.Errorf("after a reload %d survey counts, %d of them differ from the answers (%v)", surveyed, errs, err)
	}
	var branches int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM finance_tree_month), (SELECT count(*) FROM finance_count_errors())`).Scan(&branches, &errs); err != nil || branches == 0 || errs != 0 {
		t.Errorf("after a reload %d finance branch rows, %d rows differ from the ledger (%v)", branches, errs, err)
	}
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM hr_tree_month), (SELECT count(*) FROM hr_count_errors())`).Scan(&branches, &errs); err != nil || branches == 0 || errs != 0 {
		t.Errorf("after a reload %d staff branch rows, %d rows differ from hr_month (%v)", branches, errs, err)
	}

	// A load that fails half-way leaves the data as it was. A million rows
	// take seconds; the deadline ends the load long before.
	big := opts
	big.Feedback = 1_000_000
	big.Seed++
	cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := demo.Load(cctx, pool, big, discard()); err == nil {
		t.Fatal("load under a 300 ms deadline succeeded; want it cancelled")
	}
	if after := takeSnapshot(t, pool); after != second {
		t.Errorf("failed load changed the data:\nbefore %+v\nafter  %+v", second, after)
	}
}

func TestLoadRejectsNegativeCount(t *testing.T) {
	// Options are checked before the database is touched.
	if _, err := demo.Load(context.Background(), nil, demo.Options{Feedback: -1}, discard()); err == nil {
		t.Error("Load accepted a negative feedback count")
	}
}

func checkShapes(t *testing.T, pool *pgxpool.Pool, opts demo.Options) {
	ctx := context.Background()
	// One row per check: a name and whether it holds, with details.
	checks := []struct {
		name string
		sql  string
	}{
		{"org tree", `
SELECT count(*) FILTER (WHERE level = 'city') = 1
   AND count(*) FILTER (WHERE level = 'toimiala') = 7
   AND count(*) FILTER (WHERE level = 'unit') BETWEEN 45 AND 55
   AND count(*) FILTER (WHERE level = 'unit' AND nlevel(path) <> 3) = 0
   AND count(*) FILTER (WHERE centralised) > 0,
  string_agg(DISTINCT level || '=' || (SELECT count(*) FROM org_unit o2 WHERE o2.level = o.level), ' ')
FROM org_unit o WHERE path <@ 'esimerkkila'`},
		{"feedback only on units", `
SELECT count(*) = 0, count(*)::text FROM feedback f JOIN org_unit u ON u.id = f.unit_id WHERE u.level <> 'unit'`},
		{"email every year", `
SELECT count(*) = 4 AND bool_and(email > 0), string_agg(y || ':' || email, ' ' ORDER BY y)
FROM (SELECT extract(year FROM received_at)::int y, count(*) FILTER (WHERE c.code = 'email') email
      FROM feedback f JOIN channel c ON c.id = f.channel_id GROUP BY 1) s`},
		{"e-service share grows", `
WITH y AS (SELECT extract(year FROM received_at)::int y,
                  avg((c.code = 'e_service')::int) share
           FROM feedback f JOIN channel c ON c.id = f.channel_id GROUP BY 1)
SELECT (SELECT share FROM y ORDER BY y LIMIT 1) < (SELECT share FROM y ORDER BY y DESC LIMIT 1),
       string_agg(y || ':' || round(share, 3), ' ' ORDER BY y) FROM y`},
		{"letters shrink", `
WITH y AS (SELECT extract(year FROM received_at)::int y,
                  avg((c.code = 'letter')::int) share
           FROM feedback f JOIN channel c ON c.id = f.channel_id GROUP BY 1)
SELECT (SELECT share FROM y ORDER BY y LIMIT 1) > (SELECT share FROM y ORDER BY y DESC LIMIT 1),
       string_agg(y || ':' || round(share, 3), ' ' ORDER BY y) FROM y`},
		{"phone and service point in top 3", `
WITH top AS (SELECT c.code FROM feedback f JOIN channel c ON c.id = f.channel_id
             GROUP BY c.code ORDER BY count(*) DESC LIMIT 3)
SELECT 'phone' IN (SELECT code FROM top) AND 'service_point' IN (SELECT code FROM top),
       (SELECT string_agg(code, ' ') FROM top)`},
		{"small channels small", `
SELECT bool_and(share < 0.05), string_agg(code || ':' || round(share, 3), ' ')
FROM (SELECT c.code, avg((f.channel_id = c.id)::int) share FROM channel c CROSS JOIN feedback f
      WHERE c.code IN ('chat', 'video', 'chatbot', 'whatsapp', 'instant_messaging') GROUP BY c.code) s`},
		{"platforms only on social media and messaging", `
SELECT count(*) FILTER (WHERE (platform IS NOT NULL) <> (c.code IN ('social_media', 'instant_messaging'))) = 0
   AND count(DISTINCT platform) FILTER (WHERE c.code = 'social_media') = 3,
  string_agg(DISTINCT coalesce(platform, '-'), ' ')
FROM feedback f JOIN channel c ON c.id = f.channel_id`},
		{"service point closed on weekends", `
SELECT count(*) FILTER (WHERE c.code = 'service_point' AND extract(isodow FROM received_at) >= 6) = 0
   AND avg((extract(isodow FROM received_at) >= 6)::int) FILTER (WHERE c.code = 'email') > 0.08,
  round(avg((extract(isodow FROM received_at) >= 6)::int) FILTER (WHERE c.code = 'email'), 3)::text
FROM feedback f JOIN channel c ON c.id = f.channel_id`},
		{"phone in office hours", `
SELECT count(*) = 0, count(*)::text FROM feedback f JOIN channel c ON c.id = f.channel_id
WHERE c.code = 'phone' AND extract(hour FROM received_at) NOT BETWEEN 8 AND 15`},
		{"winter street maintenance", `
SELECT count(*) FILTER (WHERE extract(month FROM received_at) = 1) > 3 * count(*) FILTER (WHERE extract(month FROM received_at) = 7),
  count(*) FILTER (WHERE extract(month FROM received_at) = 1) || ' in January, ' ||
  count(*) FILTER (WHERE extract(month FROM received_at) = 7) || ' in July'
FROM feedback WHERE 'street_maintenance' = ANY (themes)`},
		{"quiet July", `
SELECT count(*) FILTER (WHERE extract(month FROM received_at) = 7) < count(*) FILTER (WHERE extract(month FROM received_at) = 9),
  count(*) FILTER (WHERE extract(month FROM received_at) = 7) || ' vs ' || count(*) FILTER (WHERE extract(month FROM received_at) = 9)
FROM feedback`},
		{"time order", `
SELECT count(*) = 0, count(*)::text FROM feedback
WHERE first_response_at < received_at OR resolved_at < first_response_at
   OR (resolved_at IS NOT NULL AND first_response_at IS NULL)
   OR (status = 'closed') <> (resolved_at IS NOT NULL)
   OR (status = 'in_progress') <> (first_response_at IS NOT NULL AND resolved_at IS NULL)`},
		{"nothing after Until", `
SELECT count(*) = 0, count(*)::text FROM feedback
WHERE received_at < @start OR received_at >= @end OR first_response_at >= @end OR resolved_at >= @end`},
		{"old closed, recent open", `
SELECT avg((status = 'closed')::int) FILTER (WHERE received_at < @end::timestamptz - interval '180 days') > 0.9
   AND avg((status <> 'closed')::int) FILTER (WHERE received_at >= @end::timestamptz - interval '3 days') > 0.5
   AND count(*) FILTER (WHERE first_response_at IS NULL AND received_at < @end::timestamptz - interval '180 days') > 0,
  round(avg((status = 'closed')::int) FILTER (WHERE received_at < @end::timestamptz - interval '180 days'), 3) || ' / ' ||
  round(avg((status <> 'closed')::int) FILTER (WHERE received_at >= @end::timestamptz - interval '3 days'), 3)
FROM feedback`},
		{"response times by channel", `
WITH m AS (SELECT c.code, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - received_at) / 3600) h
           FROM feedback f JOIN channel c ON c.id = f.channel_id GROUP BY c.code)
SELECT (SELECT h FROM m WHERE code = 'chat') < 0.5
   AND (SELECT h FROM m WHERE code = 'phone') < 24
   AND (SELECT h FROM m WHERE code = 'email') BETWEEN 20 AND 60
   AND (SELECT h FROM m WHERE code = 'letter') BETWEEN 7 * 24 AND 15 * 24,
  (SELECT string_agg(code || ':' || round(h::numeric, 1), ' ' ORDER BY h) FROM m)`},
		{"slow units", `
WITH m AS (SELECT u.code, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - received_at)) s
           FROM feedback f JOIN org_unit u ON u.id = f.unit_id WHERE f.kind = 'complaint' GROUP BY u.code)
SELECT (SELECT s FROM m WHERE code = 'rakennusvalvonta') > 1.5 * (SELECT s FROM m WHERE code = 'asiointipiste'),
  (SELECT string_agg(code || ':' || round((s / 86400)::numeric, 1), ' ') FROM m WHERE code IN ('rakennusvalvonta', 'asiointipiste'))`},
		{"kinds and languages", `
SELECT avg((kind = 'complaint')::int) BETWEEN 0.33 AND 0.5
   AND avg((language = 'sv')::int) BETWEEN 0.03 AND 0.09
   AND count(*) FILTER (WHERE language = 'en') > 0
   AND count(DISTINCT kind) = 4,
  'complaints ' || round(avg((kind = 'complaint')::int), 3) || ', sv ' || round(avg((language = 'sv')::int), 3) ||
  ', en ' || count(*) FILTER (WHERE language = 'en')
FROM feedback`},
		{"themes mostly found", `
SELECT avg((cardinality(themes) > 0)::int) > 0.9, round(avg((cardinality(themes) > 0)::int), 3)::text FROM feedback`},
		{"street maintenance feedback goes to street maintenance", `
SELECT avg((u.code = 'katujen_kunnossapito')::int) > 0.6, round(avg((u.code = 'katujen_kunnossapito')::int), 3)::text
FROM feedback f JOIN org_unit u ON u.id = f.unit_id JOIN channel c ON c.id = f.channel_id
WHERE themes = '{street_maintenance}' AND c.code IN ('phone', 'email', 'web_form')`},
		{"no personal data", `
SELECT count(*) = 0, count(*)::text FROM feedback
WHERE body ~ '@|\d{6}[-+A-FU-Y]\d{3}|\d{3}[ -]?\d{3}[ -]?\d{3,4}'`},
		{"contacts cover feedback", `
WITH fb AS (SELECT (received_at AT TIME ZONE 'Europe/Helsinki')::date d, unit_id, channel_id, count(*) n
            FROM feedback GROUP BY 1, 2, 3)
SELECT count(*) FILTER (WHERE v.contacts IS NULL OR v.contacts < fb.n) = 0, count(*)::text
FROM fb LEFT JOIN contact_volume v ON v.day = fb.d AND v.unit_id = fb.unit_id AND v.channel_id = fb.channel_id`},
		{"contacts several times feedback", `
SELECT (SELECT sum(contacts) FROM contact_volume) > 3 * (SELECT count(*) FROM feedback)
   AND (SELECT count(DISTINCT day) FROM contact_volume) = @end::date - @start::date
   AND (SELECT count(*) FROM (SELECT unit_id FROM contact_volume GROUP BY 1 HAVING count(DISTINCT channel_id) < 12) s) > 40,
  (SELECT sum(contacts) FROM contact_volume) || ' contacts'`},
		{"finance months", `
SELECT count(DISTINCT month) = 36 AND max(month) = date_trunc('month', @end::timestamptz - interval '1 day')::date,
  min(month) || '..' || max(month) FROM finance_month`},
		{"finance magnitude", `
WITH y AS (SELECT t.code, sum(f.budget) FILTER (WHERE g.kind = 'expense') e
           FROM finance_month f JOIN account_group g ON g.code = f.account_group
           JOIN org_unit u ON u.id = f.unit_id JOIN org_unit t ON t.path = subpath(u.path, 0, 2)
           WHERE extract(year FROM f.month) = 2025 GROUP BY t.code)
SELECT sum(e) BETWEEN 250e6 AND 350e6 AND (SELECT code FROM y ORDER BY e DESC LIMIT 1) = 'sivistys',
  round(sum(e) / 1e6) || ' M€' FROM y`},
		{"over and under budget", `
WITH u AS (SELECT unit_id, sum(actual) / sum(budget) r FROM finance_month f JOIN account_group g ON g.code = f.account_group
           WHERE g.kind = 'expense' AND extract(year FROM month) = 2025 GROUP BY unit_id)
SELECT count(*) FILTER (WHERE r > 1.03) >= 3 AND count(*) FILTER (WHERE r < 1) >= 3,
  count(*) FILTER (WHERE r > 1.03) || ' over, ' || count(*) FILTER (WHERE r < 1) || ' under' FROM u`},
		{"hr", `
SELECT count(DISTINCT unit_id) FILTER (WHERE headcount < 5) >= 3
   AND bool_and(fte <= headcount)
   AND sum(sick_leave_days) / sum(fte * extract(day FROM month + interval '1 month' - interval '1 day')) BETWEEN 0.035 AND 0.065
   AND count(*) = 36 * count(DISTINCT unit_id),
  count(DISTINCT unit_id) FILTER (WHERE headcount < 5) || ' small units, absence ' ||
  round(sum(sick_leave_days) / sum(fte * extract(day FROM month + interval '1 month' - interval '1 day')), 3)
FROM hr_month`},
	}
	p := periodBounds(t, opts)
	for _, c := range checks {
		var ok bool
		var detail *string
		args := pgx.NamedArgs{"start": p.start, "end": p.end}
		if err := pool.QueryRow(ctx, c.sql, args).Scan(&ok, &detail); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		d := "<nil>"
		if detail != nil {
			d = *detail
		}
		if !ok {
			t.Errorf("%s: does not hold (%s)", c.name, d)
		} else {
			t.Logf("%s: %s", c.name, d)
		}
	}

	// The stored themes are what the built-in rules say.
	cls, err := theme.Load("")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT source_id, body, themes FROM feedback`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, body string
		var themes []string
		if err := rows.Scan(&id, &body, &themes); err != nil {
			t.Fatal(err)
		}
		if want := cls.Classify(body); !slices.Equal(themes, want) {
			t.Fatalf("%s: themes %q, classifier says %q for %q", id, themes, want, body)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

type bounds struct{ start, end time.Time }

// periodBounds is the span the options should cover: from the first day of
// the month 35 months before Until's month to the end of Until's day.
func periodBounds(t *testing.T, o demo.Options) bounds {
	loc := i18n.Helsinki()
	y, m, d := o.Until.In(loc).Date()
	return bounds{
		start: time.Date(y, m-35, 1, 0, 0, 0, 0, loc),
		end:   time.Date(y, m, d+1, 0, 0, 0, 0, loc),
	}
}
