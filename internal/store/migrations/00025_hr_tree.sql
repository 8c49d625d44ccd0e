-- +goose Up
-- Staff counted ahead for whole subtrees, as finance is (migration 00018).
-- hr_month is small (some 1 900 rows for three years), yet every staff
-- query summed each part's subtree month by month from it: hr_shown, which
-- decides what is too small to show, joined each month's rows with every
-- part above them (1 900 rows through an index lookup per unit) and
-- grouped them, and hr_months did it again for the view. At 3–5 ms apiece,
-- the overview's five staff queries cost a third of its time.
--
-- For each branch (a unit with units below it) a row per month holds its
-- whole subtree's staff. Every writer of hr_month (the demo loader, the
-- import) counts them again in the same transaction (refresh_hr_counts:
-- the whole table, a few milliseconds); hr_count_errors() lists where they
-- and hr_month disagree, and the writers' tests ask it.
CREATE TABLE hr_tree_month (
    month           date NOT NULL CHECK (extract(day FROM month) = 1),
    unit_id         integer NOT NULL, -- the branch: this unit and every unit below it
    headcount       bigint NOT NULL,
    fte             numeric NOT NULL,
    sick_leave_days numeric NOT NULL,
    overtime_hours  numeric NOT NULL,
    leavers         bigint NOT NULL,
    PRIMARY KEY (month, unit_id)
);
GRANT SELECT ON hr_tree_month TO luukku_reader;
ALTER TABLE hr_tree_month ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON hr_tree_month FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));

-- Counts the branches' rows again from hr_month. Two writers at once take
-- turns, so that neither finds the other's rows half written.
-- +goose StatementBegin
CREATE FUNCTION refresh_hr_counts() RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('luukku.hr_count'));
    DELETE FROM hr_tree_month;
    INSERT INTO hr_tree_month (month, unit_id, headcount, fte, sick_leave_days, overtime_hours, leavers)
    SELECT hm.month, b.branch_id, sum(hm.headcount), sum(hm.fte), sum(hm.sick_leave_days),
        sum(hm.overtime_hours), sum(hm.leavers)
    FROM hr_month hm
    JOIN unit_branches() b ON b.unit_id = hm.unit_id
    GROUP BY 1, 2;
$$;
-- +goose StatementEnd

-- Where the branches' rows disagree with hr_month: empty when every writer
-- counted again.
-- +goose StatementBegin
CREATE FUNCTION hr_count_errors()
RETURNS TABLE (month date, unit_id integer, stored numeric[], actual numeric[])
LANGUAGE sql STABLE AS $$
    WITH actual AS (
        SELECT hm.month, b.branch_id AS unit_id,
            ARRAY[sum(hm.headcount), sum(hm.fte), sum(hm.sick_leave_days), sum(hm.overtime_hours), sum(hm.leavers)] AS sums
        FROM hr_month hm
        JOIN unit_branches() b ON b.unit_id = hm.unit_id
        GROUP BY 1, 2
    )
    SELECT coalesce(t.month, a.month), coalesce(t.unit_id, a.unit_id),
        ARRAY[t.headcount, t.fte, t.sick_leave_days, t.overtime_hours, t.leavers], a.sums
    FROM hr_tree_month t
    FULL JOIN actual a ON a.month = t.month AND a.unit_id = t.unit_id
    WHERE ARRAY[t.headcount, t.fte, t.sick_leave_days, t.overtime_hours, t.leavers] IS DISTINCT FROM a.sums
$$;
-- +goose StatementEnd

-- The staff rows a view of p_unit reads, of the months that have started
-- within p_from..p_to, at counted_units' detail ('view' or 'part'): a
-- branch the reader sees whole by its subtree's rows, else by its units'.
-- part is the path the rows count toward.
-- +goose StatementBegin
CREATE FUNCTION hr_at(p_from date, p_to date, p_unit ltree, p_detail text)
RETURNS TABLE (month date, part ltree, headcount bigint, fte numeric, sick_leave_days numeric,
               overtime_hours numeric, leavers bigint)
LANGUAGE sql STABLE AS $$
    SELECT r.month, s.part, r.headcount, r.fte, r.sick_leave_days, r.overtime_hours, r.leavers
    FROM counted_units(p_unit, p_detail) s
    JOIN LATERAL (
        SELECT t.month, t.headcount, t.fte, t.sick_leave_days, t.overtime_hours, t.leavers
        FROM hr_tree_month t
        WHERE s.tree AND t.unit_id = s.unit_id
          AND t.month >= date_trunc('month', p_from::timestamp)::date AND t.month <= p_to
        UNION ALL
        SELECT h.month, h.headcount, h.fte, h.sick_leave_days, h.overtime_hours, h.leavers
        FROM hr_month h
        WHERE NOT s.tree AND h.unit_id = s.unit_id
          AND h.month >= date_trunc('month', p_from::timestamp)::date AND h.month <= p_to
    ) r ON true
$$;
-- +goose StatementEnd

-- hr_months as in migration 00004, from hr_at.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION hr_months(p_from date, p_to date, p_unit ltree)
RETURNS TABLE (month date, headcount bigint, fte numeric, fte_days numeric,
               sick_days numeric, overtime numeric, leavers bigint)
LANGUAGE sql STABLE
AS $$
    SELECT
        r.month,
        sum(r.headcount)::bigint,
        sum(r.fte),
        sum(r.fte) * extract(day FROM r.month + interval '1 month' - interval '1 day'),
        sum(r.sick_leave_days),
        sum(r.overtime_hours),
        sum(r.leavers)::bigint
    FROM hr_at(p_from, p_to, p_unit, 'view') r
    GROUP BY r.month
$$;
-- +goose StatementEnd

-- hr_shown as in migration 00022, its persons read ahead: a branch's from
-- its own rows when the reader sees all of it, a unit without units below
-- it from hr_month. A branch the reader sees in part (the city above a
-- unit head's two toimialat) is summed from the rows she sees, as before,
-- so that her parts are withheld beside each other as the city's are.
-- Each part is matched with the parts above it by their paths (a hash
-- join) rather than every part with every other (a nested loop of ltree
-- comparisons).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION hr_shown(p_from date, p_to date)
RETURNS TABLE (path ltree, shown boolean)
LANGUAGE sql STABLE
AS $$
WITH branch AS (
    -- The fewest persons of each branch in a month of the period.
    SELECT t.unit_id, min(t.headcount) AS persons
    FROM hr_tree_month t
    WHERE t.month >= date_trunc('month', p_from::timestamp)::date AND t.month <= p_to
    GROUP BY t.unit_id
), seen_in_part AS (
    SELECT m.id AS unit_id, min(m.headcount) AS persons
    FROM (
        SELECT n.id, hm.month, sum(hm.headcount) AS headcount
        FROM org_unit n
        JOIN org_unit u ON u.path <@ n.path
        JOIN hr_month hm ON hm.unit_id = u.id
        WHERE NOT (SELECT scope_all()) AND NOT sees_subtree(n.id)
          AND hm.month >= date_trunc('month', p_from::timestamp)::date AND hm.month <= p_to
        GROUP BY n.id, hm.month
    ) m
    GROUP BY m.id
), sized AS (
    SELECT n.path, p.persons, p.persons < 5 AS small
    FROM (
        SELECT unit_id, persons FROM branch
        UNION ALL
        SELECT unit_id, persons FROM seen_in_part
        UNION ALL
        SELECT hm.unit_id, min(hm.headcount)
        FROM hr_month hm
        WHERE hm.month >= date_trunc('month', p_from::timestamp)::date AND hm.month <= p_to
          AND hm.unit_id NOT IN (SELECT unit_id FROM branch)
        GROUP BY hm.unit_id
    ) p
    JOIN org_unit n ON n.id = p.unit_id
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
)
-- Shown only when neither it nor any part above it is withheld: the parts
-- of a withheld part would add up to it.
SELECT n.path, NOT bool_or(a.withheld) AS shown
FROM withheld n
CROSS JOIN LATERAL generate_series(1, nlevel(n.path)) AS k
JOIN withheld a ON a.path = subpath(n.path, 0, k)
GROUP BY n.path
$$;
-- +goose StatementEnd

SELECT refresh_hr_counts();

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION hr_shown(p_from date, p_to date)
RETURNS TABLE (path ltree, shown boolean)
LANGUAGE sql STABLE
AS $$
WITH persons AS (
    SELECT n.id, hm.month, sum(hm.headcount) AS headcount
    FROM hr_month hm
    JOIN org_unit u ON u.id = hm.unit_id
    JOIN org_unit n ON u.path <@ n.path
    WHERE hm.month >= date_trunc('month', p_from)
      AND hm.month <= p_to
    GROUP BY n.id, hm.month
), sized AS (
    SELECT n.path, min(p.headcount) AS persons, min(p.headcount) < 5 AS small
    FROM persons p
    JOIN org_unit n ON n.id = p.id
    GROUP BY n.id
), withheld AS (
    SELECT path, small OR (
        bool_or(small) OVER siblings
        AND coalesce(sum(persons) OVER (siblings ORDER BY persons, path
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) < 5) AS withheld
    FROM sized
    WINDOW siblings AS (PARTITION BY subpath(path, 0, nlevel(path) - 1))
), shown AS (
    SELECT n.path, NOT bool_or(a.withheld) AS shown
    FROM withheld n
    JOIN withheld a ON n.path <@ a.path
    GROUP BY n.path
)
SELECT s.path, s.shown FROM shown s
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION hr_months(p_from date, p_to date, p_unit ltree)
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
DROP FUNCTION hr_at(date, date, ltree, text), hr_count_errors(), refresh_hr_counts();
DROP TABLE hr_tree_month;
