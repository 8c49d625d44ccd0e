-- +goose Up
-- The slipped units compare each unit's and channel's median time to the
-- first response in the view's period with the period before: the classes
-- of 548 groups, summed from some 7 000 month and day rows for the city's
-- year, 160 sums a row. feedback_response_running holds, for each unit,
-- channel and month counted, the classes (and the answered) of all its
-- months up to that one; the whole months of a period are the running
-- row at its last month less the one before its first, two rows, and
-- only the days at its ends are read as they are.
--
-- Row-level security keys it to the unit, as feedback_count.
-- refresh_feedback_counts counts it again from the first month it counts,
-- and an import that adds what it tallied does so from the first month it
-- added to (feedback_response_running_errors checks).
CREATE TABLE feedback_response_running (
    unit_id integer NOT NULL,
    channel_id smallint NOT NULL,
    month date NOT NULL,
    answered integer NOT NULL,
    first_response integer[] NOT NULL CHECK (cardinality(first_response) = 160),
    PRIMARY KEY (unit_id, channel_id, month)
);
GRANT SELECT ON feedback_response_running TO luukku_reader;
ALTER TABLE feedback_response_running ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON feedback_response_running FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));

-- The running sums (window w) of p_array's classes, element by element,
-- each added to p_base's (a running row before them), if any.
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
CREATE OR REPLACE FUNCTION pg_temp.sums(p_array text, p_size integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'ARRAY[' || string_agg(format('sum(%s[%s])', p_array, i), ', ' ORDER BY i) || ']'
    FROM generate_series(1, p_size) AS i
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $do$
BEGIN
    -- Counts the running rows again from the month of p_from on (from
    -- nothing when p_from is NULL). Callers hold luukku.feedback_count's
    -- lock, as every writer of feedback_count does.
    EXECUTE format($f$
CREATE FUNCTION refresh_feedback_response_running(p_from date) RETURNS void
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
CREATE FUNCTION feedback_response_running_errors()
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

    -- The classes of the view by unit and channel, as migration 00022's,
    -- from the running rows for its whole months: for each unit and
    -- channel the running row at the last of them (sign 1) less the one
    -- before the first (sign -1), whichever months before have rows.
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION feedback_response_classes(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (unit_id integer, channel_order smallint, answered int8, first_response int8[])
LANGUAGE sql STABLE AS $$
    SELECT r.unit_id, r.channel_order, sum(r.sign * r.answered)::int8, %s
    FROM (
        SELECT u.id AS unit_id, c.sort_order AS channel_order, s.sign, x.answered, x.first_response
        FROM counted_periods(p_from, p_to) p
        CROSS JOIN (VALUES (1), (-1)) s (sign)
        CROSS JOIN org_unit u
        CROSS JOIN channel c
        CROSS JOIN LATERAL (
            SELECT r.answered, r.first_response FROM feedback_response_running r
            WHERE r.unit_id = u.id AND r.channel_id = c.id
              AND r.month < CASE s.sign WHEN 1 THEN p.period_until ELSE p.period_from END
            ORDER BY r.month DESC
            LIMIT 1) x
        WHERE p.grain = 'm' AND u.path <@ p_unit
          AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
        UNION ALL
        SELECT f.unit_id, c.sort_order, 1, f.feedback - f.unanswered, f.first_response
        FROM counted_periods(p_from, p_to) p
        JOIN feedback_count f ON f.grain = 'd' AND p.grain = 'd' AND f.period >= p.period_from AND f.period < p.period_until
        JOIN org_unit u ON u.id = f.unit_id
        JOIN channel c ON c.id = f.channel_id
        WHERE u.path <@ p_unit
          AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
    ) r
    GROUP BY 1, 2
$$
$f$, pg_temp.sums('r.sign * r.first_response', 160));
END
$do$;
-- +goose StatementEnd
DROP FUNCTION pg_temp.running(text, text), pg_temp.sums(text, integer);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refresh_feedback_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    SELECT refresh_feedback_unit_counts(p_from, p_to);
    SELECT refresh_feedback_tree_counts(p_from, p_to);
    SELECT refresh_feedback_response_running(p_from);
$$;
-- +goose StatementEnd

-- What is already counted.
SELECT refresh_feedback_response_running('-infinity');
ANALYZE feedback_response_running;

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refresh_feedback_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    SELECT refresh_feedback_unit_counts(p_from, p_to);
    SELECT refresh_feedback_tree_counts(p_from, p_to);
$$;
-- +goose StatementEnd

-- Migration 00022's feedback_response_classes, from the month and day rows.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION pg_temp.sums(p_array text, p_size integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'ARRAY[' || string_agg(format('sum(%s[%s])', p_array, i), ', ' ORDER BY i) || ']'
    FROM generate_series(1, p_size) AS i
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $do$
BEGIN
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION feedback_response_classes(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (unit_id integer, channel_order smallint, answered int8, first_response int8[])
LANGUAGE sql STABLE AS $$
    SELECT f.unit_id, f.channel_order, sum(f.feedback - f.unanswered), %s
    FROM feedback_count_in_view(p_from, p_to, p_unit, p_channels) f
    GROUP BY f.unit_id, f.channel_order
$$
$f$, pg_temp.sums('f.first_response', 160));
END
$do$;
-- +goose StatementEnd
DROP FUNCTION pg_temp.sums(text, integer);

DROP FUNCTION feedback_response_running_errors(), refresh_feedback_response_running(date);
DROP TABLE feedback_response_running;
