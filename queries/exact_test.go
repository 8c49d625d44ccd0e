package queries_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/luukku-bi/luukku/internal/demo"
	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/queries"
)

// The panels that read counted feedback (or, for the map, an index of its
// own, and for finance the branches' sums) answer as the same query over
// feedback (or the ledger) itself would (testdata/exact holds those; a
// query that several panels show parts of has a directory of exact
// queries, one for each part): counts, sums and shares
// exactly; medians, estimated from the classes of response times, within
// a fifth where they are of a hundred items or more. An estimate lies in
// the class of the time at the median's rank, a tenth wide; the exact
// median of an even number of times is the mean of the middle two, which
// may lie classes apart (of fewer items, one more or less moves even the
// exact median further). Views: up to today, one that ended in the past,
// one within a month, a subtree and some channels.
func TestCountedAnswerAsExact(t *testing.T) {
	pool := demoCity(t, demo.Options{Feedback: 20_000})
	cat := embedded(t)
	sub := firstToimiala(t, pool)
	now := time.Now().In(i18n.Helsinki())
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, i18n.Helsinki())
	views := []struct {
		name     string
		from, to time.Time
		unit     string
		channels []string
	}{
		{"twelve months up to today", time.Date(today.Year()-1, today.Month()+1, 1, 0, 0, 0, 0, i18n.Helsinki()), today, "esimerkkila", []string{}},
		{"a past year", today.AddDate(-2, 0, 3), today.AddDate(-1, 0, -9), "esimerkkila", []string{}},
		{"within a month, up to today", today.AddDate(0, 0, -20), today, "esimerkkila", []string{}},
		{"a subtree", today.AddDate(0, -7, 0), today, sub, []string{}},
		{"two channels", today.AddDate(0, -5, -3), today, "esimerkkila", []string{"phone", "chat"}},
	}
	files, err := filepath.Glob("testdata/exact/*.sql")
	parts, err2 := filepath.Glob("testdata/exact/*/*.sql")
	if files = append(files, parts...); err != nil || err2 != nil || len(files) == 0 {
		t.Fatalf("no exact queries: %v", errors.Join(err, err2))
	}
	for _, file := range files {
		exact, counted := exactPair(t, cat, file)
		withRows := 0 // views that gave rows to compare
		changes := 0  // changes of a hundred items or more compared
		for _, v := range views {
			t.Run(counted.Name+"/"+exact.Name+"/"+v.name, func(t *testing.T) {
				args := map[string]any{"from": v.from, "to": v.to, "unit": v.unit, "channels": v.channels, "lang": "fi"}
				got, want := runPair(t, pool, counted, exact, args)
				if len(want.Rows) > 0 {
					withRows++
				}
				if got.ColumnIndex("change") >= 0 {
					changes += compareRanked(t, got, want)
					return
				}
				compareRows(t, got, want)
			})
		}
		if withRows == 0 {
			t.Errorf("%s: no view gave rows to compare", exact.Name)
		}
		if exact.Name == "service_slipped_units" && changes == 0 {
			t.Errorf("%s: no view gave a change of a hundred items or more to compare", exact.Name)
		}
	}
}

// embedded is the catalogue of the embedded queries.
func embedded(t *testing.T) *queries.Catalog {
	t.Helper()
	cat, err := queries.Load(queries.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// exactPair is the exact query in file (testdata/exact) and the
// catalogue's query of the same name, or of its directory's name.
func exactPair(t *testing.T, cat *queries.Catalog, file string) (exact, counted *queries.Query) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if exact, err = queries.Parse(filepath.Base(file), string(src)); err != nil {
		t.Fatal(err)
	}
	name := exact.Name
	if dir := filepath.Base(filepath.Dir(file)); dir != "exact" {
		name = dir
	}
	counted, ok := cat.Get(name)
	if !ok {
		t.Fatalf("no query %s", name)
	}
	return exact, counted
}

// runPair runs counted and exact with args: got is counted's result, want
// exact's.
func runPair(t *testing.T, db queries.Querier, counted, exact *queries.Query, args map[string]any) (got, want *queries.Result) {
	t.Helper()
	want, err := exact.Run(t.Context(), db, args)
	if err != nil {
		t.Fatal(err)
	}
	if got, err = counted.Run(t.Context(), db, args); err != nil {
		t.Fatal(err)
	}
	return got, want
}

// compareRows compares got with want row by row, column by column by
// name, durations within a fifth. The durations of fewer than 100 items
// are not compared: the answered, resolved or feedback they are of, or,
// without such a column, the whole view's. An exact query may give such a
// column only to tell this.
func compareRows(t *testing.T, got, want *queries.Result) {
	t.Helper()
	if len(got.Rows) != len(want.Rows) {
		t.Fatalf("%d rows, want %d", len(got.Rows), len(want.Rows))
	}
	n := -1
	for _, c := range []string{"answered", "resolved", "feedback"} {
		if n = want.ColumnIndex(c); n >= 0 {
			break
		}
	}
	for j, c := range want.Columns {
		g := got.ColumnIndex(c.Name)
		if g < 0 {
			if j != n {
				t.Errorf("no column %s", c.Name)
			}
			continue
		}
		duration := c.Type == queries.ColHours || c.Type == queries.ColMinutes
		for i, w := range want.Rows {
			if duration && n >= 0 && w[n].(int64) < 100 {
				continue
			}
			if !near(got.Rows[i][g], w[j], duration) {
				t.Errorf("row %d %s = %v, want %v", i, c.Name, got.Rows[i][g], w[j])
			}
		}
	}
}

// compareRanked compares a ranking by a change of estimated medians
// (service_slipped_units). The change is a ratio of medians less one; an
// estimated median lies in the class of the exact one, a tenth wide, so a
// ratio of two may be a fifth off. So may the order of units whose changes
// are close, and which of them make the ten listed. Most of the ten must
// be the same, each as it is in want but for the change, whose ratio must
// be within a fifth where the unit answered a hundred items or more in
// both periods, as for durations. Of fewer, a channel's exact median of an
// even number of times is the mean of two that may lie classes apart: a
// school that answered 30 and 33 items showed a change of 33 % for an
// exact 62 %. It returns how many changes it compared so.
func compareRanked(t *testing.T, got, want *queries.Result) (compared int) {
	t.Helper()
	if len(got.Rows) != len(want.Rows) || len(want.Rows) == 0 {
		t.Fatalf("%d rows, want %d (and more than none)", len(got.Rows), len(want.Rows))
	}
	wantRow := map[any][]any{}
	for _, r := range want.Rows {
		wantRow[r[0]] = r
	}
	answered, previous := want.ColumnIndex("answered"), want.ColumnIndex("answered_previous")
	same := 0
	for i, r := range got.Rows {
		w, ok := wantRow[r[0]]
		if !ok {
			continue
		}
		same++
		for j, c := range want.Columns {
			g, ok := r[j].(float64)
			if c.Name != "change" || !ok {
				if !near(r[j], w[j], false) {
					t.Errorf("row %d %s = %v, want %v", i, c.Name, r[j], w[j])
				}
				continue
			}
			if w[answered].(int64) < 100 || w[previous].(int64) < 100 {
				continue
			}
			compared++
			if wf := w[j].(float64); math.Abs(math.Log((1+g/100)/(1+wf/100))) > math.Log(1.2) {
				t.Errorf("row %d %s = %v, want %v", i, c.Name, g, wf)
			}
		}
	}
	if same < len(want.Rows)*2/3 {
		t.Errorf("%d of %d units the same", same, len(want.Rows))
	}
	return compared
}

// near compares exactly, or a duration within a fifth.
func near(got, want any, duration bool) bool {
	g, gok := got.(float64)
	w, wok := want.(float64)
	if !gok || !wok {
		return fmt.Sprint(got) == fmt.Sprint(want)
	}
	if duration {
		return math.Abs(g-w) <= 0.20*math.Abs(w)
	}
	return math.Abs(g-w) <= 1e-9*math.Max(1, math.Abs(w))
}

// The map's points come from feedback_map_sample_fine when a view has
// 4 000 located items in its lowest sixty-fourth of hashes, else from
// feedback_map_sample when it has 4 000 in the lowest sixteenth, else from
// all of its located items; the demo views above have too few for either.
// Here 320 000 located items over a year give the whole city's year the
// first, its last four months the second, and its last month and a
// toimiala's year the third, and each view draws exactly the points of the
// query that orders all of the view's located items.
func TestMapSampleAnswersAsExact(t *testing.T) {
	pool := demoCity(t, demo.Options{Feedback: 1_000})
	ctx := t.Context()
	if _, err := pool.Exec(ctx, `INSERT INTO feedback (source, source_id, channel_id, unit_id, received_at, status, kind,
			language, body, themes, lat, lon)
		SELECT 'map', i::text, (SELECT min(id) FROM channel),
			(SELECT id FROM org_unit WHERE nlevel(path) > 1 ORDER BY path OFFSET i % 40 LIMIT 1),
			now() - (i % 365) * interval '1 day', 'open', 'question', 'fi', 'x', ARRAY['parks'],
			60.1 + (i % 100) / 1000.0, 24.9 + (i % 97) / 1000.0
		FROM generate_series(1, 320000) AS i`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE feedback`); err != nil {
		t.Fatal(err)
	}
	exact, sampled := exactPair(t, embedded(t), "testdata/exact/feedback_points.sql")
	part := firstToimiala(t, pool)
	now := time.Now().In(i18n.Helsinki())
	for _, v := range []struct {
		unit   string
		months int
		tier   int // 1: the sixty-fourth, 2: the sixteenth, 3: all
	}{{"esimerkkila", 12, 1}, {"esimerkkila", 4, 2}, {"esimerkkila", 1, 3}, {part, 12, 3}} {
		args := map[string]any{"from": now.AddDate(0, -v.months, 0), "to": now, "unit": v.unit, "channels": []string{}}
		var fine, coarse int
		if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE hashint8(f.id) < -2080374784),
				count(*) FILTER (WHERE hashint8(f.id) < -1879048192)
			FROM feedback f JOIN org_unit u ON u.id = f.unit_id
			WHERE f.lat IS NOT NULL AND u.path <@ $1::ltree AND f.received_at >= $2 AND f.received_at < $3::date + 1`,
			v.unit, args["from"], now).Scan(&fine, &coarse); err != nil {
			t.Fatal(err)
		}
		tier := 3
		if coarse >= 4000 {
			tier = 2
		}
		if fine >= 4000 {
			tier = 1
		}
		if tier != v.tier {
			t.Fatalf("%s, %d months: %d and %d items in the tiers, the points of tier %d, want %d", v.unit, v.months, fine, coarse, tier, v.tier)
		}
		got, want := runPair(t, pool, sampled, exact, args)
		if len(want.Rows) == 0 {
			t.Fatalf("%s, %d months: no points", v.unit, v.months)
		}
		if v.tier < 3 && len(want.Rows) != 4000 {
			t.Fatalf("%s, %d months: %d points, want the 4 000 of a sample", v.unit, v.months, len(want.Rows))
		}
		compareRows(t, got, want)
	}
}

// The backlog of a view that ended in the past asks only its last 30 days
// item by item and takes the oldest bucket from the counts; this says it
// still answers as the exact query does, at ends every 11th day over the
// demo's years, of the city and a subtree. A tenth of the feedback is made
// to be answered 31–90 days after it came, later than the demo answers, so
// that many ends fall between an old item's arrival and its answer.
func TestPastBacklogAnswersAsExact(t *testing.T) {
	today := time.Date(2026, 6, 17, 0, 0, 0, 0, i18n.Helsinki())
	pool := demoCity(t, demo.Options{Feedback: 6_000, Until: today})
	ctx := t.Context()
	var late int
	err := pool.QueryRow(ctx, `
		WITH late AS (
			UPDATE feedback
			SET first_response_at = received_at + (31 + id % 60) * interval '1 day',
				resolved_at = CASE WHEN id % 3 = 0 THEN NULL ELSE received_at + (31 + id % 60 + id % 7) * interval '1 day' END
			WHERE id % 10 = 0 AND received_at < $1::date - 100
			RETURNING 1
		)
		SELECT count(*) FROM late`, today).Scan(&late)
	if err != nil || late < 100 {
		t.Fatalf("%d feedback made late (%v)", late, err)
	}
	if _, err := pool.Exec(ctx, `SELECT refresh_feedback_counts('-infinity', 'infinity')`); err != nil {
		t.Fatal(err)
	}
	exact, counted := exactPair(t, embedded(t), "testdata/exact/service_backlog_by_age.sql")
	sub := firstToimiala(t, pool)
	var lateOpen int64
	for end := time.Date(2024, 3, 1, 0, 0, 0, 0, i18n.Helsinki()); end.Before(today); end = end.AddDate(0, 0, 11) {
		for _, unit := range []string{"esimerkkila", sub} {
			args := map[string]any{"from": end.AddDate(-1, 0, 1), "to": end, "unit": unit, "channels": []string{}, "lang": "fi"}
			got, want := runPair(t, pool, counted, exact, args)
			compareRows(t, got, want)
			if t.Failed() {
				t.Fatalf("the backlog of %s at %s differs", unit, end.Format(time.DateOnly))
			}
			lateOpen += want.Rows[4][1].(int64)
		}
	}
	if lateOpen == 0 {
		t.Error("no view has feedback over 30 days old unanswered at its end, which proves nothing")
	}
}

// Up to today, the backlog reads item by item only the days its buckets'
// edges fall on, and takes the other days from the units' day rows; a first
// response stamped after now (later today in the demo, or by a clock-skewed
// import) is an answer to both. This stamps a third of the young open
// feedback so, on every day, and says the backlog still answers as the
// exact query does, of the city and a subtree, over a year and a month.
// (The demo's today runs to its end, so some of it is received after now:
// those are answered after they arrive.)
func TestBacklogUpToTodayAnswersAsExact(t *testing.T) {
	pool := demoCity(t, demo.Options{Feedback: 20_000})
	ctx := t.Context()
	var stamped, days int
	err := pool.QueryRow(ctx, `
		WITH young AS (
			SELECT id, row_number() OVER (PARTITION BY (received_at AT TIME ZONE 'Europe/Helsinki')::date ORDER BY id) AS n
			FROM feedback
			WHERE resolved_at IS NULL AND received_at >= now() - interval '30 days'
		), stamped AS (
			UPDATE feedback f SET first_response_at = greatest(f.received_at, now()) + (1 + f.id % 5) * interval '1 hour'
			FROM young y
			WHERE y.id = f.id AND y.n % 3 = 1 -- a third of each day's
			RETURNING f.received_at
		)
		SELECT count(*), count(DISTINCT (received_at AT TIME ZONE 'Europe/Helsinki')::date) FROM stamped`).Scan(&stamped, &days)
	if err != nil || stamped < 30 || days < 20 {
		t.Fatalf("%d feedback on %d days stamped answered after now (%v)", stamped, days, err)
	}
	if _, err := pool.Exec(ctx, `SELECT refresh_feedback_counts('-infinity', 'infinity')`); err != nil {
		t.Fatal(err)
	}
	exact, counted := exactPair(t, embedded(t), "testdata/exact/service_backlog_by_age.sql")
	now := time.Now().In(i18n.Helsinki())
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, i18n.Helsinki())
	var inProgress int64
	for _, unit := range []string{"esimerkkila", firstToimiala(t, pool)} {
		for _, from := range []time.Time{today.AddDate(-1, 0, 1), today.AddDate(0, 0, -30)} {
			args := map[string]any{"from": from, "to": today, "unit": unit, "channels": []string{}, "lang": "fi"}
			got, want := runPair(t, pool, counted, exact, args)
			compareRows(t, got, want)
			if t.Failed() {
				t.Fatalf("the backlog of %s from %s differs", unit, from.Format(time.DateOnly))
			}
			for _, row := range want.Rows[:4] {
				inProgress += row[2].(int64)
			}
		}
	}
	if inProgress < int64(stamped) {
		t.Errorf("%d in progress in the last 30 days of the views, fewer than the %d stamped", inProgress, stamped)
	}
}
