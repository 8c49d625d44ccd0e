-- Sick-leave % (calendar days of sick leave / FTE calendar days, as in
-- hr_kpis) of each part of the selected unit one level down, month by
-- month: where and when absence piles up.
--
-- Figures about fewer than five persons are withheld here, in SQL, never
-- in the browser: a part of the organisation is small when it had fewer
-- than five persons (headcount) in any month of the period, and then its
-- every figure is NULL, which the panel shows as "<5". So that a total
-- minus the parts shown cannot reveal a small part either, the smallest
-- siblings beside a small one are withheld with it until the withheld
-- ones have at least five persons together, and nothing below a withheld
-- part is shown. A part is shown only when cleared (a missing flag
-- withholds). hr_shown (migration 00004) decides, the same for every
-- hr_ query.
-- Whether a part is shown is decided for the whole period, so that no
-- month reveals what the period withholds.
-- param: from date
-- param: to date
-- param: unit unit
-- column: month month
-- column: unit unit
-- column: sick_leave_pct percent
-- plan: generic
-- A part's staff come counted ahead for its subtree (hr_at).
WITH per_month AS (
    SELECT
        g.code, g.path, r.month,
        sum(r.fte) * extract(day FROM r.month + interval '1 month' - interval '1 day') AS fte_days,
        sum(r.sick_leave_days) AS sick_days
    FROM hr_at(@from, @to, @unit, 'part') r
    JOIN org_unit g ON g.path = r.part
    GROUP BY g.code, g.path, r.month
)
SELECT
    m.month,
    m.code AS unit,
    CASE WHEN s.shown THEN 100 * m.sick_days / nullif(m.fte_days, 0) END::float8 AS sick_leave_pct
FROM per_month m
LEFT JOIN hr_shown(@from, @to) s ON s.path = m.path
ORDER BY m.month, m.path
