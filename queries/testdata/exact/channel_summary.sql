-- Each channel over the period: volume, its share of all feedback, the
-- median first response and the share answered within the channel's
-- target. Unanswered feedback counts as not within target.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: channel channel
-- column: feedback int
-- column: share percent
-- column: median_first_response minutes
-- column: within_target percent
SELECT
    f.channel,
    count(*)::int8 AS feedback,
    (100.0 * count(*) / sum(count(*)) OVER ())::float8 AS share,
    (percentile_cont(0.5) WITHIN GROUP (
        ORDER BY date_part('epoch', f.first_response_at - f.received_at) / 60))::float8 AS median_first_response,
    (100.0 * count(*) FILTER (
        WHERE f.first_response_at - f.received_at <= c.first_response_target_hours * interval '1 hour') / count(*))::float8 AS within_target
FROM feedback_in_view(@from, @to, @unit, @channels) f
JOIN channel c ON c.code = f.channel
GROUP BY f.channel, f.channel_order, c.first_response_target_hours
ORDER BY f.channel_order
