-- Did the feedback change? For each development action in the selected
-- unit's subtree: the feedback on the action's themes in the action's unit
-- (and below it) in the window before the action started and in a window
-- of the same length after it was done — 90 days, or fewer when the data
-- ends sooner after it. The verdict tests the complaint share with a
-- two-proportion z-test at 95 %: "unchanged" when the difference is within
-- noise, "pending" until the action is done and 14 days have passed.
-- param: unit unit
-- column: action text
-- column: unit unit
-- column: done date
-- column: window_days int
-- column: feedback_before int
-- column: feedback_after int
-- column: complaints_before percent
-- column: complaints_after percent
-- column: response_before hours
-- column: response_after hours
-- column: verdict verdict
WITH action AS (
    SELECT a.id, a.title, u.code AS unit, u.path, a.themes, a.started_on, a.done_on,
           CASE WHEN a.done_on IS NULL THEN 0
                ELSE greatest(least(90, (SELECT max(received_at)::date + 1 FROM feedback) - a.done_on), 0) END AS window_days
    FROM development_action a
    JOIN org_unit u ON u.id = a.unit_id
    WHERE u.path <@ @unit::ltree
),
-- The windows' bounds as times, stored (MATERIALIZED), and each window
-- counted in a subquery of its own: then the bounds are a range of the
-- index on (unit_id, received_at) for each unit of the action's. Under
-- row-level security an index takes only leakproof comparisons, and
-- neither a timestamptz compared with a date nor a cast of a column is.
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
        sum(n) FILTER (WHERE w = 'before') AS n_before, sum(n) FILTER (WHERE w = 'after') AS n_after,
        sum(c) FILTER (WHERE w = 'before') AS c_before, sum(c) FILTER (WHERE w = 'after') AS c_after,
        min(r) FILTER (WHERE w = 'before') AS r_before, min(r) FILTER (WHERE w = 'after') AS r_after
    FROM counted_window
    GROUP BY id
),
tested AS (
    SELECT a.*, c.n_before, c.n_after, c.c_before, c.c_after, c.r_before, c.r_after,
        (c.c_after::float8 / nullif(c.n_after, 0) - c.c_before::float8 / nullif(c.n_before, 0))
          / nullif(sqrt(((c.c_before + c.c_after)::float8 / nullif(c.n_before + c.n_after, 0))
                 * (1 - (c.c_before + c.c_after)::float8 / nullif(c.n_before + c.n_after, 0))
                 * (1.0 / nullif(c.n_before, 0) + 1.0 / nullif(c.n_after, 0))), 0) AS z
    FROM action a
    LEFT JOIN counted c ON c.id = a.id
)
SELECT
    title AS action,
    unit,
    done_on AS done,
    window_days::int8 AS window_days,
    coalesce(n_before, 0)::int8 AS feedback_before,
    coalesce(n_after, 0)::int8 AS feedback_after,
    (100.0 * c_before / nullif(n_before, 0))::float8 AS complaints_before,
    (100.0 * c_after / nullif(n_after, 0))::float8 AS complaints_after,
    r_before::float8 AS response_before,
    r_after::float8 AS response_after,
    CASE
        WHEN done_on IS NULL OR window_days < 14 OR n_before IS NULL THEN 'pending'
        WHEN z <= -1.96 THEN 'improved'
        WHEN z >= 1.96 THEN 'worsened'
        ELSE 'unchanged'
    END AS verdict
FROM tested
ORDER BY done_on DESC NULLS FIRST, title
