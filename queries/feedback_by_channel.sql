-- Feedback received per channel over the period.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: channel channel
-- column: feedback int
-- plan: generic
SELECT f.channel, sum(f.feedback)::int8 AS feedback
FROM feedback_count_at(@from, @to, @unit, @channels, 'view') f
GROUP BY f.channel, f.channel_order
HAVING sum(f.feedback) > 0
ORDER BY f.channel_order
