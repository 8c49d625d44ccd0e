-- +goose Up
-- The slipped units' medians summed the 160 classes of some 2 600 running
-- and day rows for a year of the city at 10 M rows, one aggregate a class:
-- 24 of the query's 32 ms, most of it in reading the arrays' elements.
-- A median needs the classes of only the tenth it lies in. The rows now
-- also hold their classes summed ten at a time (first_response_coarse,
-- 16 sums, kept by PostgreSQL as a generated column): the coarse sums find
-- each unit's and channel's tenth, and only its ten classes are summed.
-- 26 elements a row read instead of 160; the medians are the same, to the
-- last bit, as percentile_of over all the classes.

-- +goose StatementBegin
DO $do$
DECLARE
    coarse text := (SELECT 'ARRAY[' || string_agg(t.sum, ', ' ORDER BY t.tenth) || ']'
        FROM (SELECT tenth, string_agg(format('first_response[%s]', tenth * 10 + i), ' + ' ORDER BY i) AS sum
              FROM generate_series(0, 15) AS tenth CROSS JOIN generate_series(1, 10) AS i
              GROUP BY tenth) t);
BEGIN
    EXECUTE format('ALTER TABLE feedback_count ADD COLUMN first_response_coarse integer[] GENERATED ALWAYS AS (%s) STORED', coarse);
    -- The branches' rows too: queries read them together with the units'.
    EXECUTE format('ALTER TABLE feedback_tree_count ADD COLUMN first_response_coarse integer[] GENERATED ALWAYS AS (%s) STORED', coarse);
    EXECUTE format('ALTER TABLE feedback_response_running ADD COLUMN first_response_coarse integer[] GENERATED ALWAYS AS (%s) STORED', coarse);
END
$do$;
-- +goose StatementEnd

-- The p-th percentile (0–1) of times counted by class, as
-- percentile_of(h, p, total) places it, from only some of the classes: h
-- holds the classes from first on, and below counts the times in the
-- classes before first. The percentile must lie among h's classes.
-- +goose StatementBegin
CREATE FUNCTION percentile_of(h int8[], p float8, total int8, first integer, below int8) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    edges float8[] := first_response_edges();
    seen int8 := below;
    pos float8;
    frac float8;
    b integer;
BEGIN
    IF total = 0 THEN
        RETURN NULL;
    END IF;
    pos := p * (total - 1);
    FOR i IN 1 .. cardinality(h) LOOP
        b := first + i - 1;
        IF h[i] > 0 AND pos < seen + h[i] THEN
            frac := (pos - seen + 0.5) / h[i];
            IF b = 1 THEN
                RETURN edges[1] * frac;
            ELSIF b > cardinality(edges) THEN
                RETURN edges[b - 1];
            END IF;
            RETURN edges[b - 1] * power(edges[b] / edges[b - 1], frac);
        END IF;
        seen := seen + h[i];
    END LOOP;
    RETURN edges[cardinality(edges)];
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION percentile_of(h int8[], p float8, total int8) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT percentile_of(h, p, total, 1, 0::int8)
$$;
-- +goose StatementEnd

-- The tenth of the classes (0–15) that the p-th percentile of total times
-- lies in, given the classes summed ten at a time, and the times in the
-- tenths before it. NULL when there are no times.
-- +goose StatementBegin
CREATE FUNCTION percentile_tenth(coarse int8[], p float8, total int8, OUT tenth integer, OUT below int8)
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    pos float8 := p * (total - 1);
BEGIN
    IF total = 0 THEN
        RETURN;
    END IF;
    below := 0;
    FOR t IN 1 .. cardinality(coarse) LOOP
        IF coarse[t] > 0 AND pos < below + coarse[t] THEN
            tenth := t - 1;
            RETURN;
        END IF;
        below := below + coarse[t];
    END LOOP;
    -- Where percentile_of finds no class, it gives the last edge.
    below := below - coarse[cardinality(coarse)];
    tenth := cardinality(coarse) - 1;
END
$$;
-- +goose StatementEnd

-- The rows whose classes, times their sign, add up to each unit's and
-- channel's classes of times to the first response in the view: the
-- running rows at the ends of its whole months, and the days at its ends.
-- +goose StatementBegin
CREATE FUNCTION feedback_response_rows(p_from date, p_to date, p_unit ltree, p_channels text[])
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

-- The p_fraction-th percentile, in seconds, of each unit's and channel's
-- times to the first response in the view, and the feedback answered
-- there (the percentile is NULL where none was).
-- +goose StatementBegin
DO $do$
BEGIN
    EXECUTE format($f$
CREATE FUNCTION feedback_response_percentile(p_from date, p_to date, p_unit ltree, p_channels text[], p_fraction float8)
RETURNS TABLE (unit_id integer, channel_order smallint, answered int8, percentile float8)
LANGUAGE sql STABLE AS $$
    WITH signed AS MATERIALIZED (
        SELECT * FROM feedback_response_rows(p_from, p_to, p_unit, p_channels)
    ),
    tenths AS MATERIALIZED (
        SELECT c.unit_id, c.channel_order, c.answered, t.tenth, t.below
        FROM (SELECT s.unit_id, s.channel_order, sum(s.sign * s.answered)::int8 AS answered, %s AS coarse
              FROM signed s GROUP BY 1, 2) c
        LEFT JOIN LATERAL percentile_tenth(c.coarse, p_fraction, c.answered) t ON true
    )
    SELECT t.unit_id, t.channel_order, t.answered,
        percentile_of(%s, p_fraction, t.answered, t.tenth * 10 + 1, t.below)
    FROM tenths t
    JOIN signed s ON s.unit_id = t.unit_id AND s.channel_order = t.channel_order
    GROUP BY t.unit_id, t.channel_order, t.answered, t.tenth, t.below
$$
$f$,
        (SELECT 'ARRAY[' || string_agg(format('sum(s.sign * s.coarse[%s])', i), ', ' ORDER BY i) || ']' FROM generate_series(1, 16) AS i),
        (SELECT 'ARRAY[' || string_agg(format('sum(s.sign * s.first_response[t.tenth * 10 + %s])', i), ', ' ORDER BY i) || ']' FROM generate_series(1, 10) AS i));
END
$do$;
-- +goose StatementEnd

-- The classes of times to the first response by unit and channel, as
-- before (own queries may read them), from the same rows.
-- +goose StatementBegin
DO $do$
BEGIN
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION feedback_response_classes(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (unit_id integer, channel_order smallint, answered int8, first_response int8[])
LANGUAGE sql STABLE AS $$
    SELECT r.unit_id, r.channel_order, sum(r.sign * r.answered)::int8, %s
    FROM feedback_response_rows(p_from, p_to, p_unit, p_channels) r
    GROUP BY 1, 2
$$
$f$, (SELECT 'ARRAY[' || string_agg(format('sum(r.sign * r.first_response[%s])', i), ', ' ORDER BY i) || ']' FROM generate_series(1, 160) AS i));
END
$do$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $do$
BEGIN
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
$f$, (SELECT 'ARRAY[' || string_agg(format('sum(r.sign * r.first_response[%s])', i), ', ' ORDER BY i) || ']' FROM generate_series(1, 160) AS i));
END
$do$;
-- +goose StatementEnd
DROP FUNCTION feedback_response_percentile(date, date, ltree, text[], float8), feedback_response_rows(date, date, ltree, text[]),
    percentile_tenth(int8[], float8, int8);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION percentile_of(h int8[], p float8, total int8) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    edges float8[] := first_response_edges();
    seen int8 := 0;
    pos float8;
    frac float8;
BEGIN
    IF total = 0 THEN
        RETURN NULL;
    END IF;
    pos := p * (total - 1);
    FOR b IN 1 .. cardinality(h) LOOP
        IF h[b] > 0 AND pos < seen + h[b] THEN
            frac := (pos - seen + 0.5) / h[b];
            IF b = 1 THEN
                RETURN edges[1] * frac;
            ELSIF b > cardinality(edges) THEN
                RETURN edges[b - 1];
            END IF;
            RETURN edges[b - 1] * power(edges[b] / edges[b - 1], frac);
        END IF;
        seen := seen + h[b];
    END LOOP;
    RETURN edges[cardinality(edges)];
END
$$;
-- +goose StatementEnd
DROP FUNCTION percentile_of(int8[], float8, int8, integer, int8);
ALTER TABLE feedback_count DROP COLUMN first_response_coarse;
ALTER TABLE feedback_tree_count DROP COLUMN first_response_coarse;
ALTER TABLE feedback_response_running DROP COLUMN first_response_coarse;
