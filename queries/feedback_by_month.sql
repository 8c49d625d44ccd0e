-- Feedback received per month, all channels together.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: month month
-- column: feedback int
SELECT date_trunc('month', f.received_at)::date AS month, count(*)::int8 AS feedback
FROM feedback_in_view(@from, @to, @unit, @channels) f
GROUP BY 1
ORDER BY 1
