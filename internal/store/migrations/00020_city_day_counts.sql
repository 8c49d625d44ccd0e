-- +goose Up
-- The city counted by day too. A view of the city read its month rows and,
-- for the days at either end that are not a whole month, every unit's day
-- rows: some 260 rows a day at 10 M feedback rows. The KPIs compare each
-- view with the period of the same length before it and with the same
-- period a year earlier, whose ends are seldom whole months; and the
-- overview's "open over 14 days" ends two weeks before the view. Each read
-- 3 000–5 000 day rows of the units (20–30 ms apiece).
--
-- The roots of the organisation (the city) now have day rows in
-- feedback_tree_count, a dozen a day. The other branches (the toimialat)
-- still read their units' day rows, a seventh of the city's on average:
-- the imports would add their tallies to every branch's day rows, and an
-- import of a million rows spends its time on just such rows.
ALTER TABLE feedback_tree_count DROP CONSTRAINT feedback_tree_count_grain_check;

-- Each unit with the branches that are counted by day too: the roots.
-- +goose StatementBegin
CREATE FUNCTION unit_day_branches() RETURNS TABLE (unit_id integer, branch_id integer)
LANGUAGE sql STABLE AS $$
    SELECT b.unit_id, b.branch_id
    FROM unit_branches() b
    JOIN org_unit r ON r.id = b.branch_id
    WHERE nlevel(r.path) = 1
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION pg_temp.sums(p_array text, p_size integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'ARRAY[' || string_agg(format('sum(%s[%s])', p_array, i), ', ' ORDER BY i) || ']'
    FROM generate_series(1, p_size) AS i
$$;
-- +goose StatementEnd

-- Counts the branches' rows of the months the days p_from..p_to fall in,
-- and the roots' rows of those days, again from the units' rows, which
-- must be up to date.
-- +goose StatementBegin
DO $do$
BEGIN
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION refresh_feedback_tree_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM feedback_tree_count
    WHERE (grain = 'm' AND period >= date_trunc('month', p_from::timestamp)::date AND period <= p_to)
       OR (grain = 'd' AND period >= p_from AND period <= p_to);
    INSERT INTO feedback_tree_count (grain, period, unit_id, channel_id, feedback, complaint, question, suggestion,
        praise, unresolved, unanswered, waiting, in_time, first_response, resolution, by_hour, open_after)
    SELECT r.grain, r.period, b.branch_id, r.channel_id, sum(r.feedback), sum(r.complaint), sum(r.question),
        sum(r.suggestion), sum(r.praise), sum(r.unresolved), sum(r.unanswered), sum(r.waiting), sum(r.in_time),
        %1$s, %2$s, %3$s, %4$s
    FROM feedback_count r
    JOIN unit_branches() b ON b.unit_id = r.unit_id
    WHERE r.grain = 'm' AND r.period >= date_trunc('month', p_from::timestamp)::date AND r.period <= p_to
    GROUP BY r.grain, r.period, b.branch_id, r.channel_id
    UNION ALL
    SELECT r.grain, r.period, b.branch_id, r.channel_id, sum(r.feedback), sum(r.complaint), sum(r.question),
        sum(r.suggestion), sum(r.praise), sum(r.unresolved), sum(r.unanswered), sum(r.waiting), sum(r.in_time),
        %1$s, %2$s, %3$s, %4$s
    FROM feedback_count r
    JOIN unit_day_branches() b ON b.unit_id = r.unit_id
    WHERE r.grain = 'd' AND r.period >= p_from AND r.period <= p_to
    GROUP BY r.grain, r.period, b.branch_id, r.channel_id;
$$
$f$, pg_temp.sums('r.first_response', 160), pg_temp.sums('r.resolution', 160), pg_temp.sums('r.by_hour', 168),
     pg_temp.sums('r.open_after', 60));
END
$do$;
-- +goose StatementEnd

-- A branch's days: its own day rows if it is a root, else its units'.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_count_at(p_from date, p_to date, p_unit ltree, p_channels text[], p_detail text)
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

-- feedback_count_errors checks the roots' day rows too.
-- +goose StatementBegin
DO $do$
BEGIN
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION feedback_count_errors()
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
        WHERE r.grain = 'm' OR b.branch_id IN (SELECT d.branch_id FROM unit_day_branches() d)
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
ANALYZE feedback_tree_count;
DROP FUNCTION pg_temp.sums(text, integer);

-- +goose Down
DELETE FROM feedback_tree_count WHERE grain = 'd';
ALTER TABLE feedback_tree_count ADD CONSTRAINT feedback_tree_count_grain_check CHECK (grain = 'm');

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
CREATE OR REPLACE FUNCTION refresh_feedback_tree_counts(p_from date, p_to date) RETURNS void
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
CREATE OR REPLACE FUNCTION feedback_count_at(p_from date, p_to date, p_unit ltree, p_channels text[], p_detail text)
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

-- +goose StatementBegin
DO $do$
BEGIN
    EXECUTE format($f$
CREATE OR REPLACE FUNCTION feedback_count_errors()
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

DROP FUNCTION pg_temp.sums(text, integer);
DROP FUNCTION unit_day_branches();
