-- Headline staff figures of the selected unit over the period, after the
-- KT Kuntatyönantajat recommendation (2021) as far as hr_month allows:
--   headcount: persons at the end of the period's last month;
--   htv: person-years in the period, FTE × calendar days / 365 summed over
--     the months (a twelve-month period gives about the average FTE);
--   sick-leave days per htv: calendar days of sick leave per person-year;
--   sick-leave %: sick-leave calendar days / FTE calendar days. hr_month
--     holds sick leave in calendar days only, so the theoretical regular
--     working time cannot be the base: both sides count calendar days;
--   overtime hours: the sum of the months;
--   turnover: all leavers / average month-end headcount in the period. KT
--     counts only permanent staff who leave, over the permanent headcount,
--     retirements apart; hr_month splits neither, so this is the closest
--     honest measure and its label says what it is.
-- Months of the period that have started count in full.
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
-- column: headcount int
-- column: htv float
-- column: sick_leave_days_per_htv float
-- column: sick_leave_pct percent
-- column: overtime_hours hours
-- column: turnover percent
-- plan: generic
WITH per_month AS (
    SELECT * FROM hr_months(@from, @to, @unit)
), total AS (
    SELECT
        (array_agg(headcount ORDER BY month DESC))[1] AS headcount,
        avg(headcount) AS avg_headcount,
        sum(fte_days) AS fte_days,
        sum(sick_days) AS sick_days,
        sum(overtime) AS overtime,
        sum(leavers) AS leavers
    FROM per_month
)
SELECT
    CASE WHEN s.shown THEN t.headcount END::int8 AS headcount,
    CASE WHEN s.shown THEN t.fte_days / 365 END::float8 AS htv,
    CASE WHEN s.shown THEN t.sick_days / nullif(t.fte_days / 365, 0) END::float8 AS sick_leave_days_per_htv,
    CASE WHEN s.shown THEN 100 * t.sick_days / nullif(t.fte_days, 0) END::float8 AS sick_leave_pct,
    CASE WHEN s.shown THEN t.overtime END::float8 AS overtime_hours,
    CASE WHEN s.shown THEN 100 * t.leavers / nullif(t.avg_headcount, 0) END::float8 AS turnover
FROM total t
LEFT JOIN hr_shown(@from, @to) s ON s.path = @unit::ltree
