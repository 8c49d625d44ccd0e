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
-- The counts come by part (feedback_theme_count_at), a branch's summed
-- ahead when the reader sees all of it.
WITH counts AS (
    -- Summed by the part's path and then named: some 10 000 count rows
    -- for a year of the city, grouped by hashing rather than sorting.
    SELECT g.code AS unit, g.path, c.theme, c.feedback
    FROM (
        SELECT f.path, f.theme, sum(f.feedback) AS feedback
        FROM feedback_theme_count_at(@from, @to, @unit, @channels, 'part') f
        GROUP BY f.path, f.theme
        HAVING sum(f.feedback) > 0
    ) c
    JOIN org_unit g ON g.path = c.path
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
