-- The headline finance month by month, for the trend line under each KPI
-- card: booked months only, as in finance_kpis (a month not yet booked is
-- missing, not zero, and the line ends at the last booked month).
-- param: from date
-- param: to date
-- param: unit unit
-- column: month month
-- column: expenses euro
-- column: expense_execution percent
-- column: revenues euro
-- column: revenue_execution percent
-- column: margin_deviation percent
-- plan: generic
WITH booked AS (
    SELECT month FROM finance_booked(@from, @to)
), per_month AS (
    SELECT
        fm.month,
        sum(fm.budget) FILTER (WHERE ag.kind = 'expense') AS expense_budget,
        sum(fm.actual) FILTER (WHERE ag.kind = 'expense') AS expenses,
        sum(fm.budget) FILTER (WHERE ag.kind = 'income') AS revenue_budget,
        sum(fm.actual) FILTER (WHERE ag.kind = 'income') AS revenues
    FROM finance_at(@from, @to, @unit, 'view') fm
    JOIN booked b ON b.month = fm.month
    JOIN account_group ag ON ag.code = fm.account_group
    GROUP BY fm.month
)
SELECT
    month,
    expenses::float8 AS expenses,
    (100 * expenses / nullif(expense_budget, 0))::float8 AS expense_execution,
    revenues::float8 AS revenues,
    (100 * revenues / nullif(revenue_budget, 0))::float8 AS revenue_execution,
    -- Toimintakate's deviation from its budget, in per cent of its size.
    margin_deviation(revenues, expenses, revenue_budget, expense_budget) AS margin_deviation
FROM per_month
ORDER BY month
