-- +goose Up
-- Who sees what. Users, their roles and unit scopes, server-side sessions
-- and the audit log; and the read-only role every dashboard query runs as,
-- with row-level security that lets it see only the units in the scope the
-- application sets for the transaction.

CREATE TABLE app_user (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._@-]{0,99}$'),
    display_name  text NOT NULL DEFAULT '',
    -- argon2id in the PHC string format; empty for accounts that only sign
    -- in through single sign-on.
    password_hash text NOT NULL DEFAULT '',
    role          text NOT NULL CHECK (role IN ('admin', 'executive', 'unit_head', 'viewer', 'display')),
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- The subtrees of the organisation a scoped user (unit head, viewer,
-- display) may see. Admins and executives see every unit.
CREATE TABLE app_user_scope (
    user_id bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    unit_id integer NOT NULL REFERENCES org_unit (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, unit_id)
);

-- A session is a random token in the (signed, encrypted) cookie; only its
-- SHA-256 is kept, so a copy of this table cannot be used to sign in.
CREATE TABLE app_session (
    token_hash   bytea PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    address      text NOT NULL DEFAULT ''
);
CREATE INDEX app_session_user ON app_session (user_id);

-- The key that signs and encrypts session cookies when the configuration
-- gives none, made on first start so that restarts keep people signed in.
CREATE TABLE session_secret (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    secret     bytea NOT NULL CHECK (length(secret) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Who did what, when and from where. The actor's name is kept as it was,
-- so the log still reads after an account is removed.
CREATE TABLE audit_event (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    user_id  bigint REFERENCES app_user (id) ON DELETE SET NULL,
    username text NOT NULL DEFAULT '',
    action   text NOT NULL,
    target   text NOT NULL DEFAULT '',
    detail   text NOT NULL DEFAULT '',
    address  text NOT NULL DEFAULT ''
);
CREATE INDEX audit_event_at ON audit_event (at);
CREATE INDEX audit_event_username_at ON audit_event (username, at);

-- The role dashboard queries run as (SET LOCAL ROLE in each read-only
-- transaction). It owns nothing and cannot bypass row-level security, and
-- it reads only the tables dashboards need: never users, sessions or the
-- audit log. Roles belong to the whole cluster, so another database of the
-- same cluster may have made it already.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'luukku_reader') THEN
        CREATE ROLE luukku_reader NOLOGIN NOINHERIT NOBYPASSRLS;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- made at the same moment by a migration of another database
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT pg_has_role(current_user, 'luukku_reader', 'MEMBER') THEN
        EXECUTE format('GRANT luukku_reader TO %I', current_user);
    END IF;
END
$$;
-- +goose StatementEnd

GRANT USAGE ON SCHEMA public TO luukku_reader;
GRANT SELECT ON org_unit, channel, theme, theme_rule, account_group, data_version,
    feedback, contact_volume, finance_month, hr_month, development_action TO luukku_reader;

-- The scope is set per transaction by the application:
-- set_config('luukku.scope', '*', true) for every unit, or an ltree[]
-- literal of subtree paths ('{city.tekninen,city.sivistys.kirjasto}').
-- Unset, it is NULL or empty, and the policies then let nothing through.
-- +goose StatementBegin
CREATE FUNCTION scope_all() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('luukku.scope', true), '') = '*'
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION scope_units() RETURNS integer[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(u.id), '{}')
    FROM org_unit u
    WHERE u.path <@ ANY (
        CASE WHEN coalesce(current_setting('luukku.scope', true), '') IN ('', '*') THEN '{}'::ltree[]
             ELSE current_setting('luukku.scope', true)::ltree[] END)
$$;
-- +goose StatementEnd

-- The subqueries make both functions run once per statement (an InitPlan),
-- not once per row.
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['feedback', 'contact_volume', 'finance_month', 'hr_month', 'development_action'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY in_scope ON %I FOR SELECT TO luukku_reader
            USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]))', t);
    END LOOP;
END
$$;
-- +goose StatementEnd

-- Under row-level security PostgreSQL estimates a condition from the
-- table's statistics only when its operator is leakproof; comparing
-- timestamptz with date is not, and the reader's plans then expected one
-- row where there are tens of thousands (nested loops, 3 s pages). The
-- same comparison against timestamptz (the day's start in the session's
-- time zone, as before) is leakproof.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION feedback_in_view(p_from date, p_to date, p_unit ltree, p_channels text[])
RETURNS TABLE (
    id bigint, channel text, channel_order smallint, digital boolean, unit_id integer,
    received_at timestamptz, first_response_at timestamptz, resolved_at timestamptz,
    status text, kind text, themes text[], body text, language text
)
LANGUAGE sql STABLE AS $$
    SELECT f.id, c.code, c.sort_order, c.digital, f.unit_id,
           f.received_at, f.first_response_at, f.resolved_at, f.status, f.kind, f.themes, f.body, f.language
    FROM feedback f
    JOIN org_unit u ON u.id = f.unit_id
    JOIN channel c ON c.id = f.channel_id
    WHERE f.received_at >= p_from::timestamptz
      AND f.received_at < (p_to + 1)::timestamptz
      AND u.path <@ p_unit
      AND (coalesce(cardinality(p_channels), 0) = 0 OR c.code = ANY (p_channels))
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['feedback', 'contact_volume', 'finance_month', 'hr_month', 'development_action'] LOOP
        EXECUTE format('DROP POLICY in_scope ON %I', t);
        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t);
    END LOOP;
END
$$;
-- +goose StatementEnd
DROP FUNCTION scope_units(), scope_all();
-- feedback_in_view keeps its leakproof comparisons: they mean the same.
REVOKE ALL ON org_unit, channel, theme, theme_rule, account_group, data_version,
    feedback, contact_volume, finance_month, hr_month, development_action FROM luukku_reader;
REVOKE USAGE ON SCHEMA public FROM luukku_reader;
DROP TABLE audit_event, session_secret, app_session, app_user_scope, app_user;
