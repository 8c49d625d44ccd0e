-- How the time to the first response is distributed on each channel: the
-- median and the 90th percentile (the slowest tenth waits longer), beside
-- the channel's target. In minutes, so that a log axis can show a chat's
-- minutes beside a letter's weeks. Unanswered feedback has no response time
-- and is left out; the within-target panel counts it. From the classes of
-- response times counted ahead.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: channel channel
-- column: median_first_response minutes
-- column: p90_first_response minutes
-- column: target minutes
-- column: answered int
-- plan: generic
SELECT
    c.key AS channel,
    (percentile_of(c.first_response, 0.5, c.feedback - c.unanswered) / 60)::float8 AS median_first_response,
    (percentile_of(c.first_response, 0.9, c.feedback - c.unanswered) / 60)::float8 AS p90_first_response,
    (ch.first_response_target_hours * 60)::float8 AS target,
    c.feedback - c.unanswered AS answered
FROM feedback_count_by(@from, @to, @unit, @channels, 'channel') c
JOIN channel ch ON ch.code = c.key
WHERE c.feedback > 0
ORDER BY c.sort_order
