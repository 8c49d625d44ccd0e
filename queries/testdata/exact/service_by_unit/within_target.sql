-- The share of feedback answered within its channel's target for each part
-- of the selected unit one level down. Each item is held to its own
-- channel's target, so units with different channel mixes compare fairly.
-- As per channel, only feedback whose outcome is known counts: answered, or
-- unanswered past its target time (late).
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: unit unit
-- column: within_target percent
-- column: in_time int
-- column: late int
SELECT
    g.code AS unit,
    (100.0 * count(*) FILTER (WHERE f.first_response_at <= t.deadline)
        / nullif(count(*) FILTER (WHERE f.first_response_at IS NOT NULL OR t.deadline < now()), 0))::float8 AS within_target,
    count(*) FILTER (WHERE f.first_response_at <= t.deadline)::int8 AS in_time,
    count(*) FILTER (WHERE f.first_response_at > t.deadline
                        OR (f.first_response_at IS NULL AND t.deadline < now()))::int8 AS late
FROM feedback_in_view(@from, @to, @unit, @channels) f
JOIN channel c ON c.code = f.channel
JOIN org_unit u ON u.id = f.unit_id
JOIN org_unit g ON g.path = child_group(u.path, @unit)
CROSS JOIN LATERAL (SELECT f.received_at + c.first_response_target_hours * interval '1 hour' AS deadline) t
GROUP BY g.code, g.path
ORDER BY g.path
