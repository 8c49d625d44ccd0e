-- Feedback beside how each part of the selected unit runs (the toimialat
-- of the city, the units of a toimiala, a unit alone): feedback per person-year,
-- complaint share and median first response next to the deviation of
-- operating expenses from the budget (booked months, as on Talous) and
-- the sick-leave rate (as on Henkilöstö), so that one can see whether the
-- strained parts also hear more complaints. Figures drawn from staff
-- numbers are withheld as Henkilöstö withholds them (hr_shown).
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: unit unit
-- column: feedback int
-- column: feedback_per_htv float
-- column: complaint_share percent
-- column: median_first_response hours
-- column: expense_deviation percent
-- column: sick_leave_pct percent
-- plan: generic
WITH parts AS (
    -- The parts one level down, or a unit without parts on its own.
    SELECT id, code, path
    FROM org_unit o
    WHERE (o.path <@ @unit::ltree AND nlevel(o.path) = nlevel(@unit::ltree) + 1)
       OR (o.path = @unit::ltree AND NOT EXISTS (
            SELECT FROM org_unit c WHERE c.path <@ o.path AND c.path <> o.path))
), fb AS MATERIALIZED (
    -- Counted ahead; the median from the classes of response times. Once:
    -- the planner would otherwise add up the counts again for every part.
    SELECT c.key::ltree AS path, c.feedback, c.complaint AS complaints,
        c.first_response_p50 / 3600 AS median_response
    FROM feedback_times_by(@from, @to, @unit, @channels, 'part') c
    WHERE c.feedback > 0
), fin AS MATERIALIZED (
    -- Summed ahead for each part's subtree (finance_at), as the staff.
    -- Once: the planner would otherwise sort the ledger's rows again for
    -- every part (17 → 10 ms for the city's year at 10 M rows).
    SELECT fm.part AS path,
        sum(fm.budget) FILTER (WHERE ag.kind = 'expense') AS expense_budget,
        sum(fm.actual) FILTER (WHERE ag.kind = 'expense') AS expenses
    FROM finance_at(@from, @to, @unit, 'part') fm
    JOIN finance_booked(@from, @to) b ON b.month = fm.month
    JOIN account_group ag ON ag.code = fm.account_group
    GROUP BY 1
), staff AS (
    -- Counted ahead for each part's subtree (hr_at).
    SELECT r.part AS path,
        sum(r.fte * extract(day FROM r.month + interval '1 month' - interval '1 day')) AS fte_days,
        sum(r.sick_leave_days) AS sick_days
    FROM hr_at(@from, @to, @unit, 'part') r
    GROUP BY 1
)
SELECT
    p.code AS unit,
    coalesce(fb.feedback, 0)::int8 AS feedback,
    CASE WHEN s.shown THEN fb.feedback / nullif(staff.fte_days / 365, 0) END::float8 AS feedback_per_htv,
    (100.0 * fb.complaints / nullif(fb.feedback, 0))::float8 AS complaint_share,
    fb.median_response::float8 AS median_first_response,
    (100 * fin.expenses / nullif(fin.expense_budget, 0) - 100)::float8 AS expense_deviation,
    CASE WHEN s.shown THEN 100 * staff.sick_days / nullif(staff.fte_days, 0) END::float8 AS sick_leave_pct
FROM parts p
LEFT JOIN fb ON fb.path = p.path
LEFT JOIN fin ON fin.path = p.path
LEFT JOIN staff ON staff.path = p.path
LEFT JOIN hr_shown(@from, @to) s ON s.path = p.path
ORDER BY p.path
