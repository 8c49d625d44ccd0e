-- Median time to the first response per channel, against the channel's
-- target, in minutes so that a log axis (whose bars grow from 1) can show
-- chat's minutes beside a letter's weeks. Unanswered feedback has no
-- response time and is left out of the median.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: channel channel
-- column: median_minutes minutes
-- column: target_minutes minutes
-- column: answered int
-- plan: generic
SELECT
    c.key AS channel,
    (c.first_response_p50 / 60)::float8 AS median_minutes,
    (ch.first_response_target_hours * 60)::float8 AS target_minutes,
    c.feedback - c.unanswered AS answered
FROM feedback_times_by(@from, @to, @unit, @channels, 'channel') c
JOIN channel ch ON ch.code = c.key
WHERE c.feedback > 0
ORDER BY c.sort_order
