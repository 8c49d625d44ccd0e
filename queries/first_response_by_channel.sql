-- Median time to the first response per channel, against the channel's
-- target. Unanswered feedback is counted but has no response time.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: channel channel
-- column: median_hours hours
-- column: target_hours hours
-- column: answered int
SELECT
    c.code AS channel,
    (percentile_cont(0.5) WITHIN GROUP (
        ORDER BY extract(epoch FROM f.first_response_at - f.received_at) / 3600))::float8 AS median_hours,
    c.first_response_target_hours::float8 AS target_hours,
    count(f.first_response_at)::int8 AS answered
FROM feedback f
JOIN org_unit u ON u.id = f.unit_id
JOIN channel c ON c.id = f.channel_id
WHERE f.received_at >= @from::date
  AND f.received_at < @to::date + 1
  AND u.path <@ @unit::ltree
  AND (cardinality(@channels::text[]) = 0 OR c.code = ANY (@channels::text[]))
GROUP BY c.code, c.sort_order, c.first_response_target_hours
ORDER BY c.sort_order
