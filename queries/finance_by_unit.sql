-- Budget against actual for each part of the selected unit one level down
-- (the toimialat of the city, the units of a toimiala): operating expenses
-- in euros and as execution %, revenue execution %, each side's deviation
-- from its budget in per cent (execution − 100: above zero is more than
-- budgeted, which is bad for expenses and good for revenues; near-100
-- execution rates of different parts read apart better this way), and the
-- deviation of the operating margin (toimintakate) from its budget in euros.
-- Booked months only, as in finance_kpis: a month counts when it lies
-- wholly within the view's period and the ledger has actuals for it, so a
-- month not yet booked is not read as a month without spending.
-- param: from date
-- param: to date
-- param: unit unit
-- column: unit unit
-- column: expense_budget euro
-- column: expenses euro
-- column: expense_execution percent
-- column: expense_deviation percent
-- column: revenue_execution percent
-- column: revenue_deviation percent
-- column: margin_deviation euro
-- plan: generic
WITH booked AS (
    SELECT month FROM finance_booked(@from, @to)
), per_unit AS (
    SELECT
        g.code, g.path,
        sum(fm.budget) FILTER (WHERE ag.kind = 'expense') AS expense_budget,
        sum(fm.actual) FILTER (WHERE ag.kind = 'expense') AS expenses,
        sum(fm.budget) FILTER (WHERE ag.kind = 'income') AS revenue_budget,
        sum(fm.actual) FILTER (WHERE ag.kind = 'income') AS revenues
    FROM finance_at(@from, @to, @unit, 'part') fm
    JOIN booked b ON b.month = fm.month
    JOIN account_group ag ON ag.code = fm.account_group
    JOIN org_unit g ON g.path = fm.part
    GROUP BY g.code, g.path
)
SELECT
    code AS unit,
    expense_budget::float8 AS expense_budget,
    expenses::float8 AS expenses,
    (100 * expenses / nullif(expense_budget, 0))::float8 AS expense_execution,
    (100 * expenses / nullif(expense_budget, 0) - 100)::float8 AS expense_deviation,
    (100 * revenues / nullif(revenue_budget, 0))::float8 AS revenue_execution,
    (100 * revenues / nullif(revenue_budget, 0) - 100)::float8 AS revenue_deviation,
    ((coalesce(revenues, 0) - coalesce(expenses, 0))
        - (coalesce(revenue_budget, 0) - coalesce(expense_budget, 0)))::float8 AS margin_deviation
FROM per_unit
ORDER BY path
