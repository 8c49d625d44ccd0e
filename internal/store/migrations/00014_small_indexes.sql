-- +goose Up
-- The young backlog, a past view's "open at its end" and the map's points
-- answered from small indexes alone.
-- The two small partial indexes of migration 00011 carry the columns their
-- queries read, so that those are answered from the index alone (an
-- index-only scan, once vacuum has marked the table's pages all-visible):
-- the young backlog, 70 000 open items of the last 30 days at 10 M rows,
-- took 0,1 s fetching them from the table; the feedback resolved long
-- after it arrived, for a past view's "open at its end", 70 ms. Each holds
-- a few in a hundred rows, so an import's cost grows little.
DROP INDEX feedback_open, feedback_long_resolution;
CREATE INDEX feedback_open ON feedback (received_at) INCLUDE (first_response_at, resolved_at, unit_id, channel_id)
    WHERE first_response_at IS NULL OR resolved_at IS NULL;
CREATE INDEX feedback_long_resolution ON feedback (received_at) INCLUDE (resolved_at, unit_id, channel_id)
    WHERE resolved_at - received_at > interval '60 days';

-- The map's points (feedback_points) are the located items of the view
-- with the smallest hashes of their ids. A view with 4 000 such items in
-- the lowest sixteenth of hashes finds them all in feedback_map_sample, an
-- index of those that holds the map's columns (a year of the city at 10 M
-- rows: 0,5 s → 15 ms). A smaller view reads its located items through
-- feedback_located, now by unit first, so that a part of the city reads
-- its own (a toimiala's year: 0,4 s → 40 ms) rather than the whole city's.
CREATE INDEX feedback_map_sample ON feedback (received_at) INCLUDE (id, unit_id, channel_id, lon, lat, themes)
    WHERE lat IS NOT NULL AND hashint8(id) < -1879048192;
DROP INDEX feedback_located;
CREATE INDEX feedback_located ON feedback (unit_id, received_at) WHERE lat IS NOT NULL;

-- +goose Down
DROP INDEX feedback_map_sample, feedback_located;
CREATE INDEX feedback_located ON feedback (received_at) WHERE lat IS NOT NULL;
DROP INDEX feedback_open, feedback_long_resolution;
CREATE INDEX feedback_open ON feedback (received_at) WHERE first_response_at IS NULL OR resolved_at IS NULL;
CREATE INDEX feedback_long_resolution ON feedback (received_at) WHERE resolved_at - received_at > interval '60 days';
