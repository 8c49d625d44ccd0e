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
    c.code AS channel,
    (percentile_cont(0.5) WITHIN GROUP (
        ORDER BY extract(epoch FROM f.first_response_at - f.received_at) / 60))::float8 AS median_minutes,
    (c.first_response_target_hours * 60)::float8 AS target_minutes,
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
