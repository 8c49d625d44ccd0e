-- The service level of each part of the selected unit one level down, for
-- the panels that show some of it (as service_by_channel per channel): the
-- time to the first response (median and 90th percentile), the share
-- answered within target, and the time to resolution. Each item is held to
-- its own channel's target, so units with different channel mixes compare
-- fairly. One query for the three panels reads the counts once.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: unit unit
-- column: median_first_response minutes
-- column: p90_first_response minutes
-- column: answered int
-- column: within_target percent
-- column: in_time int
-- column: late int
-- column: median_resolution minutes
-- column: p90_resolution minutes
-- column: resolved int
-- plan: generic
SELECT
    g.code AS unit,
    (c.first_response_p50 / 60)::float8 AS median_first_response,
    (c.first_response_p90 / 60)::float8 AS p90_first_response,
    c.feedback - c.unanswered AS answered,
    (100.0 * c.in_time / nullif(c.feedback - coalesce(d.not_yet_due, 0), 0))::float8 AS within_target,
    c.in_time AS in_time,
    (c.feedback - c.in_time - coalesce(d.not_yet_due, 0))::int8 AS late,
    (c.resolution_p50 / 60)::float8 AS median_resolution,
    (c.resolution_p90 / 60)::float8 AS p90_resolution,
    c.feedback - c.unresolved AS resolved
FROM feedback_times_by(@from, @to, @unit, @channels, 'part') c
JOIN org_unit g ON g.path = c.key::ltree
LEFT JOIN (SELECT child_group(path, @unit) AS part, sum(feedback)::int8 AS not_yet_due
           FROM feedback_not_yet_due(@from, @to, @unit, @channels) GROUP BY 1) d ON d.part = g.path
WHERE c.feedback > 0
ORDER BY g.path
