-- +goose Up
-- A past view's "open at its end" and the map's points answered from
-- small indexes.
-- The feedback resolved more than 60 days after it arrived (one item in a
-- hundred), which a past view's "open at its end" reads item by item,
-- comes from its partial index alone (an index-only scan, once vacuum has
-- marked the table's pages all-visible): 70 → 3 ms for a year of the city
-- at 10 M rows. (feedback_open would gain as much for the young backlog,
-- 0,1 s at 10 M rows, but holds every row of the benchmark's file, which is
-- all open, and cost its import 1,8 s.)
DROP INDEX feedback_long_resolution;
CREATE INDEX feedback_long_resolution ON feedback (received_at) INCLUDE (resolved_at, unit_id, channel_id)
    WHERE resolved_at - received_at > interval '60 days';

-- The map's points (feedback_points) are the located items of the view
-- with the smallest hashes of their ids. A view with 4 000 such items in
-- the lowest sixteenth of hashes finds them all in feedback_map_sample, an
-- index of those that holds the map's columns (a year of the city at 10 M
-- rows: 0,5 s → 30 ms). A smaller view reads its located items through
-- feedback_located, now by unit first, so that a part of the city reads
-- its own rather than the whole city's (a toimiala's year: 0,4 s → 40 ms).
-- (An index holding the map's columns for every located item cost an
-- import 2,5 s a million rows; one for a quarter of them, the next tier
-- for a year of the city at 1 M rows, 2,6 s with the benchmark's file,
-- where every row is located.)
CREATE INDEX feedback_map_sample ON feedback (unit_id, received_at) INCLUDE (id, channel_id, lon, lat, themes)
    WHERE lat IS NOT NULL AND hashint8(id) < -1879048192;
DROP INDEX feedback_located;
CREATE INDEX feedback_located ON feedback (unit_id, received_at) WHERE lat IS NOT NULL;

-- +goose Down
DROP INDEX feedback_map_sample, feedback_located;
CREATE INDEX feedback_located ON feedback (received_at) WHERE lat IS NOT NULL;
DROP INDEX feedback_long_resolution;
CREATE INDEX feedback_long_resolution ON feedback (received_at) WHERE resolved_at - received_at > interval '60 days';
