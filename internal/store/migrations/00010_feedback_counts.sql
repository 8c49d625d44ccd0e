-- +goose Up
-- Feedback counted ahead, so that panels which only count do not scan a
-- year of feedback: per day and per calendar month (days of the city's
-- time zone), unit and channel, by kind; and the same per theme (an item
-- with several themes counts once in each). A view of whole months reads
-- the month rows, the days at either end that do not make a whole month
-- read the day rows.
--
-- Every writer of feedback brings the counts of the days it touched up to
-- date in the same transaction, with refresh_feedback_counts (the imports,
-- the demo loader, theme reclassification); TestFeedbackCounts checks
-- them against feedback itself. The counts are feedback's, whose foreign
-- keys hold for them too.
CREATE TABLE feedback_count (
    grain      "char" NOT NULL CHECK (grain IN ('d', 'm')),
    period     date NOT NULL, -- the day, or the first day of the month
    unit_id    integer NOT NULL,
    channel_id smallint NOT NULL,
    feedback   integer NOT NULL,
    complaint  integer NOT NULL,
    question   integer NOT NULL,
    suggestion integer NOT NULL,
    praise     integer NOT NULL,
    PRIMARY KEY (grain, period, unit_id, channel_id)
);

CREATE TABLE feedback_theme_count (
    grain      "char" NOT NULL CHECK (grain IN ('d', 'm')),
    period     date NOT NULL,
    unit_id    integer NOT NULL,
    channel_id smallint NOT NULL,
    theme      text NOT NULL,
    feedback   integer NOT NULL,
    complaint  integer NOT NULL,
    PRIMARY KEY (grain, period, unit_id, channel_id, theme)
);

GRANT SELECT ON feedback_count, feedback_theme_count TO luukku_reader;
ALTER TABLE feedback_count ENABLE ROW LEVEL SECURITY;
ALTER TABLE feedback_theme_count ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON feedback_count FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));
CREATE POLICY in_scope ON feedback_theme_count FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));

-- A view of the days p_from..p_to reads month rows from counted_from up to,
-- not including, counted_until, and day rows for the days outside them. A
-- month counts as a whole when the view holds every day of it that has
-- feedback: so the current month, up to today, is read from its month row.
-- (Under row security the days are those of the units in scope, which is
-- all that the view's rows can be of.)
-- +goose StatementBegin
CREATE FUNCTION counted_from(p_from date) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_from <= coalesce((
            SELECT min(period) FROM feedback_count
            WHERE grain = 'd' AND period >= m.start AND period < m.start + interval '1 month'), p_from)
        THEN m.start ELSE (m.start + interval '1 month')::date END
    FROM (SELECT date_trunc('month', p_from::timestamp)::date AS start) m
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION counted_until(p_to date) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_to >= coalesce((
            SELECT max(period) FROM feedback_count
            WHERE grain = 'd' AND period >= m.start AND period < m.start + interval '1 month'), p_to)
        THEN (m.start + interval '1 month')::date ELSE m.start END
    FROM (SELECT date_trunc('month', p_to::timestamp)::date AS start) m
$$;
-- +goose StatementEnd

-- Counts the days p_from..p_to and the months they fall in again from
-- feedback. Days are those of the city's time zone, as the sessions'. Two
-- imports at once count one after the other: the later one, its statements
-- each with a new snapshot, then sees the earlier one's feedback.
-- +goose StatementBegin
CREATE FUNCTION refresh_feedback_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('luukku.feedback_count'));
    DELETE FROM feedback_count WHERE grain = 'd' AND period BETWEEN p_from AND p_to;
    INSERT INTO feedback_count
    SELECT 'd', (f.received_at AT TIME ZONE 'Europe/Helsinki')::date, f.unit_id, f.channel_id, count(*),
        count(*) FILTER (WHERE f.kind = 'complaint'), count(*) FILTER (WHERE f.kind = 'question'),
        count(*) FILTER (WHERE f.kind = 'suggestion'), count(*) FILTER (WHERE f.kind = 'praise')
    FROM feedback f
    WHERE f.received_at >= p_from::timestamp AT TIME ZONE 'Europe/Helsinki'
      AND f.received_at < (p_to + 1)::timestamp AT TIME ZONE 'Europe/Helsinki'
    GROUP BY 2, 3, 4;

    DELETE FROM feedback_theme_count WHERE grain = 'd' AND period BETWEEN p_from AND p_to;
    INSERT INTO feedback_theme_count
    SELECT 'd', (f.received_at AT TIME ZONE 'Europe/Helsinki')::date, f.unit_id, f.channel_id, t.theme,
        count(*), count(*) FILTER (WHERE f.kind = 'complaint')
    FROM feedback f
    CROSS JOIN LATERAL unnest(f.themes) AS t (theme)
    WHERE f.received_at >= p_from::timestamp AT TIME ZONE 'Europe/Helsinki'
      AND f.received_at < (p_to + 1)::timestamp AT TIME ZONE 'Europe/Helsinki'
    GROUP BY 2, 3, 4, 5;

    -- The months from the day rows, which now hold every day of them.
    DELETE FROM feedback_count
    WHERE grain = 'm' AND period >= date_trunc('month', p_from::timestamp)::date AND period <= p_to;
    INSERT INTO feedback_count
    SELECT 'm', date_trunc('month', period::timestamp)::date, unit_id, channel_id,
        sum(feedback), sum(complaint), sum(question), sum(suggestion), sum(praise)
    FROM feedback_count
    WHERE grain = 'd' AND period >= date_trunc('month', p_from::timestamp)::date
      AND period < (date_trunc('month', p_to::timestamp) + interval '1 month')::date
    GROUP BY 2, 3, 4;

    DELETE FROM feedback_theme_count
    WHERE grain = 'm' AND period >= date_trunc('month', p_from::timestamp)::date AND period <= p_to;
    INSERT INTO feedback_theme_count
    SELECT 'm', date_trunc('month', period::timestamp)::date, unit_id, channel_id, theme,
        sum(feedback), sum(complaint)
    FROM feedback_theme_count
    WHERE grain = 'd' AND period >= date_trunc('month', p_from::timestamp)::date
      AND period < (date_trunc('month', p_to::timestamp) + interval '1 month')::date
    GROUP BY 2, 3, 4, 5;
$$;
-- +goose StatementEnd

-- The counts a dashboard view selects, as feedback_in_view selects items:
-- the days from..to, the subtree of unit, the channels (all when empty).
-- Each row is a month's or a day's count; month is the calendar month it
-- falls in. The days before the first whole month and those after the
-- last are two ranges of their own (the second empty when there is no
-- whole month), so that both are index ranges; the subqueries make the
-- bounds be looked up once per statement.
-- +goose StatementBegin
CREATE FUNCTION feedback_count_in_view(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (
    month date, channel text, channel_order smallint, unit_id integer,
    feedback integer, complaint integer, question integer, suggestion integer, praise integer
)
LANGUAGE sql STABLE AS $$
    SELECT date_trunc('month', r.period::timestamp)::date, c.code, c.sort_order, r.unit_id,
           r.feedback, r.complaint, r.question, r.suggestion, r.praise
    FROM feedback_count r
    JOIN org_unit u ON u.id = r.unit_id
    JOIN channel c ON c.id = r.channel_id
    WHERE ((r.grain = 'm' AND r.period >= (SELECT counted_from(p_from)) AND r.period < (SELECT counted_until(p_to)))
        OR (r.grain = 'd' AND r.period >= p_from AND r.period < least((SELECT counted_from(p_from)), p_to + 1))
        OR (r.grain = 'd' AND r.period >= greatest((SELECT counted_until(p_to)), (SELECT counted_from(p_from)), p_from)
            AND r.period <= p_to))
      AND u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION feedback_theme_count_in_view(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (
    month date, channel text, unit_id integer, theme text, feedback integer, complaint integer
)
LANGUAGE sql STABLE AS $$
    SELECT date_trunc('month', r.period::timestamp)::date, c.code, r.unit_id, r.theme, r.feedback, r.complaint
    FROM feedback_theme_count r
    JOIN org_unit u ON u.id = r.unit_id
    JOIN channel c ON c.id = r.channel_id
    WHERE ((r.grain = 'm' AND r.period >= (SELECT counted_from(p_from)) AND r.period < (SELECT counted_until(p_to)))
        OR (r.grain = 'd' AND r.period >= p_from AND r.period < least((SELECT counted_from(p_from)), p_to + 1))
        OR (r.grain = 'd' AND r.period >= greatest((SELECT counted_until(p_to)), (SELECT counted_from(p_from)), p_from)
            AND r.period <= p_to))
      AND u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
$$;
-- +goose StatementEnd

-- Where the counts differ from feedback itself: each stored or actual
-- count (theme '' for all feedback) that the other side lacks or has
-- otherwise. Empty when every writer refreshed what it touched; the tests
-- of each writer ask.
-- +goose StatementBegin
CREATE FUNCTION feedback_count_errors()
RETURNS TABLE (grain "char", period date, unit_id integer, channel_id smallint, theme text, stored int8[], actual int8[])
LANGUAGE sql STABLE AS $$
    WITH actual AS (
        SELECT (f.received_at AT TIME ZONE 'Europe/Helsinki')::date AS day, f.unit_id, f.channel_id, f.kind, t.theme
        FROM feedback f
        CROSS JOIN LATERAL unnest(f.themes || ''::text) AS t (theme)
    ), counted AS (
        -- For a theme only the total and the complaints are kept.
        SELECT g.grain, g.period, a.unit_id, a.channel_id, a.theme,
            CASE WHEN a.theme = '' THEN ARRAY[count(*), count(*) FILTER (WHERE a.kind = 'complaint'),
                    count(*) FILTER (WHERE a.kind = 'question'), count(*) FILTER (WHERE a.kind = 'suggestion'),
                    count(*) FILTER (WHERE a.kind = 'praise')]
                ELSE ARRAY[count(*), count(*) FILTER (WHERE a.kind = 'complaint')] END AS n
        FROM actual a
        CROSS JOIN LATERAL (VALUES ('d'::"char", a.day), ('m', date_trunc('month', a.day::timestamp)::date)) AS g (grain, period)
        GROUP BY 1, 2, 3, 4, 5
    ), stored AS (
        SELECT grain, period, unit_id, channel_id, '' AS theme,
            ARRAY[feedback, complaint, question, suggestion, praise]::int8[] AS n
        FROM feedback_count
        WHERE feedback <> 0 OR complaint <> 0 OR question <> 0 OR suggestion <> 0 OR praise <> 0
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

-- What is already stored.
SELECT refresh_feedback_counts(
    coalesce((SELECT min(received_at AT TIME ZONE 'Europe/Helsinki')::date FROM feedback), current_date),
    coalesce((SELECT max(received_at AT TIME ZONE 'Europe/Helsinki')::date FROM feedback), current_date));
ANALYZE feedback_count, feedback_theme_count;

-- +goose Down
DROP FUNCTION feedback_count_errors(), feedback_theme_count_in_view(date, date, ltree, text[]), feedback_count_in_view(date, date, ltree, text[]),
    refresh_feedback_counts(date, date), counted_until(date), counted_from(date);
DROP TABLE feedback_theme_count, feedback_count;
