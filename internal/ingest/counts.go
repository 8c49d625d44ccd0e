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
	edges  []float64 // first_response_edges()
	all    map[countKey]*counts
	themes map[themeKey]*[2]int32 // feedback, complaints
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
	n     [6]int32 // feedback, complaints, questions, suggestions, praise, unresolved
	first []int32  // by class of the time to the first response; nil while none
}

var kindColumn = map[string]int{"complaint": 1, "question": 2, "suggestion": 3, "praise": 4}

// newTally reads the classes of the time to the first response from the
// database, which has them in first_response_class.
func newTally(ctx context.Context, tx pgx.Tx) (*tally, error) {
	t := &tally{all: map[countKey]*counts{}, themes: map[themeKey]*[2]int32{}}
	if err := tx.QueryRow(ctx, `SELECT first_response_edges()`).Scan(&t.edges); err != nil {
		return nil, fmt.Errorf("classes of response times: %w", err)
	}
	return t, nil
}

// add counts a row in the order of stagingColumns.
func (t *tally) add(row []any) {
	received := row[6].(time.Time)
	y, m, d := received.In(i18n.Helsinki()).Date()
	kind := kindColumn[row[10].(string)]
	unresolved := row[8].(*time.Time) == nil
	class := -1
	if first := row[7].(*time.Time); first != nil {
		// width_bucket: the number of edges at or below the time.
		secs := first.Sub(received).Seconds()
		class = sort.Search(len(t.edges), func(i int) bool { return t.edges[i] > secs })
	}
	for _, k := range []countKey{
		{'d', time.Date(y, m, d, 0, 0, 0, 0, time.UTC), row[5], row[3]},
		{'m', time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), row[5], row[3]},
	} {
		c := t.all[k]
		if c == nil {
			c = &counts{}
			t.all[k] = c
		}
		c.n[0]++
		c.n[kind]++
		if unresolved {
			c.n[5]++
		}
		if class >= 0 {
			if c.first == nil {
				c.first = make([]int32, len(t.edges)+1)
			}
			c.first[class]++
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

// addTo adds the tallied counts to feedback_count and feedback_theme_count.
func (t *tally) addTo(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE tallied (
		grain "char" NOT NULL, period date NOT NULL, unit_id integer NOT NULL, channel_id smallint NOT NULL, theme text NOT NULL,
		feedback integer NOT NULL, complaint integer NOT NULL, question integer, suggestion integer, praise integer,
		unresolved integer, first_response integer[]
	) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("tallied counts: %w", err)
	}
	// Streamed from the maps: as rows they would take a hundred megabytes.
	var rows []any
	none := make([]int32, len(t.edges)+1)
	all, themes := maps.All(t.all), maps.All(t.themes)
	nextAll, stopAll := iter.Pull2(all)
	defer stopAll()
	nextTheme, stopTheme := iter.Pull2(themes)
	defer stopTheme()
	next := func() ([]any, error) {
		if k, c, ok := nextAll(); ok {
			first := c.first
			if first == nil {
				first = none
			}
			rows = append(rows[:0], string(k.grain), k.period, k.unit, k.channel, "", c.n[0], c.n[1], c.n[2], c.n[3], c.n[4], c.n[5], first)
			return rows, nil
		}
		if k, n, ok := nextTheme(); ok {
			rows = append(rows[:0], string(k.grain), k.period, k.unit, k.channel, k.theme, n[0], n[1], nil, nil, nil, nil, nil)
			return rows, nil
		}
		return nil, nil
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"tallied"},
		[]string{"grain", "period", "unit_id", "channel_id", "theme", "feedback", "complaint", "question", "suggestion", "praise",
			"unresolved", "first_response"},
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
SELECT grain, period, unit_id, channel_id, feedback, complaint, question, suggestion, praise, unresolved, first_response
FROM tallied WHERE theme = ''
ON CONFLICT (grain, period, unit_id, channel_id) DO UPDATE SET
	feedback = c.feedback + excluded.feedback, complaint = c.complaint + excluded.complaint,
	question = c.question + excluded.question, suggestion = c.suggestion + excluded.suggestion,
	praise = c.praise + excluded.praise, unresolved = c.unresolved + excluded.unresolved,
	first_response = (SELECT array_agg(a + b ORDER BY i)
		FROM unnest(c.first_response, excluded.first_response) WITH ORDINALITY AS x (a, b, i));

INSERT INTO feedback_theme_count AS c
SELECT grain, period, unit_id, channel_id, theme, feedback, complaint
FROM tallied WHERE theme <> ''
ON CONFLICT (grain, period, unit_id, channel_id, theme) DO UPDATE SET
	feedback = c.feedback + excluded.feedback, complaint = c.complaint + excluded.complaint`
