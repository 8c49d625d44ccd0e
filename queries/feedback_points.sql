-- Feedback that carries a location, as points for a map: at most 4 000,
-- an even sample (by a hash of the id, so the same view draws the same
-- points) when there are more. The first theme colours the point; the
-- few items no rule classified have no colour to take and are left out.
-- The view's feedback as feedback_in_view selects it.
-- The points are those of the 4 000 smallest hashes (of two ids with the
-- same hash, the smaller id first). When 4 000 of the view's located
-- items have a hash in the lowest sixty-fourth, its points are all among
-- those, and feedback_map_sample_fine, an index of such
-- items that holds the map's columns, gives them; else, when 4 000 have
-- one in the lowest sixteenth, feedback_map_sample; a view with fewer
-- looks at all its located items (through feedback_located, by unit,
-- channel and day: a view of channels that carry no locations finds none
-- at once, where it read a year of the city's located items to learn so,
-- 2 s at 10 M rows), their hashes from the ids the index holds, and reads
-- the rows of only the 4 000 it draws (a year of the city at 1 M rows:
-- 39 000 items, 53 → 25 ms).
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: lon float
-- column: lat float
-- column: theme theme
-- plan: generic
WITH located AS NOT MATERIALIZED (
    SELECT f.lon, f.lat, f.themes[1] AS theme, hashint8(f.id) AS h, f.id
    FROM feedback f
    JOIN org_unit u ON u.id = f.unit_id
    -- (timestamptz with timestamptz: leakproof, so usable in an index under
    -- row-level security; timestamptz with date is not)
    WHERE f.received_at >= @from::date::timestamptz AND f.received_at < (@to::date + 1)::timestamptz
      AND u.path <@ @unit::ltree
      -- The channels' ids, every channel's when none is chosen, looked up
      -- once rather than joined to each of the tens of thousands of
      -- sampled items; feedback_located finds a unit's items by them.
      AND f.channel_id = ANY (ARRAY(SELECT c.id FROM channel c
                                    WHERE coalesce(cardinality(@channels::text[]), 0) = 0 OR c.code = ANY (@channels::text[])))
      AND f.lat IS NOT NULL AND cardinality(f.themes) > 0
),
-- The tiers' points are read only when the tier before has too few.
fine AS MATERIALIZED (
    SELECT * FROM located WHERE h < -2080374784 -- feedback_map_sample_fine's bound
    ORDER BY h, id
    LIMIT 4000
),
sample AS MATERIALIZED (
    SELECT * FROM located WHERE h < -1879048192 -- feedback_map_sample's bound
      AND (SELECT count(*) FROM fine) < 4000
    ORDER BY h, id
    LIMIT 4000
)
SELECT p.lon, p.lat, p.theme
FROM (
    SELECT * FROM fine WHERE (SELECT count(*) FROM fine) = 4000
    UNION ALL
    SELECT * FROM sample WHERE (SELECT count(*) FROM sample) = 4000
    UNION ALL
    -- Else the 4 000 smallest hashes of all the view's located items, from
    -- feedback_located alone (it holds the ids), and only their rows read,
    -- in the order of the rows: nearby ones share pages.
    SELECT f.lon, f.lat, f.themes[1], k.h, k.id
    FROM (SELECT * FROM (
              SELECT l.id, l.h FROM located l
              WHERE (SELECT count(*) FROM fine) < 4000 AND (SELECT count(*) FROM sample) < 4000
              ORDER BY l.h, l.id
              LIMIT 4000) k
          ORDER BY k.id) k
    CROSS JOIN LATERAL (SELECT f.lon, f.lat, f.themes FROM feedback f WHERE f.id = k.id) f
) p
ORDER BY p.h, p.id
