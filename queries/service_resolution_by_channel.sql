-- How long it takes to resolve feedback, from its arrival, on each channel:
-- the median and the 90th percentile, in minutes for a log axis, from the
-- classes of resolution times counted ahead. Feedback not yet resolved is
-- left out; the backlog panel shows it.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: channel channel
-- column: median_resolution minutes
-- column: p90_resolution minutes
-- column: resolved int
-- plan: generic
SELECT
    c.key AS channel,
    (percentile_of(c.resolution, 0.5, c.feedback - c.unresolved) / 60)::float8 AS median_resolution,
    (percentile_of(c.resolution, 0.9, c.feedback - c.unresolved) / 60)::float8 AS p90_resolution,
    c.feedback - c.unresolved AS resolved
FROM feedback_count_by(@from, @to, @unit, @channels, 'channel') c
WHERE c.feedback > 0
ORDER BY c.sort_order
