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
-- plan: generic
SELECT
    f.theme,
    (100.0 * sum(f.complaint) / sum(f.feedback))::float8 AS complaint_share,
    sum(f.complaint)::int8 AS complaints,
    sum(f.feedback)::int8 AS feedback
FROM feedback_theme_totals_at(@from, @to, @unit, @channels, 'view') f
GROUP BY f.theme
HAVING sum(f.feedback) >= 30
ORDER BY complaint_share DESC, f.theme
