-- Operating expenses of each booked month (see finance_booked): the
-- monthly history a year-end forecast fits, ending where the ledger does.
-- param: from date
-- param: to date
-- param: unit unit
-- column: month month
-- column: actual euro
-- plan: generic
SELECT b.month, sum(fm.actual)::float8 AS actual
FROM finance_booked(@from, @to) b
JOIN finance_at(@from, @to, @unit, 'view') fm ON fm.month = b.month
JOIN account_group ag ON ag.code = fm.account_group AND ag.kind = 'expense'
GROUP BY b.month
ORDER BY b.month
