-- Operating expenses, budget against actual, for each part of the selected
-- unit one level down (the toimialat of the city, the units of a toimiala).
-- Months of the period that have started count in full.
-- param: from date
-- param: to date
-- param: unit unit
-- column: unit unit
-- column: budget euro
-- column: actual euro
-- column: execution percent
SELECT
    g.code AS unit,
    sum(fm.budget)::float8 AS budget,
    sum(fm.actual)::float8 AS actual,
    (100 * sum(fm.actual) / nullif(sum(fm.budget), 0))::float8 AS execution
FROM finance_month fm
JOIN account_group ag ON ag.code = fm.account_group AND ag.kind = 'expense'
JOIN org_unit u ON u.id = fm.unit_id
JOIN org_unit g ON g.path = child_group(u.path, @unit)
WHERE fm.month >= date_trunc('month', @from::date)
  AND fm.month <= @to::date
  AND u.path <@ @unit::ltree
GROUP BY g.code, g.path
ORDER BY g.path
