-- The selected unit's staff month by month: headcount at the month's end,
-- average FTE over the month (the month's htv strength), sick-leave days
-- per person-year and sick-leave % (calendar days, as in hr_kpis),
-- overtime hours and leavers.
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
-- Whether the selected unit is shown is decided for the whole period, so
-- that no month reveals what the period withholds.
-- param: from date
-- param: to date
-- param: unit unit
-- column: month month
-- column: headcount int
-- column: fte float
-- column: sick_leave_days_per_htv float
-- column: sick_leave_pct percent
-- column: overtime_hours hours
-- column: leavers int
-- plan: generic
WITH per_month AS (
    SELECT * FROM hr_months(@from, @to, @unit)
)
SELECT
    m.month,
    CASE WHEN s.shown THEN m.headcount END::int8 AS headcount,
    CASE WHEN s.shown THEN m.fte END::float8 AS fte,
    CASE WHEN s.shown THEN m.sick_days / nullif(m.fte_days / 365, 0) END::float8 AS sick_leave_days_per_htv,
    CASE WHEN s.shown THEN 100 * m.sick_days / nullif(m.fte_days, 0) END::float8 AS sick_leave_pct,
    CASE WHEN s.shown THEN m.overtime END::float8 AS overtime_hours,
    CASE WHEN s.shown THEN m.leavers END::int8 AS leavers
FROM per_month m
LEFT JOIN hr_shown(@from, @to) s ON s.path = @unit::ltree
ORDER BY m.month
