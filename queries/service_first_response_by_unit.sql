-- The time to the first response for each part of the selected unit one
-- level down (the toimialat of the city, the units of a toimiala), so that
-- drilling into a toimiala breaks it down by its units: the median and the
-- 90th percentile, in minutes for a log axis, from the classes of response
-- times counted ahead. Unanswered feedback has no response time and is left
-- out; the within-target panel counts it.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: unit unit
-- column: median_first_response minutes
-- column: p90_first_response minutes
-- column: answered int
-- plan: generic
SELECT
    g.code AS unit,
    (percentile_of(c.first_response, 0.5, c.feedback - c.unanswered) / 60)::float8 AS median_first_response,
    (percentile_of(c.first_response, 0.9, c.feedback - c.unanswered) / 60)::float8 AS p90_first_response,
    c.feedback - c.unanswered AS answered
FROM feedback_count_by(@from, @to, @unit, @channels, 'part') c
JOIN org_unit g ON g.path = c.key::ltree
WHERE c.feedback > 0
ORDER BY g.path
