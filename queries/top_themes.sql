-- The ten themes with the most feedback in the period.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: theme theme
-- column: feedback int
SELECT t.theme, count(*)::int8 AS feedback
FROM feedback_in_view(@from, @to, @unit, @channels) f
CROSS JOIN LATERAL unnest(f.themes) AS t (theme)
GROUP BY t.theme
ORDER BY feedback DESC, t.theme
LIMIT 10
