-- +goose Up
-- The slipped units found each unit's and channel's running row before
-- each end of a period with a probe of its own, for every unit of the
-- view and every channel: 1 440 probes a period for the city, most of
-- them for pairs that never had feedback, 4 of the query's 25 ms each
-- period. A pair's running rows now go on every month from its first to
-- the last month counted, the month rows' sums carried over the months it
-- had no feedback, so that the row before a period's end is the one of
-- the month before it (or of the last month counted): one range of an
-- index on the month finds the rows of every pair at once.

CREATE INDEX feedback_response_running_month ON feedback_response_running (month);

-- The running sums (window w) of p_array's classes, element by element,
-- over the months of a pair, each added to p_base's (the running row
-- before them), if any; months without a month row add nothing.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION pg_temp.running(p_array text, p_base text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'ARRAY[' || string_agg(CASE WHEN p_base IS NULL
            THEN format('coalesce(sum(%s[%s]) OVER w, 0)::integer', p_array, i)
            ELSE format('(coalesce(%2$s[%3$s], 0) + coalesce(sum(%1$s[%3$s]) OVER w, 0))::integer', p_array, p_base, i) END,
        ', ' ORDER BY i) || ']'
    FROM generate_series(1, 160) AS i
$$;
-- +goose StatementEnd

-- Each unit and channel that has month rows, with every month from its
-- first (or p_from's month, if later) to the last month counted.
-- +goose StatementBegin
CREATE FUNCTION feedback_running_months(p_from date)
RETURNS TABLE (unit_id integer, channel_id smallint, month date)
LANGUAGE sql STABLE AS $$
    SELECT f.unit_id, f.channel_id, g.month::date
    FROM (SELECT c.unit_id, c.channel_id, min(c.period) AS first_month
          FROM feedback_count c WHERE c.grain = 'm' GROUP BY 1, 2) f
    CROSS JOIN (SELECT max(c.period) AS month FROM feedback_count c WHERE c.grain = 'm') l
    CROSS JOIN LATERAL generate_series(greatest(f.first_month, date_trunc('month', p_from::timestamp)::date),
        l.month, interval '1 month') AS g (month)
$$;
-- +goose StatementEnd

-- A unit's and channel's month row, if it has one: what its running
-- row adds to the one before. Found by its key: as a join, the planner
-- sorted all the month rows, 26 MB, on disk. (OFFSET 0 keeps it a
-- subquery of its own.)
-- +goose StatementBegin
CREATE FUNCTION feedback_month_row(p_unit integer, p_channel smallint, p_month date)
RETURNS TABLE (answered integer, first_response integer[])
LANGUAGE sql STABLE AS $$
    SELECT c.feedback - c.unanswered, c.first_response
    FROM feedback_count c
    WHERE c.grain = 'm' AND c.period = p_month AND c.unit_id = p_unit AND c.channel_id = p_channel
    OFFSET 0
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $do$
BEGIN
    -- Counts the running rows again from the month of p_from on (from
    -- nothing when p_from is '-infinity'). Callers hold
    -- luukku.feedback_count's lock, as every writer of feedback_count does.
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION refresh_feedback_response_running(p_from date) RETURNS void
LANGUAGE sql
-- Compiling its 160 window sums to machine code took 6–9 s at 10 M rows,
-- for a statement that runs in under one without.
SET jit = off
AS $$
    DELETE FROM feedback_response_running WHERE month >= date_trunc('month', p_from::timestamp)::date;
    INSERT INTO feedback_response_running (unit_id, channel_id, month, answered, first_response)
    SELECT g.unit_id, g.channel_id, g.month,
        (coalesce(b.answered, 0) + coalesce(sum(c.answered) OVER w, 0))::integer, %s
    FROM feedback_running_months(p_from) g
    LEFT JOIN LATERAL feedback_month_row(g.unit_id, g.channel_id, g.month) c ON true
    LEFT JOIN LATERAL (
        SELECT r.answered, r.first_response FROM feedback_response_running r
        WHERE r.unit_id = g.unit_id AND r.channel_id = g.channel_id
        ORDER BY r.month DESC LIMIT 1) b ON true
    WINDOW w AS (PARTITION BY g.unit_id, g.channel_id ORDER BY g.month);
$$
$f$, pg_temp.running('c.first_response', 'b.first_response'));

    -- The running rows that differ from the month rows' running sums, or
    -- are missing or extra.
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION feedback_response_running_errors()
RETURNS TABLE (unit_id integer, channel_id smallint, month date)
LANGUAGE sql STABLE SET jit = off AS $$
    WITH want AS (
        SELECT g.unit_id, g.channel_id, g.month,
            coalesce(sum(c.answered) OVER w, 0)::integer AS answered, %s AS first_response
        FROM feedback_running_months('-infinity') g
        LEFT JOIN LATERAL feedback_month_row(g.unit_id, g.channel_id, g.month) c ON true
        WINDOW w AS (PARTITION BY g.unit_id, g.channel_id ORDER BY g.month)
    )
    SELECT coalesce(w.unit_id, r.unit_id), coalesce(w.channel_id, r.channel_id), coalesce(w.month, r.month)
    FROM want w
    FULL JOIN feedback_response_running r ON r.unit_id = w.unit_id AND r.channel_id = w.channel_id AND r.month = w.month
    WHERE w.unit_id IS NULL OR r.unit_id IS NULL
       OR w.answered <> r.answered OR w.first_response <> r.first_response
$$
$f$, pg_temp.running('c.first_response', NULL));
END
$do$;
-- +goose StatementEnd
DROP FUNCTION pg_temp.running(text, text);

-- The rows whose classes, times their sign, add up to each unit's and
-- channel's classes of times to the first response in the view, as in
-- migration 00030: the running rows of the month before each end of its
-- whole months (or of the last month counted), and the days at its ends.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_response_rows(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (unit_id integer, channel_order smallint, sign integer, answered integer, coarse integer[], first_response integer[])
LANGUAGE sql STABLE AS $$
    SELECT u.id, c.sort_order, e.sign, r.answered, r.first_response_coarse, r.first_response
    FROM counted_periods(p_from, p_to) p
    CROSS JOIN LATERAL (
        SELECT s.sign, least((CASE s.sign WHEN 1 THEN p.period_until ELSE p.period_from END - interval '1 month')::date,
            (SELECT max(x.month) FROM feedback_response_running x)) AS month
        FROM (VALUES (1), (-1)) s (sign)
        -- Worked out on its own (OFFSET 0): in the condition below, the
        -- arithmetic would keep row-level security from using the index.
        OFFSET 0) e
    -- A range of the month's index for each end (OFFSET 0 keeps it one):
    -- the planner, not knowing the month, would rather read them all.
    CROSS JOIN LATERAL (SELECT * FROM feedback_response_running x WHERE x.month = e.month OFFSET 0) r
    JOIN org_unit u ON u.id = r.unit_id
    JOIN channel c ON c.id = r.channel_id
    WHERE p.grain = 'm' AND u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
    UNION ALL
    SELECT f.unit_id, c.sort_order, 1, f.feedback - f.unanswered, f.first_response_coarse, f.first_response
    FROM counted_periods(p_from, p_to) p
    JOIN feedback_count f ON f.grain = 'd' AND p.grain = 'd' AND f.period >= p.period_from AND f.period < p.period_until
    JOIN org_unit u ON u.id = f.unit_id
    JOIN channel c ON c.id = f.channel_id
    WHERE u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
$$;
-- +goose StatementEnd

-- What is already counted, on every month.
SELECT refresh_feedback_response_running('-infinity');
ANALYZE feedback_response_running;

-- +goose Down
-- Migration 00024's running rows, only of the months with month rows, and
-- migration 00030's probes for them.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_response_rows(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (unit_id integer, channel_order smallint, sign integer, answered integer, coarse integer[], first_response integer[])
LANGUAGE sql STABLE AS $$
    SELECT u.id, c.sort_order, s.sign, x.answered, x.first_response_coarse, x.first_response
    FROM counted_periods(p_from, p_to) p
    CROSS JOIN (VALUES (1), (-1)) s (sign)
    CROSS JOIN org_unit u
    CROSS JOIN channel c
    CROSS JOIN LATERAL (
        SELECT r.answered, r.first_response_coarse, r.first_response FROM feedback_response_running r
        WHERE r.unit_id = u.id AND r.channel_id = c.id
          AND r.month < CASE s.sign WHEN 1 THEN p.period_until ELSE p.period_from END
        ORDER BY r.month DESC
        LIMIT 1) x
    WHERE p.grain = 'm' AND u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
    UNION ALL
    SELECT f.unit_id, c.sort_order, 1, f.feedback - f.unanswered, f.first_response_coarse, f.first_response
    FROM counted_periods(p_from, p_to) p
    JOIN feedback_count f ON f.grain = 'd' AND p.grain = 'd' AND f.period >= p.period_from AND f.period < p.period_until
    JOIN org_unit u ON u.id = f.unit_id
    JOIN channel c ON c.id = f.channel_id
    WHERE u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION pg_temp.running(p_array text, p_base text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'ARRAY[' || string_agg(CASE WHEN p_base IS NULL
            THEN format('(sum(%s[%s]) OVER w)::integer', p_array, i)
            ELSE format('(coalesce(%2$s[%3$s], 0) + sum(%1$s[%3$s]) OVER w)::integer', p_array, p_base, i) END,
        ', ' ORDER BY i) || ']'
    FROM generate_series(1, 160) AS i
$$;
-- +goose StatementEnd
-- +goose StatementBegin
DO $do$
BEGIN
    -- Counts the running rows again from the month of p_from on (from
    -- nothing when p_from is NULL). Callers hold luukku.feedback_count's
    -- lock, as every writer of feedback_count does.
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION refresh_feedback_response_running(p_from date) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM feedback_response_running WHERE month >= date_trunc('month', p_from::timestamp)::date;
    INSERT INTO feedback_response_running (unit_id, channel_id, month, answered, first_response)
    SELECT c.unit_id, c.channel_id, c.period, (coalesce(b.answered, 0) + sum(c.feedback - c.unanswered) OVER w)::integer, %s
    FROM feedback_count c
    LEFT JOIN LATERAL (
        SELECT r.answered, r.first_response FROM feedback_response_running r
        WHERE r.unit_id = c.unit_id AND r.channel_id = c.channel_id
        ORDER BY r.month DESC LIMIT 1) b ON true
    WHERE c.grain = 'm' AND c.period >= date_trunc('month', p_from::timestamp)::date
    WINDOW w AS (PARTITION BY c.unit_id, c.channel_id ORDER BY c.period);
$$
$f$, pg_temp.running('c.first_response', 'b.first_response'));

    -- The running rows that differ from the month rows' running sums, or
    -- are missing or extra.
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION feedback_response_running_errors()
RETURNS TABLE (unit_id integer, channel_id smallint, month date)
LANGUAGE sql STABLE AS $$
    WITH want AS (
        SELECT c.unit_id, c.channel_id, c.period AS month,
            (sum(c.feedback - c.unanswered) OVER w)::integer AS answered, %s AS first_response
        FROM feedback_count c
        WHERE c.grain = 'm'
        WINDOW w AS (PARTITION BY c.unit_id, c.channel_id ORDER BY c.period)
    )
    SELECT coalesce(w.unit_id, r.unit_id), coalesce(w.channel_id, r.channel_id), coalesce(w.month, r.month)
    FROM want w
    FULL JOIN feedback_response_running r ON r.unit_id = w.unit_id AND r.channel_id = w.channel_id AND r.month = w.month
    WHERE w.unit_id IS NULL OR r.unit_id IS NULL
       OR w.answered <> r.answered OR w.first_response <> r.first_response
$$
$f$, pg_temp.running('c.first_response', NULL));

END
$do$;
-- +goose StatementEnd
DROP FUNCTION pg_temp.running(text, text);
DROP FUNCTION feedback_running_months(date), feedback_month_row(integer, smallint, date);
DROP INDEX feedback_response_running_month;
SELECT refresh_feedback_response_running('-infinity');
