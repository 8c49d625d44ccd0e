-- +goose Up
-- The feedback still inside its answer target (feedback_not_yet_due) read
-- the unanswered items of each cut-off day once for the channels sharing
-- it, from an index by time: every channel's items of the day, of which it
-- kept a fifth (3 500 index entries for 666 items at 10 M rows, a third of
-- the function's time). Four of the service page's queries ask it. The
-- unanswered now have an index by channel too, and each channel's part of
-- its cut-off day is one range of it.
CREATE INDEX feedback_unanswered_by_channel ON feedback (channel_id, received_at) INCLUDE (unit_id)
    WHERE first_response_at IS NULL;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_not_yet_due(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (month date, channel text, unit_id integer, path ltree, feedback int8)
LANGUAGE sql STABLE AS $$
    WITH due AS MATERIALIZED (
        -- Each channel's cut-off, and the day it falls on: its feedback
        -- received since is still inside its target.
        SELECT t.id, t.due_after, (t.due_after AT TIME ZONE 'Europe/Helsinki')::date AS due_day
        FROM (SELECT id, now() - first_response_target_hours * interval '1 hour' AS due_after FROM channel) t
    ), since AS MATERIALIZED (
        SELECT greatest(p_from, first_day_not_yet_due()) AS day
    ), cut_off_day AS MATERIALIZED (
        -- The part of each channel's cut-off day in the view.
        SELECT d.id AS channel_id,
            greatest(d.due_after, s.day::timestamp AT TIME ZONE 'Europe/Helsinki') AS since,
            least(d.due_day + 1, p_to + 1)::timestamp AT TIME ZONE 'Europe/Helsinki' AS until
        FROM due d
        CROSS JOIN since s
    ), counted AS (
        -- The days after each channel's cut-off day.
        SELECT date_trunc('month', f.period::timestamp)::date AS month, f.unit_id, f.channel_id,
            f.unanswered::int8 AS feedback
        FROM since s
        JOIN feedback_count f ON f.grain = 'd' AND f.period >= s.day AND f.period <= p_to
        JOIN due d ON d.id = f.channel_id AND f.period > d.due_day
        WHERE f.unanswered > 0
        UNION ALL
        -- The cut-off days, item by item, each channel's a range of the
        -- index (OFFSET 0 keeps it one).
        SELECT date_trunc('month', f.received_at AT TIME ZONE 'Europe/Helsinki')::date, f.unit_id, f.channel_id, count(*)
        FROM cut_off_day w
        CROSS JOIN LATERAL (
            SELECT f.unit_id, f.channel_id, f.received_at
            FROM feedback f
            WHERE f.first_response_at IS NULL AND f.channel_id = w.channel_id
              AND f.received_at >= w.since AND f.received_at < w.until
            OFFSET 0) f
        GROUP BY 1, 2, 3
    )
    SELECT n.month, c.code, n.unit_id, u.path, n.feedback
    FROM (SELECT k.month, k.unit_id, k.channel_id, sum(k.feedback)::int8 AS feedback
          FROM counted k GROUP BY 1, 2, 3) n
    JOIN channel c ON c.id = n.channel_id
    JOIN org_unit u ON u.id = n.unit_id
    WHERE u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
$$;
-- +goose StatementEnd

-- +goose Down
-- Migration 00027's.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_not_yet_due(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (month date, channel text, unit_id integer, path ltree, feedback int8)
LANGUAGE sql STABLE AS $$
    WITH due AS MATERIALIZED (
        -- Each channel's cut-off, and the day it falls on: its feedback
        -- received since is still inside its target.
        SELECT t.id, t.due_after, (t.due_after AT TIME ZONE 'Europe/Helsinki')::date AS due_day
        FROM (SELECT id, now() - first_response_target_hours * interval '1 hour' AS due_after FROM channel) t
    ), since AS MATERIALIZED (
        SELECT greatest(p_from, first_day_not_yet_due()) AS day
    ), cut_off_day AS MATERIALIZED (
        -- The part of each cut-off day in the view, once for the channels
        -- that share it.
        SELECT array_agg(d.id) AS channels,
            greatest(d.due_after, s.day::timestamp AT TIME ZONE 'Europe/Helsinki') AS since,
            least(d.due_day + 1, p_to + 1)::timestamp AT TIME ZONE 'Europe/Helsinki' AS until
        FROM due d
        CROSS JOIN since s
        GROUP BY 2, 3
    ), counted AS (
        -- The days after each channel's cut-off day.
        SELECT date_trunc('month', f.period::timestamp)::date AS month, f.unit_id, f.channel_id,
            f.unanswered::int8 AS feedback
        FROM since s
        JOIN feedback_count f ON f.grain = 'd' AND f.period >= s.day AND f.period <= p_to
        JOIN due d ON d.id = f.channel_id AND f.period > d.due_day
        WHERE f.unanswered > 0
        UNION ALL
        -- The cut-off days, item by item, each a range of the index
        -- (OFFSET 0 keeps it one).
        SELECT date_trunc('month', f.received_at AT TIME ZONE 'Europe/Helsinki')::date, f.unit_id, f.channel_id, count(*)
        FROM cut_off_day w
        CROSS JOIN LATERAL (
            SELECT f.unit_id, f.channel_id, f.received_at
            FROM feedback f
            WHERE f.first_response_at IS NULL AND f.received_at >= w.since AND f.received_at < w.until
              AND f.channel_id = ANY (w.channels)
            OFFSET 0) f
        GROUP BY 1, 2, 3
    )
    SELECT n.month, c.code, n.unit_id, u.path, n.feedback
    FROM (SELECT k.month, k.unit_id, k.channel_id, sum(k.feedback)::int8 AS feedback
          FROM counted k GROUP BY 1, 2, 3) n
    JOIN channel c ON c.id = n.channel_id
    JOIN org_unit u ON u.id = n.unit_id
    WHERE u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
$$;
-- +goose StatementEnd
DROP INDEX feedback_unanswered_by_channel;
