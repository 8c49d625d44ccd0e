package ingest

import (
	"context"
	"fmt"
	"iter"
	"maps"
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

// tally counts copied feedback rows by day (the city's), unit and channel,
// as refresh_feedback_counts counts them.
type tally struct {
	all    map[countKey]*[5]int32 // feedback, complaints, questions, suggestions, praise
	themes map[themeKey]*[2]int32 // feedback, complaints
}

type countKey struct {
	day           time.Time // midnight UTC of the day in Helsinki
	unit, channel any       // as the converter gives them
}

type themeKey struct {
	countKey
	theme string
}

var kindColumn = map[string]int{"complaint": 1, "question": 2, "suggestion": 3, "praise": 4}

// add counts a row in the order of stagingColumns.
func (t *tally) add(row []any) {
	if t.all == nil {
		t.all, t.themes = map[countKey]*[5]int32{}, map[themeKey]*[2]int32{}
	}
	y, m, d := row[6].(time.Time).In(i18n.Helsinki()).Date()
	k := countKey{time.Date(y, m, d, 0, 0, 0, 0, time.UTC), row[5], row[3]}
	kind := kindColumn[row[10].(string)]
	n := t.all[k]
	if n == nil {
		n = new([5]int32)
		t.all[k] = n
	}
	n[0]++
	n[kind]++
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

// addTo adds the tallied counts to feedback_count and feedback_theme_count.
func (t *tally) addTo(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE tallied (
		day date NOT NULL, unit_id integer NOT NULL, channel_id smallint NOT NULL, theme text NOT NULL,
		feedback integer NOT NULL, complaint integer NOT NULL, question integer, suggestion integer, praise integer
	) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("tallied counts: %w", err)
	}
	// Streamed from the maps: as rows they would take a hundred megabytes.
	var rows []any
	all, themes := maps.All(t.all), maps.All(t.themes)
	nextAll, stopAll := iter.Pull2(all)
	defer stopAll()
	nextTheme, stopTheme := iter.Pull2(themes)
	defer stopTheme()
	next := func() ([]any, error) {
		if k, n, ok := nextAll(); ok {
			rows = append(rows[:0], k.day, k.unit, k.channel, "", n[0], n[1], n[2], n[3], n[4])
			return rows, nil
		}
		if k, n, ok := nextTheme(); ok {
			rows = append(rows[:0], k.day, k.unit, k.channel, k.theme, n[0], n[1], nil, nil, nil)
			return rows, nil
		}
		return nil, nil
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"tallied"},
		[]string{"day", "unit_id", "channel_id", "theme", "feedback", "complaint", "question", "suggestion", "praise"},
		pgx.CopyFromFunc(next)); err != nil {
		return fmt.Errorf("tallied counts: %w", err)
	}
	if _, err := tx.Exec(ctx, addTalliedSQL); err != nil {
		return fmt.Errorf("add counts: %w", err)
	}
	return nil
}

// addTalliedSQL takes the lock that refresh_feedback_counts takes, so that
// imports at the same time count one after the other.
const addTalliedSQL = `SELECT pg_advisory_xact_lock(hashtext('luukku.feedback_count'));

INSERT INTO feedback_count AS c
SELECT 'd', day, unit_id, channel_id, feedback, complaint, question, suggestion, praise
FROM tallied WHERE theme = ''
UNION ALL
SELECT 'm', date_trunc('month', day::timestamp)::date, unit_id, channel_id,
	sum(feedback), sum(complaint), sum(question), sum(suggestion), sum(praise)
FROM tallied WHERE theme = '' GROUP BY 2, 3, 4
ON CONFLICT (grain, period, unit_id, channel_id) DO UPDATE SET
	feedback = c.feedback + excluded.feedback, complaint = c.complaint + excluded.complaint,
	question = c.question + excluded.question, suggestion = c.suggestion + excluded.suggestion,
	praise = c.praise + excluded.praise;

INSERT INTO feedback_theme_count AS c
SELECT 'd', day, unit_id, channel_id, theme, feedback, complaint
FROM tallied WHERE theme <> ''
UNION ALL
SELECT 'm', date_trunc('month', day::timestamp)::date, unit_id, channel_id, theme, sum(feedback), sum(complaint)
FROM tallied WHERE theme <> '' GROUP BY 2, 3, 4, 5
ON CONFLICT (grain, period, unit_id, channel_id, theme) DO UPDATE SET
	feedback = c.feedback + excluded.feedback, complaint = c.complaint + excluded.complaint`
