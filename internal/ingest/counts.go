package ingest

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/luukku-bi/luukku/internal/i18n"
)

// The dashboards count feedback from feedback_count and
// feedback_theme_count (migration 00010), which an import brings up to
// date in its own transaction. Usually it counts again, from feedback, the
// days it touched (refresh_feedback_counts). An import of nothing but new
// rows, the usual first import of a large file, instead adds what it
// tallied while copying: counting a million rows again would cost seconds.

// tally counts copied feedback rows by day and by month (the city's), unit
// and channel, as refresh_feedback_counts counts them.
type tally struct {
	edges    []float64       // first_response_edges()
	targets  map[any]float64 // channel id → first-response target in seconds
	branches map[any][]any   // unit id → the branches it belongs to (unit_branches())
	days     map[any][]any   // unit id → those of them counted by day too (unit_day_branches())
	all      map[countKey]*counts
	themes   map[themeKey]*[2]int32 // feedback, complaints
}

type countKey struct {
	grain         byte      // 'd' or 'm'
	period        time.Time // midnight UTC of the day in Helsinki, or of the first of its month
	unit, channel any       // as the converter gives them
}

type themeKey struct {
	countKey
	theme string
}

// counts are a feedback_count row's.
type counts struct {
	// feedback, complaints, questions, suggestions, praise, unresolved,
	// unanswered, waiting (neither), answered in time
	n          [9]int32
	first      []int32 // by class of the time to the first response; nil while none
	resolution []int32 // by class of the time to resolution; nil while none
	hours      []int32 // by hour of the week received
	open       []int32 // open at the end of each day after the period's last
}

var kindColumn = map[string]int{"complaint": 1, "question": 2, "suggestion": 3, "praise": 4}

const (
	hoursOfWeek = 7 * 24
	openDays    = 60 // the days after a period that feedback_count.open_after counts
)

// newTally reads the classes of response times and the channels' targets
// from the database, which counts by them too.
func newTally(ctx context.Context, tx pgx.Tx) (*tally, error) {
	t := &tally{targets: map[any]float64{}, all: map[countKey]*counts{}, themes: map[themeKey]*[2]int32{}}
	if err := tx.QueryRow(ctx, `SELECT first_response_edges()`).Scan(&t.edges); err != nil {
		return nil, fmt.Errorf("classes of response times: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT id, first_response_target_hours::float8 * 3600 FROM channel`)
	if err != nil {
		return nil, fmt.Errorf("channel targets: %w", err)
	}
	var id int16
	var target float64
	if _, err := pgx.ForEachRow(rows, []any{&id, &target}, func() error {
		t.targets[id] = target
		return nil
	}); err != nil {
		return nil, fmt.Errorf("channel targets: %w", err)
	}
	if t.branches, err = unitsBranches(ctx, tx, `SELECT unit_id, branch_id FROM unit_branches()`); err != nil {
		return nil, err
	}
	if t.days, err = unitsBranches(ctx, tx, `SELECT unit_id, branch_id FROM unit_day_branches()`); err != nil {
		return nil, err
	}
	return t, nil
}

// unitsBranches reads pairs of unit and branch ids, keyed by ids of the
// type the converter gives them.
func unitsBranches(ctx context.Context, tx pgx.Tx, query string) (map[any][]any, error) {
	rows, err := tx.Query(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("branches of the organisation: %w", err)
	}
	var unit, branch int32
	branches := map[any][]any{}
	if _, err := pgx.ForEachRow(rows, []any{&unit, &branch}, func() error {
		branches[unit] = append(branches[unit], branch)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("branches of the organisation: %w", err)
	}
	return branches, nil
}

// class is the class of a time of secs seconds, as first_response_class:
// the number of edges at or below it.
func (t *tally) class(secs float64) int {
	return sort.Search(len(t.edges), func(i int) bool { return t.edges[i] > secs })
}

// add counts a row in the order of stagingColumns.
func (t *tally) add(row []any) {
	received := row[6].(time.Time)
	local := received.In(i18n.Helsinki())
	y, m, d := local.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)      // days as UTC midnights, 24 hours apart
	hour := (int(local.Weekday())+6)%7*24 + local.Hour() // Monday 0:00 is 0
	kind := kindColumn[row[10].(string)]
	first, resolved := row[7].(*time.Time), row[8].(*time.Time)
	resolvedOn := time.Time{}
	if resolved != nil {
		ry, rm, rd := resolved.In(i18n.Helsinki()).Date()
		resolvedOn = time.Date(ry, rm, rd, 0, 0, 0, 0, time.UTC)
	}
	firstClass, resolutionClass, inTime := -1, -1, false
	if first != nil {
		secs := first.Sub(received).Seconds()
		firstClass = t.class(secs)
		inTime = secs <= t.targets[row[3]]
	}
	if resolved != nil {
		resolutionClass = t.class(resolved.Sub(received).Seconds())
	}
	for _, p := range []struct {
		key     countKey
		lastDay time.Time
	}{
		{countKey{'d', day, row[5], row[3]}, day},
		{countKey{'m', time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), row[5], row[3]}, time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)},
	} {
		k := p.key
		c := t.all[k]
		if c == nil {
			c = &counts{hours: make([]int32, hoursOfWeek), open: make([]int32, openDays)}
			t.all[k] = c
		}
		// As open_days: on how many of the days after the period's last the
		// item was still open at the end of the day.
		open := openDays
		if resolved != nil {
			open = min(max(int(resolvedOn.Sub(p.lastDay).Hours()/24), 0), openDays)
		}
		for i := range open {
			c.open[i]++
		}
		c.n[0]++
		c.n[kind]++
		c.hours[hour]++
		switch {
		case first == nil && resolved == nil:
			c.n[5]++
			c.n[6]++
			c.n[7]++
		case first == nil:
			c.n[6]++
		case resolved == nil:
			c.n[5]++
		}
		if inTime {
			c.n[8]++
		}
		if firstClass >= 0 {
			c.first = countIn(c.first, firstClass, len(t.edges)+1)
		}
		if resolutionClass >= 0 {
			c.resolution = countIn(c.resolution, resolutionClass, len(t.edges)+1)
		}
		for _, th := range row[14].([]string) {
			tk := themeKey{k, th}
			n := t.themes[tk]
			if n == nil {
				n = new([2]int32)
				t.themes[tk] = n
			}
			n[0]++
			if kind == 1 {
				n[1]++
			}
		}
	}
}

// countIn counts one at position i of counts of size n, made when nil.
func countIn(counts []int32, i, n int) []int32 {
	if counts == nil {
		counts = make([]int32, n)
	}
	counts[i]++
	return counts
}

// plus adds o to c.
func (c *counts) plus(o *counts) {
	for i, n := range o.n {
		c.n[i] += n
	}
	c.first = addCounts(c.first, o.first)
	c.resolution = addCounts(c.resolution, o.resolution)
	c.hours = addCounts(c.hours, o.hours)
	c.open = addCounts(c.open, o.open)
}

// addCounts adds b to a, element by element; either may be nil for none.
func addCounts(a, b []int32) []int32 {
	if b == nil {
		return a
	}
	if a == nil {
		a = make([]int32, len(b))
	}
	for i, n := range b {
		a[i] += n
	}
	return a
}

// bySubtree yields the tallied counts of each branch of the organisation
// (the rows of feedback_tree_count or feedback_theme_tree_count), one
// period at a time. branchesOf gives the branches a count key's unit
// belongs to at its grain, at is the count key within k, and rekey k's key
// for branch b.
func bySubtree[K comparable, V any](branchesOf func(countKey) []any, tallied map[K]*V, at func(K) countKey, rekey func(K, any) K, add func(sum, n *V)) iter.Seq2[K, *V] {
	byPeriod := map[time.Time][]K{}
	for k := range tallied {
		if c := at(k); len(branchesOf(c)) > 0 {
			byPeriod[c.period] = append(byPeriod[c.period], k)
		}
	}
	return func(yield func(K, *V) bool) {
		for _, keys := range byPeriod {
			sums := map[K]*V{}
			for _, k := range keys {
				for _, b := range branchesOf(at(k)) {
					bk := rekey(k, b)
					if sums[bk] == nil {
						sums[bk] = new(V)
					}
					add(sums[bk], tallied[k])
				}
			}
			for k, n := range sums {
				if !yield(k, n) {
					return
				}
			}
		}
	}
}

// branchesOf gives a count key's branches: every branch of its unit for a
// month, those in days for a day.
func (t *tally) branchesOf(days map[any][]any) func(countKey) []any {
	return func(k countKey) []any {
		if k.grain == 'm' {
			return t.branches[k.unit]
		}
		return days[k.unit]
	}
}

// subtrees are the branches' month rows and the roots' day rows.
func (t *tally) subtrees() iter.Seq2[countKey, *counts] {
	return bySubtree(t.branchesOf(t.days), t.all, func(k countKey) countKey { return k },
		func(k countKey, b any) countKey { k.unit = b; return k }, (*counts).plus)
}

// themeSubtrees are the branches' month rows of themes and the roots' day
// rows: feedback_theme_tree_count holds the months, feedback_theme_tree_total
// both.
func (t *tally) themeSubtrees() iter.Seq2[themeKey, *[2]int32] {
	return bySubtree(t.branchesOf(t.days), t.themes, func(k themeKey) countKey { return k.countKey },
		func(k themeKey, b any) themeKey { k.unit = b; return k },
		func(sum, n *[2]int32) { sum[0] += n[0]; sum[1] += n[1] })
}

// addTo adds the tallied counts to feedback_count, feedback_theme_count
// and their branches' tables.
func (t *tally) addTo(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE tallied (
		tree boolean NOT NULL, -- a branch's row
		grain "char" NOT NULL, period date NOT NULL, unit_id integer NOT NULL, channel_id smallint NOT NULL, theme text NOT NULL,
		feedback integer NOT NULL, complaint integer NOT NULL, question integer, suggestion integer, praise integer,
		unresolved integer, unanswered integer, waiting integer, in_time integer,
		first_response integer[], resolution integer[], by_hour integer[], open_after integer[]
	) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("tallied counts: %w", err)
	}
	// Streamed from the maps: as rows they would take a hundred megabytes.
	// Classes of times where nothing was answered or resolved, as in most
	// rows of a day's new feedback, go as NULL, not 160 zeros each.
	var rows []any
	nextAll, stopAll := iter.Pull2(maps.All(t.all))
	defer stopAll()
	nextTree, stopTree := iter.Pull2(t.subtrees())
	defer stopTree()
	nextTheme, stopTheme := iter.Pull2(maps.All(t.themes))
	defer stopTheme()
	nextThemeTree, stopThemeTree := iter.Pull2(t.themeSubtrees())
	defer stopThemeTree()
	themeRow := func(tree bool, k themeKey, n *[2]int32) []any {
		rows = append(rows[:0], tree, string(k.grain), k.period, k.unit, k.channel, k.theme, n[0], n[1],
			nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil)
		return rows
	}
	countRow := func(tree bool, k countKey, c *counts) []any {
		rows = append(rows[:0], tree, string(k.grain), k.period, k.unit, k.channel, "")
		for _, n := range c.n {
			rows = append(rows, n)
		}
		return append(rows, c.first, c.resolution, c.hours, c.open)
	}
	next := func() ([]any, error) {
		if k, c, ok := nextAll(); ok {
			return countRow(false, k, c), nil
		}
		if k, c, ok := nextTree(); ok {
			return countRow(true, k, c), nil
		}
		if k, n, ok := nextTheme(); ok {
			return themeRow(false, k, n), nil
		}
		if k, n, ok := nextThemeTree(); ok {
			return themeRow(true, k, n), nil
		}
		return nil, nil
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"tallied"},
		[]string{"tree", "grain", "period", "unit_id", "channel_id", "theme", "feedback", "complaint", "question", "suggestion", "praise",
			"unresolved", "unanswered", "waiting", "in_time", "first_response", "resolution", "by_hour", "open_after"},
		pgx.CopyFromFunc(next)); err != nil {
		return fmt.Errorf("tallied counts: %w", err)
	}
	if _, err := tx.Exec(ctx, addTalliedSQL()); err != nil {
		return fmt.Errorf("add counts: %w", err)
	}
	return nil
}

// addTalliedSQL takes the lock that refresh_feedback_counts takes, so that
// imports at the same time count one after the other, and then counts the
// units' running classes again from the first month it added to.
func addTalliedSQL() string {
	return `SELECT pg_advisory_xact_lock(hashtext('luukku.feedback_count'));
` + addCountsSQL("feedback_count", "NOT tree") + addCountsSQL("feedback_tree_count", "tree") +
		addThemeCountsSQL("feedback_theme_count", "NOT tree") + addThemeCountsSQL("feedback_theme_tree_count", "tree AND grain = 'm'") +
		addThemeTotalsSQL + `
SELECT refresh_feedback_response_running((SELECT min(period) FROM tallied WHERE grain = 'm' AND NOT tree AND theme = ''));
`
}

// addThemeTotalsSQL adds the tallied branches' theme rows to
// feedback_theme_tree_total (migration 00026), summed over the channels:
// the branches' months and the roots' days.
const addThemeTotalsSQL = `
INSERT INTO feedback_theme_tree_total AS c (grain, period, unit_id, theme, feedback, complaint)
SELECT grain, period, unit_id, theme, sum(feedback), sum(complaint)
FROM tallied WHERE theme <> '' AND tree
GROUP BY 1, 2, 3, 4
ON CONFLICT (grain, period, unit_id, theme) DO UPDATE SET
	feedback = c.feedback + excluded.feedback, complaint = c.complaint + excluded.complaint;
`

// addThemeCountsSQL adds the tallied theme rows that match to table, a
// table of feedback_theme_count's columns.
func addThemeCountsSQL(table, match string) string {
	return fmt.Sprintf(`
INSERT INTO %s AS c
SELECT grain, period, unit_id, channel_id, theme, feedback, complaint
FROM tallied WHERE theme <> '' AND %s
ON CONFLICT (grain, period, unit_id, channel_id, theme) DO UPDATE SET
	feedback = c.feedback + excluded.feedback, complaint = c.complaint + excluded.complaint;
`, table, match)
}

// addCountsSQL adds the tallied rows that match to table, a table of
// feedback_count's columns.
func addCountsSQL(table, match string) string {
	return fmt.Sprintf(`
INSERT INTO %[1]s AS c (grain, period, unit_id, channel_id, feedback, complaint, question, suggestion,
	praise, unresolved, unanswered, waiting, in_time, first_response, resolution, by_hour, open_after)
SELECT grain, period, unit_id, channel_id, feedback, complaint, question, suggestion, praise, unresolved,
	unanswered, waiting, in_time, coalesce(first_response, %[3]s), coalesce(resolution, %[3]s), by_hour, open_after
FROM tallied WHERE theme = '' AND %[2]s
ON CONFLICT (grain, period, unit_id, channel_id) DO UPDATE SET
	feedback = c.feedback + excluded.feedback, complaint = c.complaint + excluded.complaint,
	question = c.question + excluded.question, suggestion = c.suggestion + excluded.suggestion,
	praise = c.praise + excluded.praise, unresolved = c.unresolved + excluded.unresolved,
	unanswered = c.unanswered + excluded.unanswered, waiting = c.waiting + excluded.waiting,
	in_time = c.in_time + excluded.in_time,
	first_response = add_counts(c.first_response, excluded.first_response),
	resolution = add_counts(c.resolution, excluded.resolution),
	by_hour = add_counts(c.by_hour, excluded.by_hour),
	open_after = add_counts(c.open_after, excluded.open_after);
`, table, match, noClasses)
}

// noClasses is an empty row's classes of times: none in each of 160.
const noClasses = "array_fill(0, ARRAY[cardinality(first_response_edges()) + 1])"
