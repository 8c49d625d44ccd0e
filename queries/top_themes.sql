-- The ten themes with the most feedback in the period.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: theme theme
-- column: feedback int
SELECT t.theme, count(*)::int8 AS feedback
FROM feedback f
JOIN org_unit u ON u.id = f.unit_id
JOIN channel c ON c.id = f.channel_id
CROSS JOIN LATERAL unnest(f.themes) AS t (theme)
WHERE f.received_at >= @from::date
  AND f.received_at < @to::date + 1
  AND u.path <@ @unit::ltree
  AND (cardinality(@channels::text[]) = 0 OR c.code = ANY (@channels::text[]))
GROUP BY t.theme
ORDER BY feedback DESC, t.theme
LIMIT 10
