-- Budget against actual for each account group of the statutory income
-- statement (decree 525/2020), revenues first, in the statement's order.
-- The groups and their statement lines are data (account_group), never
-- account ranges. Names in the reader's language (the Finnish ones are
-- the statutory names).
-- Booked months only, as in finance_kpis: a month counts when it lies
-- wholly within the view's period and the ledger has actuals for it.
-- param: from date
-- param: to date
-- param: unit unit
-- param: lang enum(fi|sv|en)
-- column: account_group text
-- column: budget euro
-- column: actual euro
-- column: deviation euro
-- column: execution percent
-- plan: generic
WITH booked AS (
    SELECT month FROM finance_booked(@from, @to)
)
SELECT
    CASE @lang WHEN 'sv' THEN ag.name_sv WHEN 'en' THEN ag.name_en ELSE ag.name_fi END AS account_group,
    sum(fm.budget)::float8 AS budget,
    sum(fm.actual)::float8 AS actual,
    -- Actual minus budget: for an expense group above zero is overspending,
    -- for a revenue group it is income above the budget.
    (sum(fm.actual) - sum(fm.budget))::float8 AS deviation,
    (100 * sum(fm.actual) / nullif(sum(fm.budget), 0))::float8 AS execution
FROM finance_at(@from, @to, @unit, 'view') fm
JOIN booked b ON b.month = fm.month
JOIN account_group ag ON ag.code = fm.account_group
GROUP BY ag.code, ag.name_fi, ag.sort_order
ORDER BY ag.sort_order
