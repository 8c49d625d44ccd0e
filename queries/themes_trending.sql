-- The themes growing fastest: feedback in the period against the period of
-- the same length just before (the KPI cards' "previous period"), the ten
-- with the biggest growth first; a shrinking theme shows a negative growth.
-- Only themes with at least 30 items in the period qualify, so that three
-- items after one do not top the list as +200 %. A theme that had none
-- before has no growth to show; it comes first, with its count.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: theme theme
-- column: growth percent
-- column: feedback int
-- column: previous int
-- plan: generic
WITH per_theme AS (
    SELECT
        f.theme,
        coalesce(sum(f.feedback) FILTER (WHERE f.current), 0) AS feedback,
        coalesce(sum(f.feedback) FILTER (WHERE NOT f.current), 0) AS previous
    -- The previous period has as many days as the view's and ends the day
    -- before it starts.
    FROM (
        SELECT true AS current, theme, feedback
        FROM feedback_theme_totals_at(@from, @to, @unit, @channels, 'view')
        UNION ALL
        SELECT false, theme, feedback
        FROM feedback_theme_totals_at(@from::date - (@to::date - @from::date + 1), @from::date - 1, @unit, @channels, 'view')
    ) f
    GROUP BY f.theme
)
SELECT
    theme,
    (100.0 * (feedback - previous) / nullif(previous, 0))::float8 AS growth,
    feedback::int8 AS feedback,
    previous::int8 AS previous
FROM per_theme
WHERE feedback >= 30
ORDER BY growth DESC NULLS FIRST, feedback DESC, theme
LIMIT 10
