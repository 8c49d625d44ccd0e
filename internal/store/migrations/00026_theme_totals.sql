-- +goose Up
-- The themes of the branches counted over all channels. A view of the
-- themes that picks no channels, as every view does at first, summed the
-- branches' theme rows of every channel: some 1 300 rows a part for a
-- year of the city, 10 000 for the themes by toimiala (12 ms). The same
-- counts without the channel are a twelfth as many.
--
-- The roots (the city) are counted by day too, as feedback is (migration
-- 00020): the growing themes compare the view with the period before it,
-- whose ends are seldom whole months, and read every unit's day rows of
-- those days.
--
-- The writers of the branches' theme rows (refresh_feedback_theme_tree_counts,
-- the import's tally) write these too; feedback_count_errors() checks them.
CREATE TABLE feedback_theme_tree_total (
    grain     "char" NOT NULL CHECK (grain IN ('d', 'm')), -- days for the roots only
    period    date NOT NULL,
    unit_id   integer NOT NULL, -- the branch: this unit and every unit below it
    theme     text NOT NULL,
    feedback  integer NOT NULL,
    complaint integer NOT NULL,
    PRIMARY KEY (grain, period, unit_id, theme)
);
GRANT SELECT ON feedback_theme_tree_total TO luukku_reader;
ALTER TABLE feedback_theme_tree_total ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON feedback_theme_tree_total FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));

-- Counts the totals of the months the days p_from..p_to fall in, and the
-- roots' days, again from the branches' theme rows (which must be up to
-- date) and the units' day rows.
-- +goose StatementBegin
CREATE FUNCTION refresh_feedback_theme_totals(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM feedback_theme_tree_total
    WHERE (grain = 'm' AND period >= date_trunc('month', p_from::timestamp)::date AND period <= p_to)
       OR (grain = 'd' AND period >= p_from AND period <= p_to);
    INSERT INTO feedback_theme_tree_total (grain, period, unit_id, theme, feedback, complaint)
    SELECT t.grain, t.period, t.unit_id, t.theme, sum(t.feedback), sum(t.complaint)
    FROM feedback_theme_tree_count t
    WHERE t.period >= date_trunc('month', p_from::timestamp)::date AND t.period <= p_to
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT r.grain, r.period, b.branch_id, r.theme, sum(r.feedback), sum(r.complaint)
    FROM feedback_theme_count r
    JOIN unit_day_branches() b ON b.unit_id = r.unit_id
    WHERE r.grain = 'd' AND r.period >= p_from AND r.period <= p_to
    GROUP BY 1, 2, 3, 4;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refresh_feedback_theme_tree_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM feedback_theme_tree_count
    WHERE period >= date_trunc('month', p_from::timestamp)::date AND period <= p_to;
    INSERT INTO feedback_theme_tree_count
    SELECT r.grain, r.period, b.branch_id, r.channel_id, r.theme, sum(r.feedback), sum(r.complaint)
    FROM feedback_theme_count r
    JOIN unit_branches() b ON b.unit_id = r.unit_id
    WHERE r.grain = 'm' AND r.period >= date_trunc('month', p_from::timestamp)::date AND r.period <= p_to
    GROUP BY r.grain, r.period, b.branch_id, r.channel_id, r.theme;
    SELECT refresh_feedback_theme_totals(p_from, p_to);
$$;
-- +goose StatementEnd

-- feedback_count_errors checks the totals too, with the theme marked
-- '(total) '.
ALTER FUNCTION feedback_count_errors() RENAME TO feedback_branch_count_errors;
-- +goose StatementBegin
CREATE FUNCTION feedback_count_errors()
RETURNS TABLE (grain "char", period date, unit_id integer, channel_id smallint, theme text, stored int8[], actual int8[])
LANGUAGE sql STABLE AS $$
    SELECT * FROM feedback_branch_count_errors()
    UNION ALL (
    WITH summed AS (
        SELECT r.grain, r.period, b.branch_id AS unit_id, r.theme, ARRAY[sum(r.feedback), sum(r.complaint)]::int8[] AS n
        FROM feedback_theme_count r
        JOIN unit_branches() b ON b.unit_id = r.unit_id
        WHERE r.grain = 'm' OR b.branch_id IN (SELECT d.branch_id FROM unit_day_branches() d)
        GROUP BY 1, 2, 3, 4
    ), stored AS (
        SELECT t.grain, t.period, t.unit_id, t.theme, ARRAY[t.feedback, t.complaint]::int8[] AS n
        FROM feedback_theme_tree_total t
    )
    SELECT grain, period, unit_id, NULL::smallint, '(total) ' || theme, s.n, c.n
    FROM stored s
    FULL JOIN summed c USING (grain, period, unit_id, theme)
    WHERE s.n IS DISTINCT FROM c.n)
$$;
-- +goose StatementEnd

-- The theme rows a view reads, as feedback_theme_count_at, without the
-- channel: over all channels from the totals when the view picks none,
-- else the chosen channels' rows.
-- +goose StatementBegin
CREATE FUNCTION feedback_theme_totals_at(p_from date, p_to date, p_unit ltree, p_channels text[], p_detail text)
RETURNS TABLE (month date, unit_id integer, path ltree, theme text, feedback integer, complaint integer)
LANGUAGE sql STABLE AS $$
    SELECT f.month, f.unit_id, f.path, f.theme, f.feedback, f.complaint
    FROM feedback_theme_count_at(p_from, p_to, p_unit, p_channels, p_detail) f
    WHERE coalesce(cardinality(p_channels), 0) > 0
    UNION ALL
    SELECT date_trunc('month', r.period::timestamp)::date, r.unit_id, s.part, r.theme, r.feedback, r.complaint
    FROM counted_units(p_unit, p_detail) s
    CROSS JOIN counted_periods(p_from, p_to) p
    JOIN LATERAL (
        SELECT t.period, t.unit_id, t.theme, t.feedback, t.complaint
        FROM feedback_theme_tree_total t
        WHERE s.tree AND t.grain = p.grain AND (p.grain = 'm' OR nlevel(s.part) = 1)
          AND t.period >= p.period_from AND t.period < p.period_until
          AND t.unit_id = s.unit_id
        UNION ALL
        SELECT t.period, t.unit_id, t.theme, t.feedback, t.complaint
        FROM feedback_theme_count t
        WHERE s.tree AND p.grain = 'd' AND nlevel(s.part) > 1 AND t.grain = 'd'
          AND t.period >= p.period_from AND t.period < p.period_until
          AND t.unit_id IN (SELECT u.id FROM org_unit u WHERE u.path <@ s.part)
        UNION ALL
        SELECT t.period, t.unit_id, t.theme, t.feedback, t.complaint
        FROM feedback_theme_count t
        WHERE NOT s.tree AND t.grain = p.grain AND t.period >= p.period_from AND t.period < p.period_until
          AND t.unit_id = s.unit_id
    ) r ON true
    WHERE coalesce(cardinality(p_channels), 0) = 0
$$;
-- +goose StatementEnd

-- What is already counted.
SELECT refresh_feedback_theme_totals('-infinity', 'infinity');
ANALYZE feedback_theme_tree_total;

-- +goose Down
DROP FUNCTION feedback_theme_totals_at(date, date, ltree, text[], text), feedback_count_errors();
ALTER FUNCTION feedback_branch_count_errors() RENAME TO feedback_count_errors;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION refresh_feedback_theme_tree_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM feedback_theme_tree_count
    WHERE period >= date_trunc('month', p_from::timestamp)::date AND period <= p_to;
    INSERT INTO feedback_theme_tree_count
    SELECT r.grain, r.period, b.branch_id, r.channel_id, r.theme, sum(r.feedback), sum(r.complaint)
    FROM feedback_theme_count r
    JOIN unit_branches() b ON b.unit_id = r.unit_id
    WHERE r.grain = 'm' AND r.period >= date_trunc('month', p_from::timestamp)::date AND r.period <= p_to
    GROUP BY r.grain, r.period, b.branch_id, r.channel_id, r.theme;
$$;
-- +goose StatementEnd
DROP FUNCTION refresh_feedback_theme_totals(date, date);
DROP TABLE feedback_theme_tree_total;
