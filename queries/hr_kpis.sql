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
-- withholds). The CTEs persons..shown are the same in every hr_ query.
-- param: from date
-- param: to date
-- param: unit unit
-- column: headcount int
-- column: htv float
-- column: sick_leave_days_per_htv float
-- column: sick_leave_pct percent
-- column: overtime_hours hours
-- column: turnover percent
WITH persons AS (
    -- Persons in every part of the organisation month by month: the staff
    -- at or below it.
    SELECT n.path, hm.month, sum(hm.headcount) AS headcount
    FROM hr_month hm
    JOIN org_unit u ON u.id = hm.unit_id
    JOIN org_unit n ON u.path <@ n.path
    WHERE hm.month >= date_trunc('month', @from::date)
      AND hm.month <= @to::date
    GROUP BY n.path, hm.month
), sized AS (
    SELECT path, min(headcount) AS persons, min(headcount) < 5 AS small
    FROM persons
    GROUP BY path
), withheld AS (
    -- Small, or the complement of a small sibling: the smallest siblings
    -- beside a small one are withheld too, until the withheld ones have at
    -- least five persons together.
    SELECT path, small OR (
        bool_or(small) OVER siblings
        AND coalesce(sum(persons) OVER (siblings ORDER BY persons, path
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) < 5) AS withheld
    FROM sized
    WINDOW siblings AS (PARTITION BY subpath(path, 0, nlevel(path) - 1))
), shown AS (
    -- Shown only when neither it nor any part above it is withheld: the
    -- parts of a withheld part would add up to it.
    SELECT n.path, NOT bool_or(a.withheld) AS shown
    FROM withheld n
    JOIN withheld a ON n.path <@ a.path
    GROUP BY n.path
), per_month AS (
    SELECT
        hm.month,
        sum(hm.headcount) AS headcount,
        sum(hm.fte) * extract(day FROM hm.month + interval '1 month' - interval '1 day') AS fte_days,
        sum(hm.sick_leave_days) AS sick_days,
        sum(hm.overtime_hours) AS overtime,
        sum(hm.leavers) AS leavers
    FROM hr_month hm
    JOIN org_unit u ON u.id = hm.unit_id
    WHERE hm.month >= date_trunc('month', @from::date)
      AND hm.month <= @to::date
      AND u.path <@ @unit::ltree
    GROUP BY hm.month
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
LEFT JOIN shown s ON s.path = @unit::ltree
