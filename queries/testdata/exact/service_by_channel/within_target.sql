-- The share of feedback answered within the channel's target
-- (channel.first_response_target_hours), per channel. Only feedback whose
-- outcome is known counts: answered, in time or late, or unanswered past its
-- target time (late). Feedback still inside its target time is neither, so
-- a view that ends today does not count this week's letters as misses.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: channel channel
-- column: within_target percent
-- column: in_time int
-- column: late int
SELECT
    f.channel,
    (100.0 * count(*) FILTER (WHERE f.first_response_at <= t.deadline)
        / nullif(count(*) FILTER (WHERE f.first_response_at IS NOT NULL OR t.deadline < now()), 0))::float8 AS within_target,
    count(*) FILTER (WHERE f.first_response_at <= t.deadline)::int8 AS in_time,
    count(*) FILTER (WHERE f.first_response_at > t.deadline
                        OR (f.first_response_at IS NULL AND t.deadline < now()))::int8 AS late
FROM feedback_in_view(@from, @to, @unit, @channels) f
JOIN channel c ON c.code = f.channel
CROSS JOIN LATERAL (SELECT f.received_at + c.first_response_target_hours * interval '1 hour' AS deadline) t
GROUP BY f.channel, f.channel_order
ORDER BY f.channel_order
