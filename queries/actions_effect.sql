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
-- The windows' feedback is counted ahead (action_effect, kept by every
-- writer of feedback or actions).
WITH tested AS (
    SELECT a.title, u.code AS unit, a.done_on, e.window_days,
        e.feedback_before AS n_before, e.feedback_after AS n_after,
        e.complaints_before AS c_before, e.complaints_after AS c_after,
        e.response_before AS r_before, e.response_after AS r_after,
        (e.complaints_after::float8 / nullif(e.feedback_after, 0) - e.complaints_before::float8 / nullif(e.feedback_before, 0))
          / nullif(sqrt(((e.complaints_before + e.complaints_after)::float8 / nullif(e.feedback_before + e.feedback_after, 0))
                 * (1 - (e.complaints_before + e.complaints_after)::float8 / nullif(e.feedback_before + e.feedback_after, 0))
                 * (1.0 / nullif(e.feedback_before, 0) + 1.0 / nullif(e.feedback_after, 0))), 0) AS z
    FROM development_action a
    JOIN org_unit u ON u.id = a.unit_id
    JOIN action_effect e ON e.action_id = a.id
    WHERE u.path <@ @unit::ltree
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
