-- +goose Up
-- Where the feedback is about, when the channel knows it: Open311 requests
-- carry lat/long, and a web form or an app can pin a pothole on a map.
-- WGS84 degrees; both or neither.
ALTER TABLE feedback
    ADD COLUMN lat double precision,
    ADD COLUMN lon double precision,
    ADD CONSTRAINT feedback_location CHECK (
        (lat IS NULL) = (lon IS NULL)
        AND lat BETWEEN -90 AND 90
        AND lon BETWEEN -180 AND 180);

-- +goose Down
ALTER TABLE feedback
    DROP CONSTRAINT feedback_location,
    DROP COLUMN lat,
    DROP COLUMN lon;
