-- +goose Up
-- The feedback of each development action's windows (actions_effect),
-- counted ahead: each window is a unit's feedback of 90 days on some
-- themes, which no count by day, unit and theme can give (an item with two
-- of the action's themes counts once, and the panel shows median response
-- times). At 10 M rows the panel read 0,7 s of feedback for five actions.
-- Every writer of feedback or of actions counts them again in its own
-- transaction (refresh_action_effects; a few actions, a window each way:
-- about 0,1 s an action at 10 M rows). A window ends where the data ends,
-- so any import of feedback may move it.
CREATE TABLE action_effect (
    action_id   bigint PRIMARY KEY REFERENCES development_action (id) ON DELETE CASCADE,
    unit_id     integer NOT NULL, -- the action's, for row-level security
    window_days integer NOT NULL,
    -- The feedback on the action's themes in its unit and below, in the
    -- window before it started and the one after it was done; the
    -- complaints among it; the median hours to the first response. NULL
    -- while the action has no window or no feedback in either.
    feedback_before   integer,
    feedback_after    integer,
    complaints_before integer,
    complaints_after  integer,
    response_before   float8,
    response_after    float8
);
GRANT SELECT ON action_effect TO luukku_reader;
ALTER TABLE action_effect ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON action_effect FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));

-- The rows action_effect should hold, counted from feedback now. Each
-- window is counted in a subquery of its own, its bounds times: then they
-- are a range of the index on (unit_id, received_at) for each unit of the
-- action's.
-- +goose StatementBegin
CREATE FUNCTION action_effects() RETURNS SETOF action_effect
LANGUAGE sql STABLE AS $$
    WITH action AS MATERIALIZED (
        SELECT a.id, a.unit_id, u.path, a.themes, a.started_on, a.done_on,
               CASE WHEN a.done_on IS NULL THEN 0
                    ELSE greatest(least(90, (SELECT max(received_at)::date + 1 FROM feedback) - a.done_on), 0) END AS window_days
        FROM development_action a
        JOIN org_unit u ON u.id = a.unit_id
    ),
    window_range AS MATERIALIZED (
        SELECT a.id, a.path, a.themes, 'before' AS w,
               (a.started_on - a.window_days)::timestamptz AS w_from, a.started_on::timestamptz AS w_to
        FROM action a WHERE a.window_days > 0
        UNION ALL
        SELECT a.id, a.path, a.themes, 'after', a.done_on::timestamptz, (a.done_on + a.window_days)::timestamptz
        FROM action a WHERE a.window_days > 0
    ),
    counted_window AS (
        SELECT r.id, r.w, c.*
        FROM window_range r
        CROSS JOIN LATERAL (
            SELECT count(*) AS n, count(*) FILTER (WHERE f.kind = 'complaint') AS c,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', f.first_response_at - f.received_at) / 3600) AS r
            FROM org_unit fu
            JOIN feedback f ON f.unit_id = fu.id
            WHERE fu.path <@ r.path AND f.received_at >= r.w_from AND f.received_at < r.w_to AND f.themes && r.themes
        ) c
    ),
    counted AS (
        SELECT id,
            max(n) FILTER (WHERE w = 'before') AS n_before, max(n) FILTER (WHERE w = 'after') AS n_after,
            max(c) FILTER (WHERE w = 'before') AS c_before, max(c) FILTER (WHERE w = 'after') AS c_after,
            max(r) FILTER (WHERE w = 'before') AS r_before, max(r) FILTER (WHERE w = 'after') AS r_after
        FROM counted_window
        GROUP BY id
        HAVING sum(n) > 0
    )
    SELECT a.id, a.unit_id, a.window_days, c.n_before, c.n_after, c.c_before, c.c_after, c.r_before, c.r_after
    FROM action a
    LEFT JOIN counted c ON c.id = a.id
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION refresh_action_effects() RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('luukku.action_effect'));
    DELETE FROM action_effect;
    INSERT INTO action_effect SELECT * FROM action_effects();
$$;
-- +goose StatementEnd

-- Where action_effect differs from what it should hold: empty when every
-- writer counted again; the writers' tests ask.
-- +goose StatementBegin
CREATE FUNCTION action_effect_errors() RETURNS SETOF action_effect
LANGUAGE sql STABLE AS $$
    (SELECT * FROM action_effect EXCEPT SELECT * FROM action_effects())
    UNION ALL
    (SELECT * FROM action_effects() EXCEPT SELECT * FROM action_effect)
$$;
-- +goose StatementEnd

SELECT refresh_action_effects();

-- +goose Down
DROP FUNCTION action_effect_errors(), refresh_action_effects(), action_effects();
DROP TABLE action_effect;
