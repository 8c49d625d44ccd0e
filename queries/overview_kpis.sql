-- Headline figures of the period: feedback received, median first
-- response, share of digital channels, and feedback that at the end of the
-- period had been open for more than 14 days (so a past period's figure
-- stays what it was).
-- The counts come counted ahead (feedback_count); the median from the
-- classes of response times there (within about 1 % over a year of the
-- demo city). Feedback open over 14 days, for a view up to today, is the
-- unresolved feedback counted on the days before the cutoff day and the
-- feedback of that day itself; for a view that ended earlier, what was
-- counted as open after each day and month (feedback_open_at_end: a
-- resolution since counts as still open then).
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: feedback int
-- column: median_first_response hours
-- column: digital_share percent
-- column: open_over_14_days int
-- plan: generic
SELECT
    coalesce(c.feedback, 0)::int8 AS feedback,
    (c.first_response_p50 / 3600)::float8 AS median_first_response,
    (100.0 * c.digital / nullif(c.feedback, 0))::float8 AS digital_share,
    CASE WHEN @to::date >= current_date THEN
        coalesce((SELECT sum(o.unresolved)
                  FROM feedback_count_at(@from, cut.day - 1, @unit, @channels, 'view') o), 0)
        + (SELECT count(*) FROM feedback_in_view(greatest(@from::date, cut.day), cut.day, @unit, @channels) f
           WHERE f.resolved_at IS NULL AND f.received_at < cut.at)
    ELSE
        -- Received 14 days before the end of the view, or earlier.
        feedback_open_at_end(@from, @to, @unit, @channels, @to::date - 14)
    END::int8 AS open_over_14_days
FROM (SELECT now() - interval '14 days' AS at,
             ((now() - interval '14 days') AT TIME ZONE 'Europe/Helsinki')::date AS day) cut
LEFT JOIN feedback_times_by(@from, @to, @unit, @channels, '') c ON true
