-- The operating part of the statutory income statement (decree 525/2020,
-- JHS 192) for the view, budget against actual, as a finance office reads
-- it: Toimintatuotot with its account groups, Toimintakulut with its
-- statement lines (Henkilöstökulut) and groups, and Toimintakate, revenues
-- minus expenses, the council's usual binding level. Which group belongs to
-- which line and kind is data (account_group), never account ranges; the
-- names of the lines above the groups are not in the schema and are given
-- here; all names in the reader's language (the Finnish ones statutory). Amounts are positive,
-- as stored; Toimintakate is negative when expenses exceed revenues.
-- Booked months only, as in finance_kpis: a month counts when it lies
-- wholly within the view's period and the ledger has actuals for it.
-- param: from date
-- param: to date
-- param: unit unit
-- param: lang enum(fi|sv|en)
-- column: line text
-- column: budget euro
-- column: actual euro
-- column: deviation euro
-- column: execution percent
-- plan: generic
WITH booked AS (
    SELECT month FROM finance_booked(@from, @to)
), per_group AS (
    SELECT ag.code, CASE @lang WHEN 'sv' THEN ag.name_sv WHEN 'en' THEN ag.name_en ELSE ag.name_fi END AS name, ag.kind, ag.statement_line, ag.sort_order,
           sum(fm.budget) AS budget, sum(fm.actual) AS actual
    FROM finance_at(@from, @to, @unit, 'view') fm
    JOIN booked b ON b.month = fm.month
    JOIN account_group ag ON ag.code = fm.account_group
    GROUP BY ag.code
), kinds (kind, line, name, ord) AS (
    -- Each kind's total is a statement line of its own: groups on that
    -- line sit directly under the total.
    VALUES ('income', 'toimintatuotot', CASE @lang WHEN 'sv' THEN 'Verksamhetens intäkter' WHEN 'en' THEN 'Operating revenues' ELSE 'Toimintatuotot' END, 1),
           ('expense', 'toimintakulut', CASE @lang WHEN 'sv' THEN 'Verksamhetens kostnader' WHEN 'en' THEN 'Operating expenses' ELSE 'Toimintakulut' END, 2)
), line_names (line, name) AS (
    VALUES ('henkilostokulut', CASE @lang WHEN 'sv' THEN 'Personalkostnader' WHEN 'en' THEN 'Personnel expenses' ELSE 'Henkilöstökulut' END)
), placed AS (
    -- A statement line sorts where its first group does.
    SELECT p.*, k.ord, k.line AS kind_line,
           min(p.sort_order) OVER (PARTITION BY p.statement_line) AS line_order
    FROM per_group p
    JOIN kinds k ON k.kind = p.kind
), statement (ord, line_order, group_order, line, budget, actual) AS (
    SELECT ord, 0, 0, min(k.name), sum(budget), sum(actual)
    FROM placed JOIN kinds k USING (ord)
    GROUP BY ord
    UNION ALL
    SELECT ord, line_order, 0,
           repeat(chr(160), 4) || coalesce(min(n.name), statement_line),
           sum(budget), sum(actual)
    FROM placed
    LEFT JOIN line_names n ON n.line = statement_line
    WHERE statement_line <> kind_line
    GROUP BY ord, line_order, statement_line
    UNION ALL
    SELECT ord, line_order, sort_order,
           repeat(chr(160), CASE WHEN statement_line = kind_line THEN 4 ELSE 8 END) || name,
           budget, actual
    FROM placed
    UNION ALL
    SELECT 3, 0, 0, CASE @lang WHEN 'sv' THEN 'Verksamhetsbidrag' WHEN 'en' THEN 'Operating margin' ELSE 'Toimintakate' END,
           sum(CASE kind WHEN 'income' THEN budget ELSE -budget END),
           sum(CASE kind WHEN 'income' THEN actual ELSE -actual END)
    FROM placed
    HAVING count(*) > 0
)
SELECT
    line,
    budget::float8 AS budget,
    actual::float8 AS actual,
    (actual - budget)::float8 AS deviation,
    (100 * actual / nullif(budget, 0))::float8 AS execution
FROM statement
ORDER BY ord, line_order, group_order
