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
-- plan: generic
SELECT
    c.key::date AS month,
    (c.first_response_p50 / 60)::float8 AS median_first_response,
    (c.first_response_p90 / 60)::float8 AS p90_first_response,
    (100.0 * c.in_time / nullif(c.feedback - coalesce(d.not_yet_due, 0), 0))::float8 AS within_target,
    (c.resolution_p50 / 60)::float8 AS median_resolution
FROM feedback_times_by(@from, @to, @unit, @channels, 'month') c
LEFT JOIN (SELECT month, sum(feedback)::int8 AS not_yet_due
           FROM feedback_not_yet_due(@from, @to, @unit, @channels) GROUP BY 1) d ON d.month = c.key::date
WHERE c.feedback > 0
ORDER BY 1
