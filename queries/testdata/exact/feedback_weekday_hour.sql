-- When feedback arrives: weekday by hour of the day, in Finnish time (the
-- session's time zone is Europe/Helsinki).
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: hour hour
-- column: weekday weekday
-- column: feedback int
SELECT
    date_part('hour', f.received_at)::int AS hour,
    date_part('isodow', f.received_at)::int AS weekday,
    count(*)::int8 AS feedback
FROM feedback_in_view(@from, @to, @unit, @channels) f
GROUP BY 1, 2
ORDER BY 1, 2
