-- +goose Up
-- hr_shown decides, for every part of the organisation, whether its staff
-- figures over a period may be shown. Figures about fewer than five
-- persons are withheld here, in SQL, never in the browser: a part is small
-- when it had fewer than five persons (headcount) in any month of the
-- period. So that a total minus the parts shown cannot reveal a small part
-- either, the smallest siblings beside a small one are withheld with it
-- until the withheld ones have at least five persons together, and nothing
-- below a withheld part is shown. Every hr_ query joins it, so no panel
-- shows what another withholds; a part missing from it is not shown.
-- +goose StatementBegin
CREATE FUNCTION hr_shown(p_from date, p_to date)
RETURNS TABLE (path ltree, shown boolean)
LANGUAGE sql STABLE
AS $$
WITH persons AS (
    -- Persons in every part of the organisation month by month: the staff
    -- at or below it.
    SELECT n.path, hm.month, sum(hm.headcount) AS headcount
    FROM hr_month hm
    JOIN org_unit u ON u.id = hm.unit_id
    JOIN org_unit n ON u.path <@ n.path
    WHERE hm.month >= date_trunc('month', p_from)
      AND hm.month <= p_to
    GROUP BY n.path, hm.month
), sized AS (
    SELECT path, min(headcount) AS persons, min(headcount) < 5 AS small
    FROM persons
    GROUP BY path
), withheld AS (
    -- Small, or the complement of a small sibling: the smallest siblings
    -- beside a small one are withheld too, until the withheld ones have at
    -- least five persons together.
    SELECT path, small OR (
        bool_or(small) OVER siblings
        AND coalesce(sum(persons) OVER (siblings ORDER BY persons, path
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) < 5) AS withheld
    FROM sized
    WINDOW siblings AS (PARTITION BY subpath(path, 0, nlevel(path) - 1))
), shown AS (
    -- Shown only when neither it nor any part above it is withheld: the
    -- parts of a withheld part would add up to it.
    SELECT n.path, NOT bool_or(a.withheld) AS shown
    FROM withheld n
    JOIN withheld a ON n.path <@ a.path
    GROUP BY n.path
)
SELECT s.path, s.shown FROM shown s
$$;
-- +goose StatementEnd

-- finance_booked lists the booked months within a period: months wholly
-- inside it in which the ledger has actuals. The data has no "actuals
-- through" date, and a budgeted month without actuals is a month not yet
-- booked, not a month without spending; every finance query compares
-- actual with budget over these months only.
-- +goose StatementBegin
CREATE FUNCTION finance_booked(p_from date, p_to date)
RETURNS TABLE (month date)
LANGUAGE sql STABLE
AS $$
    SELECT DISTINCT fm.month
    FROM finance_month fm
    WHERE fm.actual <> 0
      AND fm.month >= p_from
      AND fm.month + interval '1 month' <= p_to + 1
$$;
-- +goose StatementEnd

-- margin_deviation is the operating margin's (toimintakate: revenues minus
-- expenses, usually negative) deviation from its budget in per cent of the
-- budget's size: (actual − budget) / |budget|. Above zero is better than
-- the budget whether the budget is a deficit or a surplus, which the plain
-- actual / budget of a signed amount would turn around.
-- +goose StatementBegin
CREATE FUNCTION margin_deviation(revenues numeric, expenses numeric, revenue_budget numeric, expense_budget numeric)
RETURNS float8
LANGUAGE sql IMMUTABLE
AS $$
    SELECT (100 * ((coalesce(revenues, 0) - expenses) - (coalesce(revenue_budget, 0) - expense_budget))
        / nullif(abs(coalesce(revenue_budget, 0) - expense_budget), 0))::float8
$$;
-- +goose StatementEnd

-- hr_months sums the staff of a unit's subtree month by month over a
-- period (the months that have started count in full): persons, FTE, FTE
-- calendar days (the base of sick-leave % and htv), sick-leave calendar
-- days, overtime hours and leavers.
-- +goose StatementBegin
CREATE FUNCTION hr_months(p_from date, p_to date, p_unit ltree)
RETURNS TABLE (month date, headcount bigint, fte numeric, fte_days numeric,
               sick_days numeric, overtime numeric, leavers bigint)
LANGUAGE sql STABLE
AS $$
    SELECT
        hm.month,
        sum(hm.headcount),
        sum(hm.fte),
        sum(hm.fte) * extract(day FROM hm.month + interval '1 month' - interval '1 day'),
        sum(hm.sick_leave_days),
        sum(hm.overtime_hours),
        sum(hm.leavers)
    FROM hr_month hm
    JOIN org_unit u ON u.id = hm.unit_id
    WHERE hm.month >= date_trunc('month', p_from)
      AND hm.month <= p_to
      AND u.path <@ p_unit
    GROUP BY hm.month
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION hr_shown(date, date);
DROP FUNCTION finance_booked(date, date);
DROP FUNCTION margin_deviation(numeric, numeric, numeric, numeric);
DROP FUNCTION hr_months(date, date, ltree);
