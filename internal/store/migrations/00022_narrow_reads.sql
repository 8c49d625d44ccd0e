-- +goose Up
-- Three costs every feedback or staff panel paid, whatever it showed.
--
-- A row of feedback_count is some 2,6 kB, most of it the classes and hours
-- counted in arrays; three fit on a page. A panel that sums only counts
-- (who handled the feedback, month by month) still visited a page per
-- row: a year of the city's units, 3 300 rows, took 31 ms to read. The
-- counts alone, in an index of their own, are read without the rows: 2 ms.
CREATE INDEX feedback_count_scalars ON feedback_count (grain, period, unit_id, channel_id)
    INCLUDE (feedback, complaint, question, suggestion, praise, unresolved, unanswered, waiting, in_time);

-- counted_from and counted_until run once or twice in every view's
-- counted_periods. As SQL functions with a FROM they cannot be inlined,
-- and a SQL function's statement is planned again in every query that
-- calls it; PL/pgSQL keeps the plan for the connection. As the reader, the
-- service page's queries took 250 ms together before and 172 after, the
-- channels page's 55 and 18 (their plans change with the estimates too).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION counted_from(p_from date) RETURNS date
LANGUAGE plpgsql STABLE AS $$
DECLARE
    start date := date_trunc('month', p_from::timestamp)::date;
    next date := (date_trunc('month', p_from::timestamp) + interval '1 month')::date;
BEGIN
    RETURN CASE WHEN p_from <= coalesce((
            SELECT min(period) FROM feedback_count
            WHERE grain = 'd' AND period >= start AND period < next), p_from)
        THEN start ELSE next END;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION counted_until(p_to date) RETURNS date
LANGUAGE plpgsql STABLE AS $$
DECLARE
    start date := date_trunc('month', p_to::timestamp)::date;
    next date := (date_trunc('month', p_to::timestamp) + interval '1 month')::date;
BEGIN
    RETURN CASE WHEN p_to >= coalesce((
            SELECT max(period) FROM feedback_count
            WHERE grain = 'd' AND period >= start AND period < next), p_to)
        THEN next ELSE start END;
END
$$;
-- +goose StatementEnd

-- hr_shown as in migration 00004, but the persons of each part are summed
-- by the part's id and named after: sorting 1 900 rows by ltree path took
-- a third of the function, which every staff panel calls (2,0 → 1,25 ms).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION hr_shown(p_from date, p_to date)
RETURNS TABLE (path ltree, shown boolean)
LANGUAGE sql STABLE
AS $$
WITH persons AS (
    -- Persons in every part of the organisation month by month: the staff
    -- at or below it.
    SELECT n.id, hm.month, sum(hm.headcount) AS headcount
    FROM hr_month hm
    JOIN org_unit u ON u.id = hm.unit_id
    JOIN org_unit n ON u.path <@ n.path
    WHERE hm.month >= date_trunc('month', p_from)
      AND hm.month <= p_to
    GROUP BY n.id, hm.month
), sized AS (
    SELECT n.path, min(p.headcount) AS persons, min(p.headcount) < 5 AS small
    FROM persons p
    JOIN org_unit n ON n.id = p.id
    GROUP BY n.id
), withheld AS (
    -- Small, or the complement of a small sibling: the smallest siblings
    -- beside a small one are withheld too, until the withheld ones have at
    -- least five persons together.
    SELECT path, small OR (
        bool_or(small) OVER siblings
        AND coalesce(sum(persons) OVER (siblings ORDER BY persons, path
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) < 5) AS withheld
    FROM sized
    WINDOW siblings AS (PARTITION BY subpath(path, 0, nlevel(path) - 1))
), shown AS (
    -- Shown only when neither it nor any part above it is withheld: the
    -- parts of a withheld part would add up to it.
    SELECT n.path, NOT bool_or(a.withheld) AS shown
    FROM withheld n
    JOIN withheld a ON n.path <@ a.path
    GROUP BY n.path
)
SELECT s.path, s.shown FROM shown s
$$;
-- +goose StatementEnd

-- The feedback still inside its answer target (feedback_not_yet_due): each
-- channel's cut-off is worked out once, not once for each of the 17 000
-- unanswered items of the last 14 days it is compared with (an interval
-- times a number, taken from now, per item). 9,7 -> 6,9 ms, in four of the
-- service page's queries.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_not_yet_due(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (month date, channel text, unit_id integer, path ltree, feedback int8)
LANGUAGE sql STABLE AS $$
    SELECT n.month, c.code, n.unit_id, u.path, n.feedback
    FROM (
        SELECT date_trunc('month', f.received_at AT TIME ZONE 'Europe/Helsinki')::date AS month,
            f.unit_id, f.channel_id, count(*) AS feedback
        FROM feedback f
        -- OFFSET 0 keeps the planner from pulling the cut-offs into the join.
        JOIN (SELECT id, now() - first_response_target_hours * interval '1 hour' AS due_after
              FROM channel OFFSET 0) t ON t.id = f.channel_id
        WHERE f.first_response_at IS NULL
          AND f.received_at >= greatest(p_from, first_day_not_yet_due())::timestamptz
          AND f.received_at < (p_to + 1)::timestamptz
          AND f.received_at >= t.due_after
        GROUP BY 1, 2, 3
    ) n
    JOIN channel c ON c.id = n.channel_id
    JOIN org_unit u ON u.id = n.unit_id
    WHERE u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
$$;
-- +goose StatementEnd

-- The classes of the times to the first response of a view, and how many
-- were answered, by unit and channel (service_slipped_units). As
-- feedback_count_by(..., 'unit channel') they were grouped by a text made
-- of both, sorted by collation, and the answered counted by summing each
-- group's 160 classes again; here they are grouped by the numbers and the
-- answered are the counted feedback less the unanswered. 59 -> 48 ms.
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
CREATE FUNCTION feedback_response_classes(p_from date, p_to date, p_unit ltree, p_channels text[])
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

-- A past view's items resolved more than 60 days after they came
-- (feedback_open_at_end) are counted with a plan made for the view's own
-- dates. PL/pgSQL keeps a generic plan after five calls, and for this
-- count it read the index of long resolutions twice as slowly: the
-- function took 6,2 ms for the city's period before this one, 3,0 now. The
-- overview's and the service page's KPIs ask it for two periods each.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_open_at_end(p_from date, p_to date, p_unit ltree, p_channels text[], p_received_to date)
RETURNS int8
LANGUAGE plpgsql STABLE AS $$
DECLARE
    open_at_end int8;
    counted_to date; -- the last day of the periods counted only to 60 days after
    last_day date;
    late int8;
BEGIN
    SELECT coalesce(sum(CASE WHEN p_to - r.last_day < 60 THEN r.open_after[p_to - r.last_day + 1] ELSE r.unresolved END), 0),
           max(r.last_day) FILTER (WHERE p_to - r.last_day >= 60), max(r.last_day)
    INTO open_at_end, counted_to, last_day
    FROM feedback_count_at(p_from, p_received_to, p_unit, p_channels, 'view') r;
    IF last_day > p_to THEN
        RETURN (SELECT count(*) FROM feedback_in_view(p_from, p_received_to, p_unit, p_channels) f
                WHERE f.resolved_at IS NULL OR f.resolved_at >= (p_to + 1)::timestamp AT TIME ZONE 'Europe/Helsinki');
    END IF;
    IF counted_to IS NOT NULL THEN
        EXECUTE 'SELECT count(*) FROM feedback_in_view($1, $2, $3, $4) f
                 WHERE f.resolved_at - f.received_at > interval ''60 days''
                   AND f.resolved_at >= ($5 + 1)::timestamp AT TIME ZONE ''Europe/Helsinki'''
        INTO late
        USING p_from, counted_to, p_unit, p_channels, p_to;
        open_at_end := open_at_end + late;
    END IF;
    RETURN open_at_end;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- Migration 00013's feedback_open_at_end.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_open_at_end(p_from date, p_to date, p_unit ltree, p_channels text[], p_received_to date)
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
    FROM feedback_count_at(p_from, p_received_to, p_unit, p_channels, 'view') r;
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

DROP FUNCTION feedback_response_classes(date, date, ltree, text[]);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_not_yet_due(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (month date, channel text, unit_id integer, path ltree, feedback int8)
LANGUAGE sql STABLE AS $$
    SELECT n.month, c.code, n.unit_id, u.path, n.feedback
    FROM (
        SELECT date_trunc('month', f.received_at AT TIME ZONE 'Europe/Helsinki')::date AS month,
            f.unit_id, f.channel_id, count(*) AS feedback
        FROM feedback f
        JOIN channel t ON t.id = f.channel_id
        WHERE f.first_response_at IS NULL
          AND f.received_at >= greatest(p_from, first_day_not_yet_due())::timestamptz
          AND f.received_at < (p_to + 1)::timestamptz
          AND f.received_at >= now() - t.first_response_target_hours * interval '1 hour'
        GROUP BY 1, 2, 3
    ) n
    JOIN channel c ON c.id = n.channel_id
    JOIN org_unit u ON u.id = n.unit_id
    WHERE u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
$$;
-- +goose StatementEnd
DROP INDEX feedback_count_scalars;

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

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION hr_shown(p_from date, p_to date)
RETURNS TABLE (path ltree, shown boolean)
LANGUAGE sql STABLE
AS $$
WITH persons AS (
    SELECT n.path, hm.month, sum(hm.headcount) AS headcount
    FROM hr_month hm
    JOIN org_unit u ON u.id = hm.unit_id
    JOIN org_unit n ON u.path <@ n.path
    WHERE hm.month >= date_trunc('month', p_from)
      AND hm.month <= p_to
    GROUP BY n.path, hm.month
), sized AS (
    SELECT path, min(headcount) AS persons, min(headcount) < 5 AS small
    FROM persons
    GROUP BY path
), withheld AS (
    SELECT path, small OR (
        bool_or(small) OVER siblings
        AND coalesce(sum(persons) OVER (siblings ORDER BY persons, path
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) < 5) AS withheld
    FROM sized
    WINDOW siblings AS (PARTITION BY subpath(path, 0, nlevel(path) - 1))
), shown AS (
    SELECT n.path, NOT bool_or(a.withheld) AS shown
    FROM withheld n
    JOIN withheld a ON n.path <@ a.path
    GROUP BY n.path
)
SELECT s.path, s.shown FROM shown s
$$;
-- +goose StatementEnd
