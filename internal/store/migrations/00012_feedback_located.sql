-- +goose Up
-- The map's points (feedback_points) come from feedback with a location,
-- one item in nine of the demo city's: this index holds what the map needs
-- of them, so that a year of points is read from the index alone (an
-- index-only scan, once vacuum has marked the pages visible) and sampled
-- there, instead of from a year of feedback rows.
CREATE INDEX feedback_located ON feedback (received_at) INCLUDE (id, unit_id, channel_id, lon, lat, themes)
    WHERE lat IS NOT NULL;

-- +goose Down
DROP INDEX feedback_located;
