-- +goose Up
-- The theme rules moved from the theme_rule table to themes.yaml, where
-- they are full-text queries per language; the theme table keeps the
-- names, which luukku writes from the file.
DROP TABLE theme_rule;

-- +goose Down
CREATE TABLE theme_rule (
    theme_code text NOT NULL REFERENCES theme (code) ON DELETE CASCADE,
    keyword    text NOT NULL CHECK (keyword = lower(keyword) AND length(keyword) >= 3),
    PRIMARY KEY (theme_code, keyword)
);
