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

-- +goose Down
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
