-- +goose Up
-- A display token lets one screen show one playlist, or one dashboard view,
-- without signing in: the screen opens /screen/{token} once and keeps the
-- token in a cookie. Only the token's SHA-256 is kept, so a copy of this
-- table opens no screen. A revoked token stays for the audit trail.
CREATE TABLE display_token (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL CHECK (name <> ''),
    token_hash   bytea NOT NULL UNIQUE,
    playlist     text NOT NULL DEFAULT '',
    dashboard    text NOT NULL DEFAULT '',
    view         text NOT NULL DEFAULT '',
    lang         text NOT NULL DEFAULT 'fi' CHECK (lang IN ('fi', 'sv', 'en')),
    created_by   text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    -- It shows a playlist or a dashboard, never both.
    CHECK ((playlist = '') <> (dashboard = ''))
);
-- Two live screens may not share a name: the audit log tells them apart by it.
CREATE UNIQUE INDEX display_token_live_name ON display_token (name) WHERE revoked_at IS NULL;

CREATE TABLE display_token_scope (
    token_id bigint NOT NULL REFERENCES display_token (id) ON DELETE CASCADE,
    unit_id  integer NOT NULL REFERENCES org_unit (id) ON DELETE CASCADE,
    PRIMARY KEY (token_id, unit_id)
);

-- +goose Down
DROP TABLE display_token_scope, display_token;
