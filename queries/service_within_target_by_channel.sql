-- The share of feedback answered within the channel's target
-- (channel.first_response_target_hours), per channel. Only feedback whose
-- outcome is known counts: answered, in time or late, or unanswered past its
-- target time (late). Feedback still inside its target time is neither, so
-- a view that ends today does not count this week's letters as misses.
-- Counted ahead, but for the feedback still inside its target time.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: channel channel
-- column: within_target percent
-- column: in_time int
-- column: late int
-- plan: generic
SELECT
    c.key AS channel,
    (100.0 * c.in_time / nullif(c.feedback - coalesce(d.not_yet_due, 0), 0))::float8 AS within_target,
    c.in_time AS in_time,
    (c.feedback - c.in_time - coalesce(d.not_yet_due, 0))::int8 AS late
FROM feedback_count_by(@from, @to, @unit, @channels, 'channel') c
LEFT JOIN (SELECT channel, sum(feedback)::int8 AS not_yet_due
           FROM feedback_not_yet_due(@from, @to, @unit, @channels) GROUP BY 1) d ON d.channel = c.key
WHERE c.feedback > 0
ORDER BY c.sort_order
