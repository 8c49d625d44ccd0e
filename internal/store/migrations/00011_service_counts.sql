-- +goose Up
-- The service level, the hour of receipt and what stayed open counted
-- ahead too, so that the service dashboard, the channels' heatmap and the
-- KPIs' previous periods do not read a year of feedback either.
-- feedback_count gains, per day or month, unit and channel:
--   unanswered   feedback not answered yet;
--   waiting      neither answered nor resolved;
--   in_time      answered within its channel's target
--                (channel.first_response_target_hours: a migration that
--                changes a target must count again, refresh_feedback_counts);
--   resolution   the resolved, by class of the time to resolution (the
--                classes of first_response_edges);
--   by_hour      all of it by hour of the week it arrived, in the city's
--                time zone: element (ISO weekday - 1) * 24 + hour + 1;
--   open_after   element k + 1: how much of it was still open (not
--                resolved) at the end of the k-th day after the period's
--                last, k = 0 … 59. A past view's "open at its end" comes
--                from these (feedback_open_at_end).
ALTER TABLE feedback_count
    ADD COLUMN unanswered integer NOT NULL DEFAULT 0,
    ADD COLUMN waiting integer NOT NULL DEFAULT 0,
    ADD COLUMN in_time integer NOT NULL DEFAULT 0,
    ADD COLUMN resolution integer[] NOT NULL DEFAULT array_fill(0, ARRAY[160]) CHECK (cardinality(resolution) = 160),
    ADD COLUMN by_hour integer[] NOT NULL DEFAULT array_fill(0, ARRAY[168]) CHECK (cardinality(by_hour) = 168),
    ADD COLUMN open_after integer[] NOT NULL DEFAULT array_fill(0, ARRAY[60]) CHECK (cardinality(open_after) = 60);
-- The defaults only fill the rows counted before; writers give every column.
ALTER TABLE feedback_count
    ALTER COLUMN unanswered DROP DEFAULT, ALTER COLUMN waiting DROP DEFAULT, ALTER COLUMN in_time DROP DEFAULT,
    ALTER COLUMN resolution DROP DEFAULT, ALTER COLUMN by_hour DROP DEFAULT, ALTER COLUMN open_after DROP DEFAULT;

-- A row is now about 2 kB, where PostgreSQL would compress its arrays; a
-- sum of each element of a compressed array decompresses it each time,
-- which made adding up a year's counts by hour ten times slower.
ALTER TABLE feedback_count SET (toast_tuple_target = 8160);

-- Whether a view counts its first and last month whole. Under row-level
-- security an index is searched only by leakproof comparisons, and a date
-- compared with a timestamp (a month's start plus an interval) is not: the
-- reader's search for a month's last counted day walked back from the
-- newest day row, 0,2 s a view at 1 M rows. Dates with dates are.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION counted_from(p_from date) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_from <= coalesce((
            SELECT min(period) FROM feedback_count
            WHERE grain = 'd' AND period >= m.start AND period < m.next), p_from)
        THEN m.start ELSE m.next END
    FROM (SELECT date_trunc('month', p_from::timestamp)::date AS start,
                 (date_trunc('month', p_from::timestamp) + interval '1 month')::date AS next) m
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION counted_until(p_to date) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_to >= coalesce((
            SELECT max(period) FROM feedback_count
            WHERE grain = 'd' AND period >= m.start AND period < m.next), p_to)
        THEN m.next ELSE m.start END
    FROM (SELECT date_trunc('month', p_to::timestamp)::date AS start,
                 (date_trunc('month', p_to::timestamp) + interval '1 month')::date AS next) m
$$;
-- +goose StatementEnd

-- counts_at(position, size) counts the rows by position (1..size; NULL is
-- not counted) into an array of size counts: a class of a time, an hour of
-- the week. One aggregate instead of one count(*) FILTER per position,
-- which made counting a million rows ten seconds slower.
-- +goose StatementBegin
CREATE FUNCTION counts_at_add(counts integer[], p_position integer, p_size integer) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF counts IS NULL THEN
        counts := array_fill(0, ARRAY[p_size]);
    END IF;
    IF p_position IS NOT NULL THEN
        counts[p_position] := counts[p_position] + 1;
    END IF;
    RETURN counts;
END
$$;
-- +goose StatementEnd
CREATE AGGREGATE counts_at(integer, integer) (SFUNC = counts_at_add, STYPE = integer[]);

-- counts_up_to(n, size) counts each row in the first n (0..size) elements
-- of an array of size counts: so that element k counts the rows of n >= k.
-- +goose StatementBegin
CREATE FUNCTION counts_up_to_add(counts integer[], p_n integer, p_size integer) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF counts IS NULL THEN
        counts := array_fill(0, ARRAY[p_size]);
    END IF;
    FOR k IN 1 .. least(p_n, p_size) LOOP
        counts[k] := counts[k] + 1;
    END LOOP;
    RETURN counts;
END
$$;
-- +goose StatementEnd
CREATE AGGREGATE counts_up_to(integer, integer) (SFUNC = counts_up_to_add, STYPE = integer[]);

-- The last day of a count row's period: the day, or the month's last.
-- +goose StatementBegin
CREATE FUNCTION period_last_day(p_grain "char", p_period date) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE p_grain WHEN 'm' THEN (p_period + interval '1 month' - interval '1 day')::date ELSE p_period END
$$;
-- +goose StatementEnd

-- On how many of the days after day feedback resolved at was still open at
-- the end of the day, in the city's time zone: none when resolved on day,
-- 60 (as many as are counted) when not resolved.
-- +goose StatementBegin
CREATE FUNCTION open_days(day date, resolved timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN resolved IS NULL THEN 60
        ELSE least(greatest((resolved AT TIME ZONE 'Europe/Helsinki')::date - day, 0), 60) END
$$;
-- +goose StatementEnd

-- The element-wise sum of two arrays of counts of the same size.
-- +goose StatementBegin
CREATE FUNCTION add_counts(a integer[], b integer[]) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t (x, y, i)
$$;
-- +goose StatementEnd

-- The position of a moment in counts by hour of the week (1–168), in the
-- city's time zone.
-- +goose StatementBegin
CREATE FUNCTION hour_of_week(at timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT ((date_part('isodow', at AT TIME ZONE 'Europe/Helsinki') - 1) * 24
        + date_part('hour', at AT TIME ZONE 'Europe/Helsinki') + 1)::integer
$$;
-- +goose StatementEnd

-- The functions below add up arrays of counts. PostgreSQL has no aggregate
-- that adds arrays, and one in PL/pgSQL is ten times slower than a sum per
-- element, so the sums are written out here: sums('r.x', 3) is
-- "ARRAY[sum(r.x[1]), sum(r.x[2]), sum(r.x[3])]".
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
CREATE OR REPLACE FUNCTION refresh_feedback_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('luukku.feedback_count'));
    DELETE FROM feedback_count WHERE grain = 'd' AND period BETWEEN p_from AND p_to;
    INSERT INTO feedback_count (grain, period, unit_id, channel_id, feedback, complaint, question, suggestion,
        praise, unresolved, unanswered, waiting, in_time, first_response, resolution, by_hour, open_after)
    SELECT 'd', (f.received_at AT TIME ZONE 'Europe/Helsinki')::date, f.unit_id, f.channel_id, count(*),
        count(*) FILTER (WHERE f.kind = 'complaint'), count(*) FILTER (WHERE f.kind = 'question'),
        count(*) FILTER (WHERE f.kind = 'suggestion'), count(*) FILTER (WHERE f.kind = 'praise'),
        count(*) FILTER (WHERE f.resolved_at IS NULL),
        count(*) FILTER (WHERE f.first_response_at IS NULL),
        count(*) FILTER (WHERE f.first_response_at IS NULL AND f.resolved_at IS NULL),
        count(*) FILTER (WHERE f.first_response_at <= f.received_at + c.first_response_target_hours * interval '1 hour'),
        counts_at(first_response_class(date_part('epoch', f.first_response_at - f.received_at)), 160),
        counts_at(first_response_class(date_part('epoch', f.resolved_at - f.received_at)), 160),
        counts_at(hour_of_week(f.received_at), 168),
        counts_up_to(open_days((f.received_at AT TIME ZONE 'Europe/Helsinki')::date, f.resolved_at), 60)
    FROM feedback f
    JOIN channel c ON c.id = f.channel_id
    WHERE f.received_at >= p_from::timestamp AT TIME ZONE 'Europe/Helsinki'
      AND f.received_at < (p_to + 1)::timestamp AT TIME ZONE 'Europe/Helsinki'
    GROUP BY 2, 3, 4;

    -- The months from the day rows, which now hold every day of them; what
    -- was open after a month's end from feedback itself.
    DELETE FROM feedback_count
    WHERE grain = 'm' AND period >= date_trunc('month', p_from::timestamp)::date AND period <= p_to;
    INSERT INTO feedback_count (grain, period, unit_id, channel_id, feedback, complaint, question, suggestion,
        praise, unresolved, unanswered, waiting, in_time, first_response, resolution, by_hour, open_after)
    SELECT 'm', d.month, d.unit_id, d.channel_id, d.feedback, d.complaint, d.question, d.suggestion, d.praise,
        d.unresolved, d.unanswered, d.waiting, d.in_time, d.first_response, d.resolution, d.by_hour, o.open_after
    FROM (
        SELECT date_trunc('month', period::timestamp)::date AS month, unit_id, channel_id,
            sum(feedback) AS feedback, sum(complaint) AS complaint, sum(question) AS question,
            sum(suggestion) AS suggestion, sum(praise) AS praise, sum(unresolved) AS unresolved,
            sum(unanswered) AS unanswered, sum(waiting) AS waiting, sum(in_time) AS in_time,
            %s AS first_response, %s AS resolution, %s AS by_hour
        FROM feedback_count
        WHERE grain = 'd' AND period >= date_trunc('month', p_from::timestamp)::date
          AND period < (date_trunc('month', p_to::timestamp) + interval '1 month')::date
        GROUP BY 1, 2, 3
    ) d
    JOIN (
        SELECT m.month, f.unit_id, f.channel_id,
            counts_up_to(open_days(period_last_day('m', m.month), f.resolved_at), 60) AS open_after
        FROM feedback f
        CROSS JOIN LATERAL (SELECT date_trunc('month', f.received_at AT TIME ZONE 'Europe/Helsinki')::date AS month) m
        WHERE f.received_at >= date_trunc('month', p_from::timestamp) AT TIME ZONE 'Europe/Helsinki'
          AND f.received_at < (date_trunc('month', p_to::timestamp) + interval '1 month') AT TIME ZONE 'Europe/Helsinki'
        GROUP BY 1, 2, 3
    ) o USING (month, unit_id, channel_id);

    SELECT refresh_feedback_theme_counts(p_from, p_to);
$$
$f$, pg_temp.sums('first_response', 160), pg_temp.sums('resolution', 160), pg_temp.sums('by_hour', 168));
END
$do$;
-- +goose StatementEnd

-- The return types grow, so the two are made again.
DROP FUNCTION feedback_count_by(date, date, ltree, text[], text), feedback_count_in_view(date, date, ltree, text[]);

-- +goose StatementBegin
CREATE FUNCTION feedback_count_in_view(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (
    month date, channel text, channel_order smallint, digital boolean, unit_id integer, path ltree,
    feedback integer, complaint integer, question integer, suggestion integer, praise integer,
    unresolved integer, unanswered integer, waiting integer, in_time integer,
    first_response integer[], resolution integer[], by_hour integer[], last_day date, open_after integer[]
)
LANGUAGE sql STABLE AS $$
    SELECT date_trunc('month', r.period::timestamp)::date, c.code, c.sort_order, c.digital, r.unit_id, u.path,
           r.feedback, r.complaint, r.question, r.suggestion, r.praise, r.unresolved, r.unanswered, r.waiting,
           r.in_time, r.first_response, r.resolution, r.by_hour,
           period_last_day(r.grain, r.period),
           r.open_after
    FROM counted_periods(p_from, p_to) p
    JOIN feedback_count r ON r.grain = p.grain AND r.period >= p.period_from AND r.period < p.period_until
    JOIN org_unit u ON u.id = r.unit_id
    JOIN channel c ON c.id = r.channel_id
    WHERE u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
$$;
-- +goose StatementEnd

-- The view's counts summed by p_by: 'month', 'channel' (with the channel's
-- sort_order), 'part' (the part of p_unit one level down that the unit
-- belongs to, as child_group), 'unit channel' (the unit's id and the
-- channel's code, with a space between), or anything else for one row of
-- them all (none when the view has no feedback). Columns a query does not
-- ask for are not summed: the planner inlines the function.
-- +goose StatementBegin
DO $do$
BEGIN
    EXECUTE format($f$
CREATE FUNCTION feedback_count_by(p_from date, p_to date, p_unit ltree, p_channels text[], p_by text)
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
    FROM feedback_count_in_view(p_from, p_to, p_unit, p_channels) f
    GROUP BY 1
$$
$f$, pg_temp.sums('f.first_response', 160), pg_temp.sums('f.resolution', 160), pg_temp.sums('f.by_hour', 168));
END
$do$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_count_errors()
RETURNS TABLE (grain "char", period date, unit_id integer, channel_id smallint, theme text, stored int8[], actual int8[])
LANGUAGE sql STABLE AS $$
    WITH actual AS (
        SELECT (f.received_at AT TIME ZONE 'Europe/Helsinki')::date AS day, f.unit_id, f.channel_id, f.kind, t.theme,
            f.resolved_at IS NULL AS unresolved, f.first_response_at IS NULL AS unanswered,
            f.first_response_at <= f.received_at + c.first_response_target_hours * interval '1 hour' AS in_time,
            first_response_class(date_part('epoch', f.first_response_at - f.received_at)) AS first_response,
            first_response_class(date_part('epoch', f.resolved_at - f.received_at)) AS resolution,
            hour_of_week(f.received_at) AS hour, f.resolved_at
        FROM feedback f
        JOIN channel c ON c.id = f.channel_id
        CROSS JOIN LATERAL unnest(f.themes || ''::text) AS t (theme)
    ), counted AS (
        -- For a theme only the total and the complaints are kept.
        SELECT g.grain, g.period, a.unit_id, a.channel_id, a.theme,
            CASE WHEN a.theme = '' THEN ARRAY[count(*), count(*) FILTER (WHERE a.kind = 'complaint'),
                    count(*) FILTER (WHERE a.kind = 'question'), count(*) FILTER (WHERE a.kind = 'suggestion'),
                    count(*) FILTER (WHERE a.kind = 'praise'), count(*) FILTER (WHERE a.unresolved),
                    count(*) FILTER (WHERE a.unanswered), count(*) FILTER (WHERE a.unanswered AND a.unresolved),
                    count(*) FILTER (WHERE a.in_time)]
                || counts_at(a.first_response, 160)::int8[] || counts_at(a.resolution, 160)::int8[]
                || counts_at(a.hour, 168)::int8[]
                || counts_up_to(open_days(period_last_day(g.grain, g.period), a.resolved_at), 60)::int8[]
                ELSE ARRAY[count(*), count(*) FILTER (WHERE a.kind = 'complaint')] END AS n
        FROM actual a
        CROSS JOIN LATERAL (VALUES ('d'::"char", a.day), ('m', date_trunc('month', a.day::timestamp)::date)) AS g (grain, period)
        GROUP BY 1, 2, 3, 4, 5
    ), stored AS (
        SELECT grain, period, unit_id, channel_id, '' AS theme,
            (ARRAY[feedback, complaint, question, suggestion, praise, unresolved, unanswered, waiting, in_time]
                || first_response || resolution || by_hour || open_after)::int8[] AS n
        FROM feedback_count
        WHERE feedback <> 0
        UNION ALL
        SELECT grain, period, unit_id, channel_id, theme, ARRAY[feedback, complaint]::int8[]
        FROM feedback_theme_count
        WHERE feedback <> 0 OR complaint <> 0
    )
    SELECT grain, period, unit_id, channel_id, theme, s.n, c.n
    FROM stored s
    FULL JOIN counted c USING (grain, period, unit_id, channel_id, theme)
    WHERE s.n IS DISTINCT FROM c.n
$$;
-- +goose StatementEnd

-- Feedback not answered or not resolved yet is a few in a hundred: the
-- panels that must look at it item by item (this week's unanswered against
-- their targets, the young backlog by age) find it through this one index
-- (one, not one for each, to keep an import's work down).
CREATE INDEX feedback_open ON feedback (received_at) WHERE first_response_at IS NULL OR resolved_at IS NULL;
-- Resolved more than 60 days after it arrived: one in a hundred.
CREATE INDEX feedback_long_resolution ON feedback (received_at) WHERE resolved_at - received_at > interval '60 days';

-- The feedback of a view not answered yet but still within its channel's
-- target time: neither answered in time nor late yet, so the share within
-- target leaves it out. Only the days of the longest target can hold it,
-- and feedback_open finds it there.
-- (The first day is a function's: a subquery in the arguments would keep
-- feedback_in_view from being inlined, and so from its indexes.)
-- +goose StatementBegin
CREATE FUNCTION first_day_not_yet_due() RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT (now() AT TIME ZONE 'Europe/Helsinki')::date - ceil(max(first_response_target_hours) / 24)::integer - 1
    FROM channel
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION feedback_not_yet_due(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (month date, channel text, unit_id integer, path ltree)
LANGUAGE sql STABLE AS $$
    SELECT date_trunc('month', f.received_at AT TIME ZONE 'Europe/Helsinki')::date, f.channel, f.unit_id, u.path
    FROM feedback_in_view(greatest(p_from, first_day_not_yet_due()), p_to, p_unit, p_channels) f
    JOIN channel c ON c.code = f.channel
    JOIN org_unit u ON u.id = f.unit_id
    WHERE f.first_response_at IS NULL
      AND f.received_at + c.first_response_target_hours * interval '1 hour' >= now()
$$;
-- +goose StatementEnd

-- How much of the feedback of a view of the days p_from..p_to received by
-- p_received_to was still open at the end of p_to (not resolved by then),
-- for a view that ended in the past: from the counts of what was open
-- after each period, and for the periods that ended more than 60 days
-- before p_to, from the unresolved counted and what feedback_long_resolution
-- finds of the feedback resolved since. Should a month counted whole end
-- after p_to (a month without feedback after p_received_to), feedback is
-- asked item by item.
-- +goose StatementBegin
CREATE FUNCTION feedback_open_at_end(p_from date, p_to date, p_unit ltree, p_channels text[], p_received_to date)
RETURNS int8
LANGUAGE plpgsql STABLE AS $$
DECLARE
    open_at_end int8;
    counted_to date; -- the last day of the periods counted only to 60 days after
    last_day date;
BEGIN
    SELECT coalesce(sum(CASE WHEN p_to - r.last_day < 60 THEN r.open_after[p_to - r.last_day + 1] ELSE r.unresolved END), 0),
           max(r.last_day) FILTER (WHERE p_to - r.last_day >= 60), max(r.last_day)
    INTO open_at_end, counted_to, last_day
    FROM feedback_count_in_view(p_from, p_received_to, p_unit, p_channels) r;
    IF last_day > p_to THEN
        RETURN (SELECT count(*) FROM feedback_in_view(p_from, p_received_to, p_unit, p_channels) f
                WHERE f.resolved_at IS NULL OR f.resolved_at >= (p_to + 1)::timestamp AT TIME ZONE 'Europe/Helsinki');
    END IF;
    IF counted_to IS NOT NULL THEN
        open_at_end := open_at_end + (
            SELECT count(*) FROM feedback_in_view(p_from, counted_to, p_unit, p_channels) f
            WHERE f.resolved_at - f.received_at > interval '60 days'
              AND f.resolved_at >= (p_to + 1)::timestamp AT TIME ZONE 'Europe/Helsinki');
    END IF;
    RETURN open_at_end;
END
$$;
-- +goose StatementEnd

-- How many a histogram (first_response, resolution) counts.
-- +goose StatementBegin
CREATE FUNCTION sum_of(counts int8[]) RETURNS int8
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(sum(n), 0)::int8 FROM unnest(counts) AS n
$$;
-- +goose StatementEnd

-- What is already stored.
SELECT refresh_feedback_counts(
    coalesce((SELECT min(received_at AT TIME ZONE 'Europe/Helsinki')::date FROM feedback), current_date),
    coalesce((SELECT max(received_at AT TIME ZONE 'Europe/Helsinki')::date FROM feedback), current_date));
ANALYZE feedback_count, feedback_theme_count;
DROP FUNCTION pg_temp.sums(text, integer);

-- +goose Down
-- Back to migration 00010's functions, which know only its columns.
DROP FUNCTION feedback_not_yet_due(date, date, ltree, text[]), first_day_not_yet_due(), sum_of(int8[]),
    feedback_open_at_end(date, date, ltree, text[], date);
DROP INDEX feedback_open, feedback_long_resolution;
ALTER TABLE feedback_count RESET (toast_tuple_target);
DROP FUNCTION feedback_count_by(date, date, ltree, text[], text), feedback_count_in_view(date, date, ltree, text[]);
ALTER TABLE feedback_count DROP COLUMN unanswered, DROP COLUMN waiting, DROP COLUMN in_time,
    DROP COLUMN resolution, DROP COLUMN by_hour, DROP COLUMN open_after;

-- +goose StatementBegin
CREATE FUNCTION feedback_count_in_view(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (
    month date, channel text, channel_order smallint, digital boolean, unit_id integer, path ltree,
    feedback integer, complaint integer, question integer, suggestion integer, praise integer,
    unresolved integer, first_response integer[]
)
LANGUAGE sql STABLE AS $$
    SELECT date_trunc('month', r.period::timestamp)::date, c.code, c.sort_order, c.digital, r.unit_id, u.path,
           r.feedback, r.complaint, r.question, r.suggestion, r.praise, r.unresolved, r.first_response
    FROM counted_periods(p_from, p_to) p
    JOIN feedback_count r ON r.grain = p.grain AND r.period >= p.period_from AND r.period < p.period_until
    JOIN org_unit u ON u.id = r.unit_id
    JOIN channel c ON c.id = r.channel_id
    WHERE u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
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
CREATE OR REPLACE FUNCTION pg_temp.classes(p_class text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'ARRAY[' || string_agg(format('count(*) FILTER (WHERE %s = %s)', p_class, i), ', ' ORDER BY i) || ']'
    FROM generate_series(1, 160) AS i
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $do$
BEGIN
    EXECUTE format($f$
CREATE FUNCTION feedback_count_by(p_from date, p_to date, p_unit ltree, p_channels text[], p_by text)
RETURNS TABLE (
    key text, sort_order integer, feedback int8, complaint int8, digital int8, unresolved int8, first_response int8[]
)
LANGUAGE sql STABLE AS $$
    SELECT CASE p_by WHEN 'month' THEN f.month::text WHEN 'channel' THEN f.channel
                     WHEN 'part' THEN child_group(f.path, p_unit)::text ELSE '' END,
        min(f.channel_order)::integer, sum(f.feedback), sum(f.complaint),
        coalesce(sum(f.feedback) FILTER (WHERE f.digital), 0), sum(f.unresolved), %s
    FROM feedback_count_in_view(p_from, p_to, p_unit, p_channels) f
    GROUP BY 1
$$
$f$, pg_temp.sums('f.first_response', 160));

    EXECUTE format($f$
CREATE OR REPLACE FUNCTION refresh_feedback_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('luukku.feedback_count'));
    DELETE FROM feedback_count WHERE grain = 'd' AND period BETWEEN p_from AND p_to;
    INSERT INTO feedback_count
    SELECT 'd', (f.received_at AT TIME ZONE 'Europe/Helsinki')::date, f.unit_id, f.channel_id, count(*),
        count(*) FILTER (WHERE f.kind = 'complaint'), count(*) FILTER (WHERE f.kind = 'question'),
        count(*) FILTER (WHERE f.kind = 'suggestion'), count(*) FILTER (WHERE f.kind = 'praise'),
        count(*) FILTER (WHERE f.resolved_at IS NULL), %s
    FROM feedback f
    CROSS JOIN LATERAL (SELECT first_response_class(date_part('epoch', f.first_response_at - f.received_at)) AS b) x
    WHERE f.received_at >= p_from::timestamp AT TIME ZONE 'Europe/Helsinki'
      AND f.received_at < (p_to + 1)::timestamp AT TIME ZONE 'Europe/Helsinki'
    GROUP BY 2, 3, 4;
    DELETE FROM feedback_count
    WHERE grain = 'm' AND period >= date_trunc('month', p_from::timestamp)::date AND period <= p_to;
    INSERT INTO feedback_count
    SELECT 'm', date_trunc('month', period::timestamp)::date, unit_id, channel_id,
        sum(feedback), sum(complaint), sum(question), sum(suggestion), sum(praise), sum(unresolved), %s::integer[]
    FROM feedback_count
    WHERE grain = 'd' AND period >= date_trunc('month', p_from::timestamp)::date
      AND period < (date_trunc('month', p_to::timestamp) + interval '1 month')::date
    GROUP BY 2, 3, 4;
    SELECT refresh_feedback_theme_counts(p_from, p_to);
$$
$f$, pg_temp.classes('x.b'), pg_temp.sums('first_response', 160));

    EXECUTE format($f$
CREATE OR REPLACE FUNCTION feedback_count_errors()
RETURNS TABLE (grain "char", period date, unit_id integer, channel_id smallint, theme text, stored int8[], actual int8[])
LANGUAGE sql STABLE AS $$
    WITH actual AS (
        SELECT (f.received_at AT TIME ZONE 'Europe/Helsinki')::date AS day, f.unit_id, f.channel_id, f.kind, t.theme,
            f.resolved_at IS NULL AS unresolved,
            first_response_class(date_part('epoch', f.first_response_at - f.received_at)) AS b
        FROM feedback f
        CROSS JOIN LATERAL unnest(f.themes || ''::text) AS t (theme)
    ), counted AS (
        SELECT g.grain, g.period, a.unit_id, a.channel_id, a.theme,
            CASE WHEN a.theme = '' THEN ARRAY[count(*), count(*) FILTER (WHERE a.kind = 'complaint'),
                    count(*) FILTER (WHERE a.kind = 'question'), count(*) FILTER (WHERE a.kind = 'suggestion'),
                    count(*) FILTER (WHERE a.kind = 'praise'), count(*) FILTER (WHERE a.unresolved)] || %s
                ELSE ARRAY[count(*), count(*) FILTER (WHERE a.kind = 'complaint')] END AS n
        FROM actual a
        CROSS JOIN LATERAL (VALUES ('d'::"char", a.day), ('m', date_trunc('month', a.day::timestamp)::date)) AS g (grain, period)
        GROUP BY 1, 2, 3, 4, 5
    ), stored AS (
        SELECT grain, period, unit_id, channel_id, '' AS theme,
            (ARRAY[feedback, complaint, question, suggestion, praise, unresolved] || first_response)::int8[] AS n
        FROM feedback_count
        WHERE feedback <> 0 OR complaint <> 0 OR question <> 0 OR suggestion <> 0 OR praise <> 0 OR unresolved <> 0
        UNION ALL
        SELECT grain, period, unit_id, channel_id, theme, ARRAY[feedback, complaint]::int8[]
        FROM feedback_theme_count
        WHERE feedback <> 0 OR complaint <> 0
    )
    SELECT grain, period, unit_id, channel_id, theme, s.n, c.n
    FROM stored s
    FULL JOIN counted c USING (grain, period, unit_id, channel_id, theme)
    WHERE s.n IS DISTINCT FROM c.n
$$
$f$, pg_temp.classes('a.b'));
END
$do$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION counted_from(p_from date) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_from <= coalesce((
            SELECT min(period) FROM feedback_count
            WHERE grain = 'd' AND period >= m.start AND period < m.start + interval '1 month'), p_from)
        THEN m.start ELSE (m.start + interval '1 month')::date END
    FROM (SELECT date_trunc('month', p_from::timestamp)::date AS start) m
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION counted_until(p_to date) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_to >= coalesce((
            SELECT max(period) FROM feedback_count
            WHERE grain = 'd' AND period >= m.start AND period < m.start + interval '1 month'), p_to)
        THEN (m.start + interval '1 month')::date ELSE m.start END
    FROM (SELECT date_trunc('month', p_to::timestamp)::date AS start) m
$$;
-- +goose StatementEnd

DROP FUNCTION pg_temp.sums(text, integer), pg_temp.classes(text);
DROP AGGREGATE counts_at(integer, integer), counts_up_to(integer, integer);
DROP FUNCTION counts_at_add(integer[], integer, integer), counts_up_to_add(integer[], integer, integer),
    open_days(date, timestamptz), period_last_day("char", date), add_counts(integer[], integer[]), hour_of_week(timestamptz);
