-- The headline figures month by month, for the trend line under each KPI
-- card. Months are calendar months that overlap the period.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: month month
-- column: feedback int
-- column: median_first_response hours
-- column: digital_share percent
SELECT
    date_trunc('month', f.received_at)::date AS month,
    count(*)::int8 AS feedback,
    (percentile_cont(0.5) WITHIN GROUP (
        ORDER BY date_part('epoch', f.first_response_at - f.received_at) / 3600))::float8 AS median_first_response,
    (100.0 * count(*) FILTER (WHERE f.digital) / nullif(count(*), 0))::float8 AS digital_share
FROM feedback_in_view(@from, @to, @unit, @channels) f
GROUP BY 1
ORDER BY 1
