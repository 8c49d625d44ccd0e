// Package demo loads a deterministic synthetic municipality, Esimerkkilä,
// so that Luukku can be tried, demonstrated and tested without real data.
//
// The data has the shapes that make the dashboards worth looking at:
// a channel mix after the Kuntaliitto customer-service survey with a shift
// to digital channels, weekly and yearly rhythms, response times that differ
// by channel and unit, budgets with over- and underspending units, and HR
// figures that include units too small to show. Feedback texts come from
// Finnish, Swedish and English templates and are classified with the theme
// rules in the database, exactly as imported feedback is.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/luukku-bi/luukku/internal/i18n"
	"github.com/luukku-bi/luukku/internal/theme"
)

// Options says how much data to make and for when.
type Options struct {
	// Feedback is the number of feedback rows; zero means 200 000.
	Feedback int
	// Until is the last day of data, read in Europe/Helsinki; the zero time
	// means today. The data covers the 36 months that end in Until's month,
	// up to and including Until's day.
	Until time.Time
	// Seed selects the data; zero means 1. The same seed and Until give the
	// same data.
	Seed int64
	// Themes classify the feedback; nil means the built-in ones.
	Themes *theme.Set
}

// Summary reports what Load wrote.
type Summary struct {
	Units    int // org units at level 'unit'; the city and toimialat come on top
	Feedback int
	Contacts int // contact_volume rows
	Finance  int // finance_month rows
	HR       int // hr_month rows
	Survey   int // survey answers
	Actions  int // development actions with planted effects
	Took     time.Duration
}

// DefaultFeedback is the number of feedback rows when Options.Feedback is 0.
const DefaultFeedback = 200_000

func (o Options) withDefaults() (Options, error) {
	if o.Feedback < 0 {
		return o, fmt.Errorf("feedback count %d is negative", o.Feedback)
	}
	if o.Feedback == 0 {
		o.Feedback = DefaultFeedback
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Until.IsZero() {
		o.Until = time.Now()
	}
	return o, nil
}

const (
	// Two loads at once would both delete and then collide on insert; the
	// lock makes the second wait and then replace the first one's data.
	lockSQL = `SELECT pg_advisory_xact_lock(hashtext('luukku.demo'))`

	analyzeSQL = `ANALYZE org_unit, channel, feedback, contact_volume, finance_month, hr_month, survey_answer`

	// The demo owns the feedback of its source and all daily and monthly
	// facts of the units under its city. Feedback from other sources is
	// left alone even when it points at a demo unit.
	deleteFeedbackSQL = `DELETE FROM feedback WHERE source = $1`
	// The demo replaces its feedback on every day it ever had.
	refreshCountsSQL        = `SELECT refresh_feedback_counts('-infinity', 'infinity')`
	refreshActionEffectsSQL = `SELECT refresh_action_effects()`
	refreshSurveyCountsSQL  = `SELECT refresh_survey_counts('-infinity', 'infinity')`
	refreshFinanceCountsSQL = `SELECT refresh_finance_counts()`
	refreshHRCountsSQL      = `SELECT refresh_hr_counts()`
	deleteContactsSQL       = `DELETE FROM contact_volume WHERE unit_id IN (SELECT id FROM org_unit WHERE path <@ $1::text::ltree)`
	deleteFinanceSQL        = `DELETE FROM finance_month WHERE unit_id IN (SELECT id FROM org_unit WHERE path <@ $1::text::ltree)`
	deleteHRSQL             = `DELETE FROM hr_month WHERE unit_id IN (SELECT id FROM org_unit WHERE path <@ $1::text::ltree)`
	deleteSurveySQL         = `DELETE FROM survey_answer WHERE response_id LIKE 'demo-%'`

	// Units are upserted rather than replaced so that their ids, and
	// anything else that refers to them, survive a reload.
	upsertUnitsSQL = `
INSERT INTO org_unit (code, path, level, name_fi, name_sv, name_en, centralised)
SELECT * FROM unnest($1::text[], $2::text[]::ltree[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[])
ON CONFLICT (code) DO UPDATE SET
    path = excluded.path, level = excluded.level, name_fi = excluded.name_fi,
    name_sv = excluded.name_sv, name_en = excluded.name_en, centralised = excluded.centralised
RETURNING code, id`

	channelsSQL = `SELECT code, id FROM channel`

	bumpVersionSQL = `UPDATE data_version SET version = version + 1, updated_at = now()`
)

// Load replaces the demo data with freshly generated data in one
// transaction and bumps the data version: readers see either the old data
// or the new, and a failed load changes nothing. Loading again with the
// same options gives the same data.
func Load(ctx context.Context, pool *pgxpool.Pool, opts Options, log *slog.Logger) (Summary, error) {
	started := time.Now()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return Summary{}, err
	}
	p := newPeriod(opts.Until, i18n.Helsinki())

	tx, err := pool.Begin(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("begin: %w", err)
	}
	// After a successful commit this does nothing.
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()

	sum, err := load(ctx, tx, p, opts, log)
	if err != nil {
		return Summary{}, err
	}
	if err := tx.Commit(ctx); err != nil {
		return Summary{}, fmt.Errorf("commit: %w", err)
	}
	// Fresh statistics at once: the planner would otherwise take the new
	// tables for nearly empty until autovacuum gets round to them.
	if _, err := pool.Exec(ctx, analyzeSQL); err != nil {
		return Summary{}, fmt.Errorf("analyze: %w", err)
	}
	sum.Took = time.Since(started)
	log.Info("demo data loaded",
		"from", p.start.Format(time.DateOnly), "until", p.end.AddDate(0, 0, -1).Format(time.DateOnly),
		"units", sum.Units, "feedback", sum.Feedback, "contacts", sum.Contacts,
		"finance", sum.Finance, "hr", sum.HR, "took", sum.Took.Round(time.Millisecond))
	return sum, nil
}

func load(ctx context.Context, tx pgx.Tx, p period, opts Options, log *slog.Logger) (Summary, error) {
	var sum Summary
	if _, err := tx.Exec(ctx, lockSQL); err != nil {
		return sum, fmt.Errorf("lock demo load: %w", err)
	}
	step := time.Now()
	if _, err := tx.Exec(ctx, deleteActionsSQL); err != nil {
		return sum, fmt.Errorf("delete demo actions: %w", err)
	}
	if _, err := tx.Exec(ctx, deleteFeedbackSQL, Source); err != nil {
		return sum, fmt.Errorf("delete demo feedback: %w", err)
	}
	if _, err := tx.Exec(ctx, deleteSurveySQL); err != nil {
		return sum, fmt.Errorf("delete demo survey answers: %w", err)
	}
	for _, q := range []string{deleteContactsSQL, deleteFinanceSQL, deleteHRSQL} {
		if _, err := tx.Exec(ctx, q, cityCode); err != nil {
			return sum, fmt.Errorf("delete demo facts: %w", err)
		}
	}
	log.Debug("old demo data deleted", "took", time.Since(step))

	units, err := upsertUnits(ctx, tx)
	if err != nil {
		return sum, err
	}
	sum.Units = len(units)
	chanIDs, err := channelIDs(ctx, tx)
	if err != nil {
		return sum, err
	}
	// The themes' names go in with the feedback they classify.
	themes := opts.Themes
	if themes == nil {
		if themes, err = theme.Load(""); err != nil {
			return sum, err
		}
	}
	if err := theme.Sync(ctx, tx, themes); err != nil {
		return sum, err
	}
	m := newModel(p, units, chanIDs, newWeather(opts.Seed, p))

	step = time.Now()
	fb := newFeedbackGen(m, opts.Seed, opts.Feedback, themes)
	n, err := tx.CopyFrom(ctx, pgx.Identifier{"feedback"}, feedbackColumns(), fb)
	if err != nil {
		return sum, fmt.Errorf("copy feedback: %w", err)
	}
	sum.Feedback = int(n)
	took := time.Since(step)
	log.Debug("feedback copied", "rows", n, "took", took, "rows_per_s", int(float64(n)/took.Seconds()))
	step = time.Now()
	if _, err := tx.Exec(ctx, refreshCountsSQL); err != nil {
		return sum, fmt.Errorf("count feedback: %w", err)
	}
	log.Debug("feedback counted", "took", time.Since(step))

	step = time.Now()
	n, err = tx.CopyFrom(ctx, pgx.Identifier{"contact_volume"}, contactColumns(), newContactGen(m, opts.Seed, fb.counts))
	if err != nil {
		return sum, fmt.Errorf("copy contact volumes: %w", err)
	}
	sum.Contacts = int(n)
	log.Debug("contact volumes copied", "rows", n, "took", time.Since(step))

	n, err = tx.CopyFrom(ctx, pgx.Identifier{"finance_month"}, financeColumns(), pgx.CopyFromRows(financeRows(m, opts.Seed)))
	if err != nil {
		return sum, fmt.Errorf("copy finance: %w", err)
	}
	sum.Finance = int(n)
	if _, err := tx.Exec(ctx, refreshFinanceCountsSQL); err != nil {
		return sum, fmt.Errorf("count finance by branch: %w", err)
	}

	n, err = tx.CopyFrom(ctx, pgx.Identifier{"hr_month"}, hrColumns(), pgx.CopyFromRows(hrRows(m, opts.Seed)))
	if err != nil {
		return sum, fmt.Errorf("copy hr: %w", err)
	}
	sum.HR = int(n)
	if _, err := tx.Exec(ctx, refreshHRCountsSQL); err != nil {
		return sum, fmt.Errorf("count staff by branch: %w", err)
	}

	n, err = tx.CopyFrom(ctx, pgx.Identifier{"survey_answer"}, surveyColumns(), pgx.CopyFromRows(surveyRows(m, opts.Seed, fb.counts)))
	if err != nil {
		return sum, fmt.Errorf("copy survey answers: %w", err)
	}
	sum.Survey = int(n)
	if _, err := tx.Exec(ctx, refreshSurveyCountsSQL); err != nil {
		return sum, fmt.Errorf("count survey answers: %w", err)
	}

	if sum.Actions, err = insertActions(ctx, tx, p); err != nil {
		return sum, err
	}
	if _, err := tx.Exec(ctx, refreshActionEffectsSQL); err != nil {
		return sum, fmt.Errorf("count the actions' feedback: %w", err)
	}

	tag, err := tx.Exec(ctx, bumpVersionSQL)
	if err != nil {
		return sum, fmt.Errorf("bump data version: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return sum, errors.New("bump data version: data_version has no row; is the database migrated?")
	}
	return sum, nil
}

// upsertUnits writes the city, the toimialat and the units, and returns the
// units (level 'unit') with their ids, in organisation order.
func upsertUnits(ctx context.Context, tx pgx.Tx) ([]unit, error) {
	var codes, paths, levels, fi, sv, en []string
	var centralised []bool
	add := func(code, path, level, nameFi, nameSv, nameEn string, central bool) {
		codes, paths, levels = append(codes, code), append(paths, path), append(levels, level)
		fi, sv, en = append(fi, nameFi), append(sv, nameSv), append(en, nameEn)
		centralised = append(centralised, central)
	}
	add(cityCode, cityCode, "city", "Esimerkkilä", "Exempelby", "Esimerkkilä", false)
	var units []unit
	for _, t := range organisation() {
		tPath := cityCode + "." + t.code
		add(t.code, tPath, "toimiala", t.fi, t.sv, t.en, t.centralised)
		for _, u := range t.units {
			add(u.code, tPath+"."+u.code, "unit", u.fi, u.sv, u.en, t.centralised)
			units = append(units, unit{unitDef: u})
		}
	}

	rows, err := tx.Query(ctx, upsertUnitsSQL, codes, paths, levels, fi, sv, en, centralised)
	if err != nil {
		return nil, fmt.Errorf("upsert org units: %w", err)
	}
	ids := make(map[string]int32, len(codes))
	var (
		code string
		id   int32
	)
	if _, err := pgx.ForEachRow(rows, []any{&code, &id}, func() error {
		ids[code] = id
		return nil
	}); err != nil {
		return nil, fmt.Errorf("upsert org units: %w", err)
	}
	for i := range units {
		var ok bool
		if units[i].id, ok = ids[units[i].code]; !ok {
			return nil, fmt.Errorf("upsert org units: no id returned for %q", units[i].code)
		}
	}
	return units, nil
}

// channelIDs looks the channels up by code, so the generator does not
// depend on the ids the migration happened to give them.
func channelIDs(ctx context.Context, tx pgx.Tx) ([numChannels]int16, error) {
	var ids [numChannels]int16
	rows, err := tx.Query(ctx, channelsSQL)
	if err != nil {
		return ids, fmt.Errorf("read channels: %w", err)
	}
	byCode := map[string]int16{}
	var (
		code string
		id   int16
	)
	if _, err := pgx.ForEachRow(rows, []any{&code, &id}, func() error {
		byCode[code] = id
		return nil
	}); err != nil {
		return ids, fmt.Errorf("read channels: %w", err)
	}
	for c := range numChannels {
		var ok bool
		if ids[c], ok = byCode[c.code()]; !ok {
			return ids, fmt.Errorf("channel %q is missing from the channel table", c.code())
		}
	}
	return ids, nil
}
