-- Feedback received per month, all channels together.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: month month
-- column: feedback int
-- plan: generic
SELECT f.month, sum(f.feedback)::int8 AS feedback
FROM feedback_count_at(@from, @to, @unit, @channels, 'view') f
GROUP BY 1
HAVING sum(f.feedback) > 0
ORDER BY 1
