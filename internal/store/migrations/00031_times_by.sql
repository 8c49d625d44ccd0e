-- +goose Up
-- The medians and 90th percentiles of the times to the first response and
-- to resolution summed all 160 classes of both, for every count row a
-- panel read: the city's year by unit is some 2 100 rows, 320 sums a row,
-- half of the query's time. A percentile needs the classes of only the
-- tenth it lies in (migration 00030). The count rows now also hold their
-- resolution classes summed ten at a time, and feedback_times_by gives
-- what feedback_count_by gives, with the percentiles in place of the
-- classes: from 32 coarse sums a row, and then the ten classes of each
-- percentile's tenth, 72 elements a row read instead of 320. The
-- percentiles are the same, to the last bit, as percentile_of over all
-- the classes.

-- +goose StatementBegin
DO $do$
DECLARE
    coarse text := (SELECT 'ARRAY[' || string_agg(t.sum, ', ' ORDER BY t.tenth) || ']'
        FROM (SELECT tenth, string_agg(format('resolution[%s]', tenth * 10 + i), ' + ' ORDER BY i) AS sum
              FROM generate_series(0, 15) AS tenth CROSS JOIN generate_series(1, 10) AS i
              GROUP BY tenth) t);
BEGIN
    EXECUTE format('ALTER TABLE feedback_count ADD COLUMN resolution_coarse integer[] GENERATED ALWAYS AS (%s) STORED', coarse);
    EXECUTE format('ALTER TABLE feedback_tree_count ADD COLUMN resolution_coarse integer[] GENERATED ALWAYS AS (%s) STORED', coarse);
END
$do$;
-- +goose StatementEnd

-- feedback_count_at as in migration 00020, with the coarse classes.
DROP FUNCTION feedback_count_at(date, date, ltree, text[], text);
-- +goose StatementBegin
CREATE FUNCTION feedback_count_at(p_from date, p_to date, p_unit ltree, p_channels text[], p_detail text)
RETURNS TABLE (
    month date, channel text, channel_order smallint, digital boolean, unit_id integer, path ltree,
    feedback integer, complaint integer, question integer, suggestion integer, praise integer,
    unresolved integer, unanswered integer, waiting integer, in_time integer,
    first_response integer[], resolution integer[], by_hour integer[], last_day date, open_after integer[],
    first_response_coarse integer[], resolution_coarse integer[]
)
LANGUAGE sql STABLE AS $$
    SELECT date_trunc('month', r.period::timestamp)::date, c.code, c.sort_order, c.digital, r.unit_id, s.part,
           r.feedback, r.complaint, r.question, r.suggestion, r.praise, r.unresolved, r.unanswered, r.waiting,
           r.in_time, r.first_response, r.resolution, r.by_hour, period_last_day(r.grain, r.period), r.open_after,
           r.first_response_coarse, r.resolution_coarse
    FROM counted_units(p_unit, p_detail) s
    CROSS JOIN counted_periods(p_from, p_to) p
    JOIN LATERAL (
        SELECT t.* FROM feedback_tree_count t
        WHERE s.tree AND t.grain = p.grain AND (p.grain = 'm' OR nlevel(s.part) = 1)
          AND t.period >= p.period_from AND t.period < p.period_until
          AND t.unit_id = s.unit_id
        UNION ALL
        SELECT t.* FROM feedback_count t
        WHERE s.tree AND p.grain = 'd' AND nlevel(s.part) > 1 AND t.grain = 'd'
          AND t.period >= p.period_from AND t.period < p.period_until
          AND t.unit_id IN (SELECT u.id FROM org_unit u WHERE u.path <@ s.part)
        UNION ALL
        SELECT t.* FROM feedback_count t
        WHERE NOT s.tree AND t.grain = p.grain AND t.period >= p.period_from AND t.period < p.period_until
          AND t.unit_id = s.unit_id
    ) r ON true
    JOIN channel c ON c.id = r.channel_id
    WHERE coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels)
$$;
-- +goose StatementEnd

-- feedback_count_by as in migration 00013, naming the columns it reads of
-- feedback_count_at: they are more than feedback_count_in_view's now.
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
CREATE OR REPLACE FUNCTION feedback_count_by(p_from date, p_to date, p_unit ltree, p_channels text[], p_by text)
RETURNS TABLE (
    key text, sort_order integer, feedback int8, complaint int8, digital int8, unresolved int8,
    unanswered int8, waiting int8, in_time int8, first_response int8[], resolution int8[], by_hour int8[]
)
LANGUAGE sql STABLE AS $$
    SELECT CASE p_by WHEN 'month' THEN f.month::text WHEN 'channel' THEN f.channel
                     WHEN 'part' THEN child_group(f.path, p_unit)::text
                     WHEN 'unit channel' THEN f.unit_id || ' ' || f.channel ELSE '' END,
        min(f.channel_order)::integer, sum(f.feedback), sum(f.complaint),
        coalesce(sum(f.feedback) FILTER (WHERE f.digital), 0), sum(f.unresolved),
        sum(f.unanswered), sum(f.waiting), sum(f.in_time), %s, %s, %s
    FROM (
        SELECT a.month, a.channel, a.channel_order, a.digital, a.unit_id, a.path, a.feedback, a.complaint,
            a.question, a.suggestion, a.praise, a.unresolved, a.unanswered, a.waiting, a.in_time,
            a.first_response, a.resolution, a.by_hour, a.last_day, a.open_after
        FROM feedback_count_at(p_from, p_to, p_unit, p_channels, CASE p_by WHEN 'part' THEN 'part' ELSE 'view' END) a
        WHERE p_by <> 'unit channel'
        UNION ALL
        SELECT * FROM feedback_count_in_view(p_from, p_to, p_unit, p_channels)
        WHERE p_by = 'unit channel'
    ) f
    GROUP BY 1
$$
$f$, pg_temp.sums('f.first_response', 160), pg_temp.sums('f.resolution', 160), pg_temp.sums('f.by_hour', 168));
END
$do$;
-- +goose StatementEnd
DROP FUNCTION pg_temp.sums(text, integer);

-- feedback_count_by's counts of the view grouped by p_by ('', 'month',
-- 'channel' or 'part'), with the median and 90th percentile, in seconds,
-- of the times to the first response of the answered feedback and to
-- resolution of the resolved (NULL where there is none), in place of the
-- classes of the times.
-- +goose StatementBegin
DO $do$
BEGIN
    EXECUTE format($f$
CREATE FUNCTION feedback_times_by(p_from date, p_to date, p_unit ltree, p_channels text[], p_by text)
RETURNS TABLE (
    key text, sort_order integer, feedback int8, complaint int8, digital int8, unresolved int8,
    unanswered int8, waiting int8, in_time int8,
    first_response_p50 float8, first_response_p90 float8, resolution_p50 float8, resolution_p90 float8
)
LANGUAGE sql STABLE AS $$
    WITH r AS MATERIALIZED (
        SELECT CASE p_by WHEN 'month' THEN f.month::text WHEN 'channel' THEN f.channel
                         WHEN 'part' THEN child_group(f.path, p_unit)::text ELSE '' END AS key,
            f.channel_order, f.digital, f.feedback, f.complaint, f.unresolved, f.unanswered, f.waiting, f.in_time,
            f.first_response, f.resolution, f.first_response_coarse AS fc, f.resolution_coarse AS rc
        FROM feedback_count_at(p_from, p_to, p_unit, p_channels, CASE p_by WHEN 'part' THEN 'part' ELSE 'view' END) f
    ),
    g AS (
        SELECT r.key, min(r.channel_order)::integer AS sort_order, sum(r.feedback) AS feedback,
            sum(r.complaint) AS complaint, coalesce(sum(r.feedback) FILTER (WHERE r.digital), 0) AS digital,
            sum(r.unresolved) AS unresolved, sum(r.unanswered) AS unanswered, sum(r.waiting) AS waiting,
            sum(r.in_time) AS in_time, (sum(r.feedback) - sum(r.unanswered))::int8 AS answered,
            (sum(r.feedback) - sum(r.unresolved))::int8 AS resolved, %1$s AS fc, %2$s AS rc
        FROM r GROUP BY r.key
    ),
    -- Each percentile's tenth of the classes, and the times before it.
    t AS MATERIALIZED (
        SELECT g.*, f5.tenth AS f5, f5.below AS f5_below, f9.tenth AS f9, f9.below AS f9_below,
            r5.tenth AS r5, r5.below AS r5_below, r9.tenth AS r9, r9.below AS r9_below
        FROM g
        LEFT JOIN LATERAL percentile_tenth(g.fc, 0.5, g.answered) f5 ON true
        LEFT JOIN LATERAL percentile_tenth(g.fc, 0.9, g.answered) f9 ON true
        LEFT JOIN LATERAL percentile_tenth(g.rc, 0.5, g.resolved) r5 ON true
        LEFT JOIN LATERAL percentile_tenth(g.rc, 0.9, g.resolved) r9 ON true
    ),
    -- The classes of those tenths.
    fine AS (
        SELECT t.key, %3$s AS f5, %4$s AS f9, %5$s AS r5, %6$s AS r9
        FROM t JOIN r ON r.key = t.key
        GROUP BY t.key, t.f5, t.f9, t.r5, t.r9
    )
    SELECT t.key, t.sort_order, t.feedback, t.complaint, t.digital, t.unresolved, t.unanswered, t.waiting, t.in_time,
        percentile_of(x.f5, 0.5, t.answered, t.f5 * 10 + 1, t.f5_below),
        percentile_of(x.f9, 0.9, t.answered, t.f9 * 10 + 1, t.f9_below),
        percentile_of(x.r5, 0.5, t.resolved, t.r5 * 10 + 1, t.r5_below),
        percentile_of(x.r9, 0.9, t.resolved, t.r9 * 10 + 1, t.r9_below)
    FROM t
    JOIN fine x ON x.key = t.key
$$
$f$,
        (SELECT 'ARRAY[' || string_agg(format('sum(r.fc[%s])', i), ', ' ORDER BY i) || ']' FROM generate_series(1, 16) AS i),
        (SELECT 'ARRAY[' || string_agg(format('sum(r.rc[%s])', i), ', ' ORDER BY i) || ']' FROM generate_series(1, 16) AS i),
        (SELECT 'ARRAY[' || string_agg(format('sum(r.first_response[t.f5 * 10 + %s])', i), ', ' ORDER BY i) || ']' FROM generate_series(1, 10) AS i),
        (SELECT 'ARRAY[' || string_agg(format('sum(r.first_response[t.f9 * 10 + %s])', i), ', ' ORDER BY i) || ']' FROM generate_series(1, 10) AS i),
        (SELECT 'ARRAY[' || string_agg(format('sum(r.resolution[t.r5 * 10 + %s])', i), ', ' ORDER BY i) || ']' FROM generate_series(1, 10) AS i),
        (SELECT 'ARRAY[' || string_agg(format('sum(r.resolution[t.r9 * 10 + %s])', i), ', ' ORDER BY i) || ']' FROM generate_series(1, 10) AS i));
END
$do$;
-- +goose StatementEnd
ANALYZE feedback_count, feedback_tree_count;

-- +goose Down
DROP FUNCTION feedback_times_by(date, date, ltree, text[], text);
-- feedback_count_by reads the columns feedback_count_at had before by name,
-- and stays as it is.
DROP FUNCTION feedback_count_at(date, date, ltree, text[], text);
-- +goose StatementBegin
CREATE FUNCTION feedback_count_at(p_from date, p_to date, p_unit ltree, p_channels text[], p_detail text)
RETURNS TABLE (
    month date, channel text, channel_order smallint, digital boolean, unit_id integer, path ltree,
    feedback integer, complaint integer, question integer, suggestion integer, praise integer,
    unresolved integer, unanswered integer, waiting integer, in_time integer,
    first_response integer[], resolution integer[], by_hour integer[], last_day date, open_after integer[]
)
LANGUAGE sql STABLE AS $$
    SELECT date_trunc('month', r.period::timestamp)::date, c.code, c.sort_order, c.digital, r.unit_id, s.part,
           r.feedback, r.complaint, r.question, r.suggestion, r.praise, r.unresolved, r.unanswered, r.waiting,
           r.in_time, r.first_response, r.resolution, r.by_hour, period_last_day(r.grain, r.period), r.open_after
    FROM counted_units(p_unit, p_detail) s
    CROSS JOIN counted_periods(p_from, p_to) p
    JOIN LATERAL (
        SELECT t.* FROM feedback_tree_count t
        WHERE s.tree AND t.grain = p.grain AND (p.grain = 'm' OR nlevel(s.part) = 1)
          AND t.period >= p.period_from AND t.period < p.period_until
          AND t.unit_id = s.unit_id
        UNION ALL
        SELECT t.* FROM feedback_count t
        WHERE s.tree AND p.grain = 'd' AND nlevel(s.part) > 1 AND t.grain = 'd'
          AND t.period >= p.period_from AND t.period < p.period_until
          AND t.unit_id IN (SELECT u.id FROM org_unit u WHERE u.path <@ s.part)
        UNION ALL
        SELECT t.* FROM feedback_count t
        WHERE NOT s.tree AND t.grain = p.grain AND t.period >= p.period_from AND t.period < p.period_until
          AND t.unit_id = s.unit_id
    ) r ON true
    JOIN channel c ON c.id = r.channel_id
    WHERE coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels)
$$;
-- +goose StatementEnd
ALTER TABLE feedback_count DROP COLUMN resolution_coarse;
ALTER TABLE feedback_tree_count DROP COLUMN resolution_coarse;
