-- +goose Up
-- The staff's reply to a piece of feedback (Open311 status_notes), scrubbed
-- of personal data like the resident's text: staff replies carry names,
-- titles and phone numbers.
ALTER TABLE feedback ADD COLUMN reply text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE feedback DROP COLUMN reply;
