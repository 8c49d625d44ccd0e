-- The exact answer of finance_expenses_by_month: the same over the ledger's unit rows,
-- with the booked months found in the ledger itself.
-- Operating expenses of each booked month (see finance_booked): the
-- monthly history a year-end forecast fits, ending where the ledger does.
-- param: from date
-- param: to date
-- param: unit unit
-- column: month month
-- column: actual euro
SELECT b.month, sum(fm.actual)::float8 AS actual
FROM (SELECT DISTINCT month FROM finance_month WHERE actual <> 0 AND month >= @from::date AND month + interval '1 month' <= @to::date + 1) b
JOIN finance_month fm ON fm.month = b.month
JOIN account_group ag ON ag.code = fm.account_group AND ag.kind = 'expense'
JOIN org_unit u ON u.id = fm.unit_id
WHERE u.path <@ @unit::ltree
GROUP BY b.month
ORDER BY b.month
