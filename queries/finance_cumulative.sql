-- Operating expenses accumulated month by month through the budget year
-- of the view's last day, against the budget accumulated the same way: the
-- plan runs through every budgeted month of the year, the actual only
-- through the booked months up to the view's last day (a month that has
-- ended by then and has actuals in the ledger, as in finance_kpis). A month
-- not yet booked is empty, never zero spending, so the actual line stops
-- where the ledger does instead of going flat. The year is a budget year,
-- January to December, whatever the view's first day: the accumulation
-- starts from the year's budget.
-- Every month of the year is a row, also before any data and after the
-- actuals end: that is where the year-end forecast will be drawn.
-- param: to date
-- param: unit unit
-- column: month month
-- column: budget euro
-- column: actual euro
-- column: execution percent
-- plan: generic
WITH year (month) AS (
    SELECT m::date
    FROM generate_series(date_trunc('year', @to::date),
                         date_trunc('year', @to::date) + interval '11 months',
                         interval '1 month') AS m
), booked AS (
    SELECT month FROM finance_booked(date_trunc('year', @to::date)::date, @to)
), per_month AS (
    SELECT fm.month, sum(fm.budget) AS budget, sum(fm.actual) AS actual
    FROM finance_at(date_trunc('year', @to::date)::date, (date_trunc('year', @to::date) + interval '11 months')::date, @unit, 'view') fm
    JOIN account_group ag ON ag.code = fm.account_group AND ag.kind = 'expense'
    GROUP BY fm.month
), running AS (
    SELECT
        y.month,
        p.budget IS NOT NULL AS budgeted,
        b.month IS NOT NULL AS booked,
        sum(p.budget) OVER w AS budget,
        sum(p.actual) FILTER (WHERE b.month IS NOT NULL) OVER w AS actual,
        -- The plan to date: the budget of the booked months only.
        sum(p.budget) FILTER (WHERE b.month IS NOT NULL) OVER w AS booked_budget
    FROM year y
    LEFT JOIN per_month p ON p.month = y.month
    LEFT JOIN booked b ON b.month = y.month
    WINDOW w AS (ORDER BY y.month)
)
SELECT
    month,
    CASE WHEN budgeted THEN budget END::float8 AS budget,
    CASE WHEN booked THEN actual END::float8 AS actual,
    CASE WHEN booked THEN 100 * actual / nullif(booked_budget, 0) END::float8 AS execution
FROM running
ORDER BY month
