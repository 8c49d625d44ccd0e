-- Feedback per theme for each part of the selected unit one level down (the
-- toimialat of the city, the units of a toimiala): a theme × unit matrix.
-- Every pair has a row, zero or not, so that the grid is whole; themes come
-- in order of their total, largest first, and units in tree order. An item
-- with several themes counts once in each.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: theme theme
-- column: unit unit
-- column: feedback int
-- plan: generic
-- The counts come by part (feedback_theme_totals_at), a branch's summed
-- ahead when the reader sees all of it.
WITH counts AS (
    -- Summed by the row's unit, a number, and only then by the part it
    -- belongs to: PostgreSQL 15 cannot hash an ltree path, and sorting the
    -- rows by it took half the query.
    SELECT g.code AS unit, g.path, c.theme, sum(c.feedback) AS feedback
    FROM (
        SELECT f.unit_id, f.theme, sum(f.feedback) AS feedback
        FROM feedback_theme_totals_at(@from, @to, @unit, @channels, 'part') f
        GROUP BY f.unit_id, f.theme
    ) c
    JOIN org_unit u ON u.id = c.unit_id
    JOIN org_unit g ON g.path = child_group(u.path, @unit)
    GROUP BY g.code, g.path, c.theme
    HAVING sum(c.feedback) > 0
),
themes AS (
    SELECT theme, sum(feedback) AS total FROM counts GROUP BY theme
),
units AS (
    SELECT DISTINCT unit, path FROM counts
)
SELECT th.theme, un.unit, coalesce(c.feedback, 0)::int8 AS feedback
FROM themes th
CROSS JOIN units un
LEFT JOIN counts c ON c.theme = th.theme AND c.unit = un.unit
ORDER BY th.total DESC, th.theme, un.path
