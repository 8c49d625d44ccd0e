-- Sick-leave rate (calendar days of sick leave per person-days of FTE) for
-- each part of the selected unit one level down. Groups of fewer than five
-- persons are suppressed here, in SQL, never in the browser.
-- param: from date
-- param: to date
-- param: unit unit
-- column: unit unit
-- column: sick_leave_rate percent
-- column: fte float
WITH per_month AS (
    SELECT
        g.code, g.path, hm.month,
        sum(hm.headcount) AS headcount,
        sum(hm.fte) AS fte,
        sum(hm.sick_leave_days) AS sick_days,
        sum(hm.fte) * extract(day FROM hm.month + interval '1 month' - interval '1 day') AS fte_days
    FROM hr_month hm
    JOIN org_unit u ON u.id = hm.unit_id
    JOIN org_unit g ON g.path = child_group(u.path, @unit)
    WHERE hm.month >= date_trunc('month', @from::date)
      AND hm.month <= @to::date
      AND u.path <@ @unit::ltree
    GROUP BY g.code, g.path, hm.month
)
SELECT
    code AS unit,
    CASE WHEN min(headcount) < 5 THEN NULL
         ELSE (100 * sum(sick_days) / nullif(sum(fte_days), 0))::float8 END AS sick_leave_rate,
    CASE WHEN min(headcount) < 5 THEN NULL
         ELSE avg(fte)::float8 END AS fte
FROM per_month
GROUP BY code, path
ORDER BY path
