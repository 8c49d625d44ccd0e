-- When feedback arrives: weekday by hour of the day, in Finnish time,
-- counted ahead by hour of the week (ISO weekday and hour).
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: hour hour
-- column: weekday weekday
-- column: feedback int
-- plan: generic
SELECT
    ((h.i - 1) % 24)::int AS hour,
    ((h.i - 1) / 24 + 1)::int AS weekday,
    h.n AS feedback
FROM feedback_count_by(@from, @to, @unit, @channels, '') c
CROSS JOIN LATERAL unnest(c.by_hour) WITH ORDINALITY AS h (n, i)
WHERE h.n > 0
ORDER BY 1, 2
