-- Headline finance of the view: operating expenses and revenues, actual
-- against budget, and the operating margin's (toimintakate: revenues minus
-- expenses, the council's usual binding level) deviation from its budget
-- in per cent, so that the cards' changes and target read the same for a
-- toimiala and for the whole city (the euros are in finance_statement).
--
-- Booked months only, on both sides, in every finance_ query: a month
-- counts when it lies wholly within the view's period and the ledger has
-- actuals for it (any non-zero actual anywhere in finance_month: the ledger
-- closes a month for the whole city at once, so a unit's genuinely empty
-- month still counts). The data carries no "actuals through" date; a
-- budgeted month without actuals is a month not yet booked, not a month
-- without spending, and counting its budget would make execution look low.
-- A month still running is left out for the same reason, half booked. Whole
-- months at both ends also make the comparison periods of the KPI cards
-- count as many months as the view does.
-- param: from date
-- param: to date
-- param: unit unit
-- column: expenses euro
-- column: expense_execution percent
-- column: revenues euro
-- column: revenue_execution percent
-- column: margin_deviation percent
-- plan: generic
WITH booked AS (
    SELECT month FROM finance_booked(@from, @to)
), total AS (
    SELECT
        sum(fm.budget) FILTER (WHERE ag.kind = 'expense') AS expense_budget,
        sum(fm.actual) FILTER (WHERE ag.kind = 'expense') AS expenses,
        sum(fm.budget) FILTER (WHERE ag.kind = 'income') AS revenue_budget,
        sum(fm.actual) FILTER (WHERE ag.kind = 'income') AS revenues
    FROM finance_at(@from, @to, @unit, 'view') fm
    JOIN booked b ON b.month = fm.month
    JOIN account_group ag ON ag.code = fm.account_group
)
SELECT
    expenses::float8 AS expenses,
    (100 * expenses / nullif(expense_budget, 0))::float8 AS expense_execution,
    revenues::float8 AS revenues,
    (100 * revenues / nullif(revenue_budget, 0))::float8 AS revenue_execution,
    -- Toimintakate's deviation from its budget, in per cent of its size.
    margin_deviation(revenues, expenses, revenue_budget, expense_budget) AS margin_deviation
FROM total
