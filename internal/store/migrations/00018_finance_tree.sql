-- +goose Up
-- Finance counted ahead for whole subtrees, as feedback is (migration
-- 00013). The ledger is small (some 15 000 month rows of units and account
-- groups for four years), yet a view of the city summed a year of them,
-- 5 000 rows through three joins, in each of its queries: 5–20 ms apiece,
-- eight of them on the overview. For each branch (a unit with units below
-- it) a row per month and account group holds its whole subtree's budget
-- and actual; a view of a branch the reader sees whole reads those, a
-- reader who sees part of it the units' rows as before (counted_units).
--
-- finance_booked read the ledger's rows of the period for its months with
-- actuals; finance_booked_month keeps them per unit, so that row-level
-- security still limits a reader's booked months to the units she sees.
--
-- Every writer of finance_month (the demo loader, imports) counts both
-- again in the same transaction (refresh_finance_counts: the whole ledger,
-- which takes some tens of milliseconds); finance_count_errors() lists
-- where they and the ledger disagree, and the writers' tests ask it.
CREATE TABLE finance_tree_month (
    month         date NOT NULL CHECK (extract(day FROM month) = 1),
    unit_id       integer NOT NULL, -- the branch: this unit and every unit below it
    account_group text NOT NULL,
    budget        numeric NOT NULL,
    actual        numeric NOT NULL,
    PRIMARY KEY (unit_id, month, account_group)
);
CREATE TABLE finance_booked_month (
    month   date NOT NULL,
    unit_id integer NOT NULL, -- a unit with an actual other than zero in the month
    PRIMARY KEY (month, unit_id)
);
GRANT SELECT ON finance_tree_month, finance_booked_month TO luukku_reader;
ALTER TABLE finance_tree_month ENABLE ROW LEVEL SECURITY;
ALTER TABLE finance_booked_month ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON finance_tree_month FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));
CREATE POLICY in_scope ON finance_booked_month FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));

-- A reader who sees part of a branch reads its units' rows by unit.
CREATE INDEX finance_month_unit ON finance_month (unit_id, month);

-- Counts the branches' rows and the booked months again from the ledger.
-- Two writers at once take turns, so that neither finds the other's rows
-- half written.
-- +goose StatementBegin
CREATE FUNCTION refresh_finance_counts() RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('luukku.finance_count'));
    DELETE FROM finance_tree_month;
    INSERT INTO finance_tree_month (month, unit_id, account_group, budget, actual)
    SELECT fm.month, b.branch_id, fm.account_group, sum(fm.budget), sum(fm.actual)
    FROM finance_month fm
    JOIN unit_branches() b ON b.unit_id = fm.unit_id
    GROUP BY 1, 2, 3;
    DELETE FROM finance_booked_month;
    INSERT INTO finance_booked_month (month, unit_id)
    SELECT DISTINCT fm.month, fm.unit_id FROM finance_month fm WHERE fm.actual <> 0;
$$;
-- +goose StatementEnd

-- Where the branches' rows or the booked months disagree with the ledger:
-- empty when every writer counted again.
-- +goose StatementBegin
CREATE FUNCTION finance_count_errors()
RETURNS TABLE (kind text, month date, unit_id integer, account_group text, stored numeric[], actual numeric[])
LANGUAGE sql STABLE AS $$
    WITH actual AS (
        SELECT fm.month, b.branch_id AS unit_id, fm.account_group, ARRAY[sum(fm.budget), sum(fm.actual)] AS sums
        FROM finance_month fm
        JOIN unit_branches() b ON b.unit_id = fm.unit_id
        GROUP BY 1, 2, 3
    ), booked AS (
        SELECT DISTINCT fm.month, fm.unit_id FROM finance_month fm WHERE fm.actual <> 0
    )
    SELECT 'tree', coalesce(t.month, a.month), coalesce(t.unit_id, a.unit_id), coalesce(t.account_group, a.account_group),
        ARRAY[t.budget, t.actual], a.sums
    FROM finance_tree_month t
    FULL JOIN actual a ON a.month = t.month AND a.unit_id = t.unit_id AND a.account_group = t.account_group
    WHERE ARRAY[t.budget, t.actual] IS DISTINCT FROM a.sums
    UNION ALL
    SELECT 'booked', coalesce(k.month, a.month), coalesce(k.unit_id, a.unit_id), NULL, NULL, NULL
    FROM finance_booked_month k
    FULL JOIN booked a ON a.month = k.month AND a.unit_id = k.unit_id
    WHERE k.month IS NULL OR a.month IS NULL
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION finance_booked(p_from date, p_to date)
RETURNS TABLE (month date)
LANGUAGE sql STABLE
AS $$
    SELECT DISTINCT b.month
    FROM finance_booked_month b
    WHERE b.month >= p_from
      AND b.month + interval '1 month' <= p_to + 1
$$;
-- +goose StatementEnd

-- The ledger rows a view of p_unit reads, of the months that begin within
-- p_from..p_to, at counted_units' detail ('view' or 'part'): a branch the
-- reader sees whole by its subtree's rows, else by its units'. part is
-- the path the rows count toward.
-- +goose StatementBegin
CREATE FUNCTION finance_at(p_from date, p_to date, p_unit ltree, p_detail text)
RETURNS TABLE (month date, part ltree, account_group text, budget numeric, actual numeric)
LANGUAGE sql STABLE AS $$
    SELECT r.month, s.part, r.account_group, r.budget, r.actual
    FROM counted_units(p_unit, p_detail) s
    JOIN LATERAL (
        SELECT t.month, t.account_group, t.budget, t.actual
        FROM finance_tree_month t
        WHERE s.tree AND t.unit_id = s.unit_id AND t.month >= p_from AND t.month <= p_to
        UNION ALL
        SELECT f.month, f.account_group, f.budget, f.actual
        FROM finance_month f
        WHERE NOT s.tree AND f.unit_id = s.unit_id AND f.month >= p_from AND f.month <= p_to
    ) r ON true
$$;
-- +goose StatementEnd

SELECT refresh_finance_counts();

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION finance_booked(p_from date, p_to date)
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
DROP FUNCTION finance_at(date, date, ltree, text), finance_count_errors(), refresh_finance_counts();
DROP INDEX finance_month_unit;
DROP TABLE finance_tree_month, finance_booked_month;
