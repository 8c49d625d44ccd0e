-- +goose Up
-- The map's located items by unit, channel and day (feedback_points): a
-- view of some channels reads only theirs. A view of channels that carry
-- no locations (phone, email) read a year of the city's located items,
-- 400 000 at 10 M rows, to find none: 2 s.
DROP INDEX feedback_located;
CREATE INDEX feedback_located ON feedback (unit_id, channel_id, received_at) WHERE lat IS NOT NULL;

-- +goose Down
DROP INDEX feedback_located;
CREATE INDEX feedback_located ON feedback (unit_id, received_at) WHERE lat IS NOT NULL;
