-- The ten themes with the most feedback in the period.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: theme theme
-- column: feedback int
-- plan: generic
SELECT f.theme, sum(f.feedback)::int8 AS feedback
FROM feedback_theme_totals_at(@from, @to, @unit, @channels, 'view') f
GROUP BY f.theme
HAVING sum(f.feedback) > 0
ORDER BY feedback DESC, f.theme
LIMIT 10
