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
-- Summed per unit first, then per part: the part of each of a year's
-- count rows (child_group) took most of the time.
WITH per_unit AS (
    SELECT f.unit_id, f.theme, sum(f.feedback) AS feedback
    FROM feedback_theme_count_in_view(@from, @to, @unit, @channels) f
    GROUP BY f.unit_id, f.theme
),
counts AS (
    SELECT g.code AS unit, g.path, p.theme, sum(p.feedback) AS feedback
    FROM per_unit p
    JOIN org_unit u ON u.id = p.unit_id
    JOIN org_unit g ON g.path = child_group(u.path, @unit)
    GROUP BY g.code, g.path, p.theme
    HAVING sum(p.feedback) > 0
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
