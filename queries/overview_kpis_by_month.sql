-- The headline figures month by month, for the trend line under each KPI
-- card. Months are calendar months that overlap the period.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: month month
-- column: feedback int
-- column: median_first_response hours
-- column: digital_share percent
-- plan: generic
SELECT
    c.key::date AS month,
    c.feedback::int8 AS feedback,
    (c.first_response_p50 / 3600)::float8 AS median_first_response,
    (100.0 * c.digital / nullif(c.feedback, 0))::float8 AS digital_share
FROM feedback_times_by(@from, @to, @unit, @channels, 'month') c
WHERE c.feedback > 0
ORDER BY 1
