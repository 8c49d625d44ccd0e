-- Feedback received per channel and month.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: month month
-- column: channel channel
-- column: feedback int
-- plan: generic
SELECT f.month, f.channel, sum(f.feedback)::int8 AS feedback
FROM feedback_count_at(@from, @to, @unit, @channels, 'view') f
GROUP BY 1, f.channel, f.channel_order
HAVING sum(f.feedback) > 0
ORDER BY 1, f.channel_order
