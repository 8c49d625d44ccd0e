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
SELECT
    f.channel,
    (percentile_cont(0.5) WITHIN GROUP (
        ORDER BY date_part('epoch', f.first_response_at - f.received_at) / 60))::float8 AS median_minutes,
    (c.first_response_target_hours * 60)::float8 AS target_minutes,
    count(f.first_response_at)::int8 AS answered
FROM feedback_in_view(@from, @to, @unit, @channels) f
JOIN channel c ON c.code = f.channel
GROUP BY f.channel, f.channel_order, c.first_response_target_hours
ORDER BY f.channel_order
