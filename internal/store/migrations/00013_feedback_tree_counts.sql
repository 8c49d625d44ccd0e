-- +goose Up
-- Feedback counted ahead for whole subtrees of the organisation: a view
-- of the whole city summed some 3 400 count rows of units and channels for
-- a year, 10–50 ms a panel whatever the size of the data. For each unit
-- with units below it (a branch: the city, the toimialat), a row per month
-- and channel (and theme) holds the counts of its whole subtree, itself
-- included. A view of a branch reads its month rows (a twentieth of the
-- rows), and for the days at either end that are not a whole month, the
-- units' day rows. (Day rows of the branches too would cost an import of
-- a million rows more than a second, for views that seldom have such ends:
-- a default view is of whole months up to today.)
--
-- Row-level security keys them to the branch, so they reach only those
-- who see its whole subtree; a reader who sees part of it (a head of two
-- units viewing the city) reads the units' rows, as before. Which rows a
-- view reads is counted_units'.
--
-- The branches' rows are kept from the units' rows: refresh_feedback_counts
-- now counts them again for the months it counts, and an import that adds
-- what it tallied adds the same to them (feedback_count_errors checks).
-- The demo loader, the only writer of the organisation, counts everything
-- again after it.
CREATE TABLE feedback_tree_count (LIKE feedback_count INCLUDING CONSTRAINTS INCLUDING INDEXES,
    CHECK (grain = 'm'));
ALTER TABLE feedback_tree_count SET (toast_tuple_target = 8160);
CREATE TABLE feedback_theme_tree_count (LIKE feedback_theme_count INCLUDING CONSTRAINTS INCLUDING INDEXES,
    CHECK (grain = 'm'));
GRANT SELECT ON feedback_tree_count, feedback_theme_tree_count TO luukku_reader;
ALTER TABLE feedback_tree_count ENABLE ROW LEVEL SECURITY;
ALTER TABLE feedback_theme_tree_count ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON feedback_tree_count FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));
CREATE POLICY in_scope ON feedback_theme_tree_count FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));

-- Each unit with each branch it belongs to (itself, if it is one).
-- +goose StatementBegin
CREATE FUNCTION unit_branches() RETURNS TABLE (unit_id integer, branch_id integer)
LANGUAGE sql STABLE AS $$
    SELECT u.id, b.id
    FROM org_unit b
    JOIN org_unit u ON u.path <@ b.path
    WHERE EXISTS (SELECT FROM org_unit c WHERE c.path <@ b.path AND c.id <> b.id)
$$;
-- +goose StatementEnd

-- Whether the reader sees all of a branch's subtree, and so its rows: the
-- owner (no row security) always; a reader when the scope holds the branch
-- (a scope is of whole subtrees).
-- +goose StatementBegin
CREATE FUNCTION sees_subtree(p_unit integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT NOT row_security_active('feedback_tree_count') OR scope_all() OR p_unit = ANY (scope_units())
$$;
-- +goose StatementEnd

-- The count rows a view of p_unit reads, at the detail a query asks for:
--   'view'  the view as one: p_unit's subtree rows when it is a branch the
--           reader sees whole, or else its units';
--   'part'  the parts one level below p_unit (child_group) and p_unit's own
--           rows: a branch among them by its subtree's rows when the reader
--           sees them whole, or else by its units'.
-- part is the path the rows count toward; tree says which table holds
-- them (feedback_tree_count or feedback_count).
-- +goose StatementBegin
CREATE FUNCTION counted_units(p_unit ltree, p_detail text)
RETURNS TABLE (unit_id integer, part ltree, tree boolean)
LANGUAGE sql STABLE ROWS 10 AS $$
    WITH part AS (
        SELECT p.id, p.path,
            (p.path <> p_unit OR p_detail = 'view')
                AND EXISTS (SELECT FROM org_unit c WHERE c.path <@ p.path AND c.id <> p.id)
                AND sees_subtree(p.id) AS tree
        FROM org_unit p
        WHERE CASE p_detail WHEN 'view' THEN p.path = p_unit
                            ELSE p.path <@ p_unit AND nlevel(p.path) <= nlevel(p_unit) + 1 END
    )
    SELECT p.id, p.path, true FROM part p WHERE p.tree
    UNION ALL
    -- p_unit's own rows are a part of their own; its parts' are all of their subtree.
    SELECT u.id, p.path, false
    FROM part p
    JOIN org_unit u ON u.path <@ p.path
    WHERE NOT p.tree AND (p.path <> p_unit OR p_detail = 'view' OR u.id = p.id)
$$;
-- +goose StatementEnd

-- The function below adds up arrays of counts, each sum written out, as in
-- migration 00011.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION pg_temp.sums(p_array text, p_size integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'ARRAY[' || string_agg(format('sum(%s[%s])', p_array, i), ', ' ORDER BY i) || ']'
    FROM generate_series(1, p_size) AS i
$$;
-- +goose StatementEnd

-- Counts the branches' rows of the months the days p_from..p_to fall in
-- again from the units' rows, which must be up to date.
-- +goose StatementBegin
DO $do$
BEGIN
    EXECUTE format($f$
CREATE FUNCTION refresh_feedback_tree_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM feedback_tree_count
    WHERE period >= date_trunc('month', p_from::timestamp)::date AND period <= p_to;
    INSERT INTO feedback_tree_count (grain, period, unit_id, channel_id, feedback, complaint, question, suggestion,
        praise, unresolved, unanswered, waiting, in_time, first_response, resolution, by_hour, open_after)
    SELECT r.grain, r.period, b.branch_id, r.channel_id, sum(r.feedback), sum(r.complaint), sum(r.question),
        sum(r.suggestion), sum(r.praise), sum(r.unresolved), sum(r.unanswered), sum(r.waiting), sum(r.in_time),
        %s, %s, %s, %s
    FROM feedback_count r
    JOIN unit_branches() b ON b.unit_id = r.unit_id
    WHERE r.grain = 'm' AND r.period >= date_trunc('month', p_from::timestamp)::date AND r.period <= p_to
    GROUP BY r.grain, r.period, b.branch_id, r.channel_id;
$$
$f$, pg_temp.sums('r.first_response', 160), pg_temp.sums('r.resolution', 160), pg_temp.sums('r.by_hour', 168),
     pg_temp.sums('r.open_after', 60));
END
$do$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION refresh_feedback_theme_tree_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM feedback_theme_tree_count
    WHERE period >= date_trunc('month', p_from::timestamp)::date AND period <= p_to;
    INSERT INTO feedback_theme_tree_count
    SELECT r.grain, r.period, b.branch_id, r.channel_id, r.theme, sum(r.feedback), sum(r.complaint)
    FROM feedback_theme_count r
    JOIN unit_branches() b ON b.unit_id = r.unit_id
    WHERE r.grain = 'm' AND r.period >= date_trunc('month', p_from::timestamp)::date AND r.period <= p_to
    GROUP BY r.grain, r.period, b.branch_id, r.channel_id, r.theme;
$$;
-- +goose StatementEnd

-- refresh_feedback_counts and refresh_feedback_theme_counts keep their
-- names for their callers, and count the branches after the units. (The
-- units' refresh_feedback_counts ends with refresh_feedback_theme_counts,
-- by name: the new one.)
ALTER FUNCTION refresh_feedback_counts(date, date) RENAME TO refresh_feedback_unit_counts;
ALTER FUNCTION refresh_feedback_theme_counts(date, date) RENAME TO refresh_feedback_theme_unit_counts;
-- +goose StatementBegin
CREATE FUNCTION refresh_feedback_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    SELECT refresh_feedback_unit_counts(p_from, p_to);
    SELECT refresh_feedback_tree_counts(p_from, p_to);
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION refresh_feedback_theme_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    SELECT refresh_feedback_theme_unit_counts(p_from, p_to);
    SELECT refresh_feedback_theme_tree_counts(p_from, p_to);
$$;
-- +goose StatementEnd

-- The view's rows at a detail, 'view' or 'part' (counted_units), with
-- feedback_count_in_view's columns: unit_id is the row's unit, or its
-- branch's, and path the part it counts toward.
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
        WHERE s.tree AND p.grain = 'm' AND t.grain = 'm' AND t.period >= p.period_from AND t.period < p.period_until
          AND t.unit_id = s.unit_id
        UNION ALL
        -- A branch's days: its units'.
        SELECT t.* FROM feedback_count t
        WHERE s.tree AND p.grain = 'd' AND t.grain = 'd' AND t.period >= p.period_from AND t.period < p.period_until
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

-- The panels that need no finer detail than parts of the view read the
-- branches' rows through feedback_count_at; 'unit channel' reads the units'
-- (the planner keeps one of the two branches, p_by being a constant).
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
        SELECT * FROM feedback_count_at(p_from, p_to, p_unit, p_channels, CASE p_by WHEN 'part' THEN 'part' ELSE 'view' END)
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

-- The same for the theme counts: feedback_theme_count_in_view's columns
-- and the part's path.
-- +goose StatementBegin
CREATE FUNCTION feedback_theme_count_at(p_from date, p_to date, p_unit ltree, p_channels text[], p_detail text)
RETURNS TABLE (
    month date, channel text, unit_id integer, path ltree, theme text, feedback integer, complaint integer
)
LANGUAGE sql STABLE AS $$
    SELECT date_trunc('month', r.period::timestamp)::date, c.code, r.unit_id, s.part, r.theme, r.feedback, r.complaint
    FROM counted_units(p_unit, p_detail) s
    CROSS JOIN counted_periods(p_from, p_to) p
    JOIN LATERAL (
        SELECT t.* FROM feedback_theme_tree_count t
        WHERE s.tree AND p.grain = 'm' AND t.grain = 'm' AND t.period >= p.period_from AND t.period < p.period_until
          AND t.unit_id = s.unit_id
        UNION ALL
        SELECT t.* FROM feedback_theme_count t
        WHERE s.tree AND p.grain = 'd' AND t.grain = 'd' AND t.period >= p.period_from AND t.period < p.period_until
          AND t.unit_id IN (SELECT u.id FROM org_unit u WHERE u.path <@ s.part)
        UNION ALL
        SELECT t.* FROM feedback_theme_count t
        WHERE NOT s.tree AND t.grain = p.grain AND t.period >= p.period_from AND t.period < p.period_until
          AND t.unit_id = s.unit_id
    ) r ON true
    JOIN channel c ON c.id = r.channel_id
    WHERE coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels)
$$;
-- +goose StatementEnd

-- A past view's "open at its end" from them too.
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

-- feedback_count_errors checks the branches' rows too: against the sums of
-- their units' rows, which it checks against feedback. They are listed
-- with the theme '(subtree)', or '(subtree) ' and the theme.
ALTER FUNCTION feedback_count_errors() RENAME TO feedback_unit_count_errors;
-- +goose StatementBegin
DO $do$
BEGIN
    EXECUTE format($f$
CREATE FUNCTION feedback_count_errors()
RETURNS TABLE (grain "char", period date, unit_id integer, channel_id smallint, theme text, stored int8[], actual int8[])
LANGUAGE sql STABLE AS $$
    SELECT * FROM feedback_unit_count_errors()
    UNION ALL (
    WITH summed AS (
        SELECT r.grain, r.period, b.branch_id AS unit_id, r.channel_id,
            (ARRAY[sum(r.feedback), sum(r.complaint), sum(r.question), sum(r.suggestion), sum(r.praise),
                sum(r.unresolved), sum(r.unanswered), sum(r.waiting), sum(r.in_time)]
                || %s || %s || %s || %s)::int8[] AS n
        FROM feedback_count r
        JOIN unit_branches() b ON b.unit_id = r.unit_id
        WHERE r.grain = 'm'
        GROUP BY 1, 2, 3, 4
    ), stored AS (
        SELECT t.grain, t.period, t.unit_id, t.channel_id,
            (ARRAY[t.feedback, t.complaint, t.question, t.suggestion, t.praise, t.unresolved, t.unanswered,
                t.waiting, t.in_time] || t.first_response || t.resolution || t.by_hour || t.open_after)::int8[] AS n
        FROM feedback_tree_count t
    )
    SELECT grain, period, unit_id, channel_id, '(subtree)', s.n, c.n
    FROM stored s
    FULL JOIN summed c USING (grain, period, unit_id, channel_id)
    WHERE s.n IS DISTINCT FROM c.n)
    UNION ALL (
    WITH summed AS (
        SELECT r.grain, r.period, b.branch_id AS unit_id, r.channel_id, r.theme,
            ARRAY[sum(r.feedback), sum(r.complaint)]::int8[] AS n
        FROM feedback_theme_count r
        JOIN unit_branches() b ON b.unit_id = r.unit_id
        WHERE r.grain = 'm'
        GROUP BY 1, 2, 3, 4, 5
    ), stored AS (
        SELECT grain, period, unit_id, channel_id, theme, ARRAY[feedback, complaint]::int8[] AS n
        FROM feedback_theme_tree_count
    )
    SELECT grain, period, unit_id, channel_id, '(subtree) ' || theme, s.n, c.n
    FROM stored s
    FULL JOIN summed c USING (grain, period, unit_id, channel_id, theme)
    WHERE s.n IS DISTINCT FROM c.n)
$$
$f$, pg_temp.sums('r.first_response', 160), pg_temp.sums('r.resolution', 160), pg_temp.sums('r.by_hour', 168),
     pg_temp.sums('r.open_after', 60));
END
$do$;
-- +goose StatementEnd

-- What is already stored.
SELECT refresh_feedback_tree_counts('-infinity', 'infinity');
SELECT refresh_feedback_theme_tree_counts('-infinity', 'infinity');
ANALYZE feedback_tree_count, feedback_theme_tree_count;
DROP FUNCTION pg_temp.sums(text, integer);

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION pg_temp.sums(p_array text, p_size integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'ARRAY[' || string_agg(format('sum(%s[%s])', p_array, i), ', ' ORDER BY i) || ']'
    FROM generate_series(1, p_size) AS i
$$;
-- +goose StatementEnd
-- Migration 00011's feedback_open_at_end and feedback_count_by, over the units' rows.
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
    FROM feedback_count_in_view(p_from, p_to, p_unit, p_channels) f
    GROUP BY 1
$$
$f$, pg_temp.sums('f.first_response', 160), pg_temp.sums('f.resolution', 160), pg_temp.sums('f.by_hour', 168));
END
$do$;
-- +goose StatementEnd
DROP FUNCTION pg_temp.sums(text, integer);
DROP FUNCTION feedback_count_errors();
ALTER FUNCTION feedback_unit_count_errors() RENAME TO feedback_count_errors;
DROP FUNCTION feedback_count_at(date, date, ltree, text[], text), feedback_theme_count_at(date, date, ltree, text[], text),
    refresh_feedback_counts(date, date), refresh_feedback_theme_counts(date, date);
ALTER FUNCTION refresh_feedback_unit_counts(date, date) RENAME TO refresh_feedback_counts;
ALTER FUNCTION refresh_feedback_theme_unit_counts(date, date) RENAME TO refresh_feedback_theme_counts;
DROP FUNCTION refresh_feedback_tree_counts(date, date), refresh_feedback_theme_tree_counts(date, date),
    counted_units(ltree, text), sees_subtree(integer), unit_branches();
DROP TABLE feedback_tree_count, feedback_theme_tree_count;
