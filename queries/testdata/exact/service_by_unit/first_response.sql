-- The time to the first response for each part of the selected unit one
-- level down (the toimialat of the city, the units of a toimiala), so that
-- drilling into a toimiala breaks it down by its units: the median and the
-- 90th percentile, in minutes for a log axis. Unanswered feedback has no
-- response time and is left out; the within-target panel counts it.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: unit unit
-- column: median_first_response minutes
-- column: p90_first_response minutes
-- column: answered int
SELECT
    g.code AS unit,
    -- date_part's float8, not extract's numeric: the percentiles sort a third faster.
    (percentile_cont(0.5) WITHIN GROUP (
        ORDER BY date_part('epoch', f.first_response_at - f.received_at) / 60))::float8 AS median_first_response,
    (percentile_cont(0.9) WITHIN GROUP (
        ORDER BY date_part('epoch', f.first_response_at - f.received_at) / 60))::float8 AS p90_first_response,
    count(f.first_response_at)::int8 AS answered
FROM feedback_in_view(@from, @to, @unit, @channels) f
JOIN org_unit u ON u.id = f.unit_id
JOIN org_unit g ON g.path = child_group(u.path, @unit)
GROUP BY g.code, g.path
ORDER BY g.path
