-- The headline service levels month by month, for the trend line under each
-- KPI card: the same definitions as service_kpis, by the month the feedback
-- arrived. Months are calendar months that overlap the period.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: month month
-- column: median_first_response minutes
-- column: p90_first_response minutes
-- column: within_target percent
-- column: median_resolution minutes
-- column: answered int
SELECT
    date_trunc('month', f.received_at)::date AS month,
    (percentile_cont(0.5) WITHIN GROUP (ORDER BY t.first_response))::float8 AS median_first_response,
    (percentile_cont(0.9) WITHIN GROUP (ORDER BY t.first_response))::float8 AS p90_first_response,
    (100.0 * count(*) FILTER (WHERE f.first_response_at <= t.deadline)
        / nullif(count(*) FILTER (WHERE f.first_response_at IS NOT NULL OR t.deadline < now()), 0))::float8 AS within_target,
    (percentile_cont(0.5) WITHIN GROUP (ORDER BY t.resolution))::float8 AS median_resolution,
    -- Only for the test, which compares the medians of many.
    count(t.first_response)::int8 AS answered
FROM feedback_in_view(@from, @to, @unit, @channels) f
JOIN channel c ON c.code = f.channel
-- date_part's float8, not extract's numeric: the percentiles sort a third faster.
CROSS JOIN LATERAL (SELECT
    date_part('epoch', f.first_response_at - f.received_at) / 60 AS first_response,
    date_part('epoch', f.resolved_at - f.received_at) / 60 AS resolution,
    f.received_at + c.first_response_target_hours * interval '1 hour' AS deadline) t
GROUP BY 1
ORDER BY 1
