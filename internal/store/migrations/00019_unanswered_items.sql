-- +goose Up
-- Two small indexes for the open items the service panels ask one by one.
--
-- The feedback still inside its answer target, which the service KPIs and
-- within-target panels leave out of the share answered in time, is the
-- unanswered feedback of the last days of the longest target (14 days): at
-- 10 M rows some 17 000 items, 12 000 of them still inside their channel's
-- target. The open items' index (feedback_open) holds 58 000 entries for
-- those days, the answered but unresolved too; the unanswered now have an
-- index of their own. feedback_not_yet_due gives them counted by month,
-- channel and unit (a few hundred rows) rather than item by item, so that
-- the panels group and join those instead of every item.
--
-- A backlog of a view that ended earlier (last month, last year) asked
-- every item of the view whether it was still open at the end: 11 s for a
-- year of the city. It now asks only the items of the view's last 30 days
-- (the younger buckets), and takes the oldest bucket from what was counted
-- as open at the end (feedback_open_at_end) less those. Of the oldest it
-- still asks the items unanswered at the end, to tell them apart: those
-- not answered yet (feedback_unanswered) and those answered more than 30
-- days after they came (feedback_late_answer, a few thousand at 10 M rows).
CREATE INDEX feedback_unanswered ON feedback (received_at) INCLUDE (unit_id, channel_id, resolved_at)
    WHERE first_response_at IS NULL;
CREATE INDEX feedback_late_answer ON feedback (received_at) INCLUDE (unit_id, channel_id, first_response_at, resolved_at)
    WHERE first_response_at - received_at > interval '30 days';

DROP FUNCTION feedback_not_yet_due(date, date, ltree, text[]);
-- +goose StatementBegin
CREATE FUNCTION feedback_not_yet_due(p_from date, p_to date, p_unit ltree, p_channels text[])
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

-- +goose Down
DROP FUNCTION feedback_not_yet_due(date, date, ltree, text[]);
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
DROP INDEX feedback_late_answer;
DROP INDEX feedback_unanswered;
