-- How the time to the first response is distributed on each channel: the
-- median and the 90th percentile (the slowest tenth waits longer), beside
-- the channel's target. In minutes, so that a log axis can show a chat's
-- minutes beside a letter's weeks. Unanswered feedback has no response time
-- and is left out; the within-target panel counts it.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: channel channel
-- column: median_first_response minutes
-- column: p90_first_response minutes
-- column: target minutes
-- column: answered int
SELECT
    f.channel,
    -- date_part's float8, not extract's numeric: the percentiles sort a third faster.
    (percentile_cont(0.5) WITHIN GROUP (
        ORDER BY date_part('epoch', f.first_response_at - f.received_at) / 60))::float8 AS median_first_response,
    (percentile_cont(0.9) WITHIN GROUP (
        ORDER BY date_part('epoch', f.first_response_at - f.received_at) / 60))::float8 AS p90_first_response,
    (c.first_response_target_hours * 60)::float8 AS target,
    count(f.first_response_at)::int8 AS answered
FROM feedback_in_view(@from, @to, @unit, @channels) f
JOIN channel c ON c.code = f.channel
GROUP BY f.channel, f.channel_order, c.first_response_target_hours
ORDER BY f.channel_order
