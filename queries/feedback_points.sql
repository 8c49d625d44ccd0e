-- Feedback that carries a location, as points for a map: at most 4 000,
-- an even sample (by a hash of the id, so the same view draws the same
-- points) when there are more. The first theme colours the point; the
-- few items no rule classified have no colour to take and are left out.
-- The view's feedback as feedback_in_view selects it, but read through
-- feedback_located.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: lon float
-- column: lat float
-- column: theme theme
SELECT f.lon, f.lat, f.themes[1] AS theme
FROM feedback f
JOIN org_unit u ON u.id = f.unit_id
JOIN channel c ON c.id = f.channel_id
-- (timestamptz with timestamptz: leakproof, so usable in an index under
-- row-level security; timestamptz with date is not)
WHERE f.received_at >= @from::date::timestamptz AND f.received_at < (@to::date + 1)::timestamptz
  AND u.path <@ @unit::ltree
  AND (coalesce(cardinality(@channels::text[]), 0) = 0 OR c.code = ANY (@channels::text[]))
  AND f.lat IS NOT NULL AND cardinality(f.themes) > 0
ORDER BY hashint8(f.id)
LIMIT 4000
