-- Feedback received per channel over the period.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: channel channel
-- column: feedback int
SELECT c.code AS channel, count(*)::int8 AS feedback
FROM feedback f
JOIN org_unit u ON u.id = f.unit_id
JOIN channel c ON c.id = f.channel_id
WHERE f.received_at >= @from::date
  AND f.received_at < @to::date + 1
  AND u.path <@ @unit::ltree
  AND (cardinality(@channels::text[]) = 0 OR c.code = ANY (@channels::text[]))
GROUP BY c.code, c.sort_order
ORDER BY c.sort_order
