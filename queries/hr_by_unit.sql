-- Staff of each part of the selected unit one level down (the toimialat
-- of the city, the units of a toimiala), with the formulas of hr_kpis:
-- headcount at the end of the period, htv (person-years in the period),
-- sick-leave days per htv, sick-leave % (calendar days), overtime hours
-- and per htv, leavers and turnover (all leavers / average headcount).
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
-- param: from date
-- param: to date
-- param: unit unit
-- column: unit unit
-- column: headcount int
-- column: htv float
-- column: sick_leave_days_per_htv float
-- column: sick_leave_pct percent
-- column: overtime_hours hours
-- column: overtime_per_htv hours
-- column: leavers int
-- column: turnover percent
-- plan: generic
-- A part's staff come counted ahead for its subtree (hr_at).
WITH per_month AS (
    SELECT
        g.code, g.path, r.month,
        sum(r.headcount) AS headcount,
        sum(r.fte) * extract(day FROM r.month + interval '1 month' - interval '1 day') AS fte_days,
        sum(r.sick_leave_days) AS sick_days,
        sum(r.overtime_hours) AS overtime,
        sum(r.leavers) AS leavers
    FROM hr_at(@from, @to, @unit, 'part') r
    JOIN org_unit g ON g.path = r.part
    GROUP BY g.code, g.path, r.month
), per_unit AS (
    SELECT
        code, path,
        (array_agg(headcount ORDER BY month DESC))[1] AS headcount,
        avg(headcount) AS avg_headcount,
        sum(fte_days) AS fte_days,
        sum(sick_days) AS sick_days,
        sum(overtime) AS overtime,
        sum(leavers) AS leavers
    FROM per_month
    GROUP BY code, path
)
SELECT
    p.code AS unit,
    CASE WHEN s.shown THEN p.headcount END::int8 AS headcount,
    CASE WHEN s.shown THEN p.fte_days / 365 END::float8 AS htv,
    CASE WHEN s.shown THEN p.sick_days / nullif(p.fte_days / 365, 0) END::float8 AS sick_leave_days_per_htv,
    CASE WHEN s.shown THEN 100 * p.sick_days / nullif(p.fte_days, 0) END::float8 AS sick_leave_pct,
    CASE WHEN s.shown THEN p.overtime END::float8 AS overtime_hours,
    CASE WHEN s.shown THEN p.overtime / nullif(p.fte_days / 365, 0) END::float8 AS overtime_per_htv,
    CASE WHEN s.shown THEN p.leavers END::int8 AS leavers,
    CASE WHEN s.shown THEN 100 * p.leavers / nullif(p.avg_headcount, 0) END::float8 AS turnover
FROM per_unit p
LEFT JOIN hr_shown(@from, @to) s ON s.path = p.path
ORDER BY p.path
