-- Feedback received per channel and month.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: month month
-- column: channel channel
-- column: feedback int
SELECT date_trunc('month', f.received_at)::date AS month, f.channel, count(*)::int8 AS feedback
FROM feedback_in_view(@from, @to, @unit, @channels) f
GROUP BY 1, f.channel, f.channel_order
ORDER BY 1, f.channel_order
