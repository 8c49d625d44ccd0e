-- Feedback that carries a location, as points for a map: at most 4 000,
-- an even sample (by a hash of the id, so the same view draws the same
-- points) when there are more. The first theme colours the point; the
-- few items no rule classified have no colour to take and are left out.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: lon float
-- column: lat float
-- column: theme theme
SELECT x.lon, x.lat, f.themes[1] AS theme
FROM feedback_in_view(@from, @to, @unit, @channels) f
JOIN feedback x ON x.id = f.id
WHERE x.lat IS NOT NULL AND cardinality(f.themes) > 0
ORDER BY hashint8(f.id), f.id
LIMIT 4000
