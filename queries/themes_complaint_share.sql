-- The share of complaints in each theme's feedback, highest first. Themes
-- with fewer than 30 items in the period are left out: a share of a handful
-- says little, and would top the list by chance.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: theme theme
-- column: complaint_share percent
-- column: complaints int
-- column: feedback int
SELECT
    t.theme,
    (100.0 * count(*) FILTER (WHERE f.kind = 'complaint') / count(*))::float8 AS complaint_share,
    count(*) FILTER (WHERE f.kind = 'complaint')::int8 AS complaints,
    count(*)::int8 AS feedback
FROM feedback_in_view(@from, @to, @unit, @channels) f
CROSS JOIN LATERAL unnest(f.themes) AS t (theme)
GROUP BY t.theme
HAVING count(*) >= 30
ORDER BY complaint_share DESC, t.theme
