-- The time to resolution for each part of the selected unit one level down:
-- the median and the 90th percentile from arrival, in minutes for a log
-- axis, from the classes of resolution times counted ahead. Feedback not yet
-- resolved is left out; the backlog panel shows it.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: unit unit
-- column: median_resolution minutes
-- column: p90_resolution minutes
-- column: resolved int
-- plan: generic
SELECT
    g.code AS unit,
    (percentile_of(c.resolution, 0.5, c.feedback - c.unresolved) / 60)::float8 AS median_resolution,
    (percentile_of(c.resolution, 0.9, c.feedback - c.unresolved) / 60)::float8 AS p90_resolution,
    c.feedback - c.unresolved AS resolved
FROM feedback_count_by(@from, @to, @unit, @channels, 'part') c
JOIN org_unit g ON g.path = c.key::ltree
WHERE c.feedback > 0
ORDER BY g.path
