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
-- withholds). The CTEs persons..shown are the same in every hr_ query.
-- Whether a part is shown is decided for the whole period, so that no
-- month reveals what the period withholds.
-- param: from date
-- param: to date
-- param: unit unit
-- column: month month
-- column: unit unit
-- column: sick_leave_pct percent
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
        g.code, g.path, hm.month,
        sum(hm.fte) * extract(day FROM hm.month + interval '1 month' - interval '1 day') AS fte_days,
        sum(hm.sick_leave_days) AS sick_days
    FROM hr_month hm
    JOIN org_unit u ON u.id = hm.unit_id
    JOIN org_unit g ON g.path = child_group(u.path, @unit)
    WHERE hm.month >= date_trunc('month', @from::date)
      AND hm.month <= @to::date
      AND u.path <@ @unit::ltree
    GROUP BY g.code, g.path, hm.month
)
SELECT
    m.month,
    m.code AS unit,
    CASE WHEN s.shown THEN 100 * m.sick_days / nullif(m.fte_days, 0) END::float8 AS sick_leave_pct
FROM per_month m
LEFT JOIN shown s ON s.path = m.path
ORDER BY m.month, m.path
