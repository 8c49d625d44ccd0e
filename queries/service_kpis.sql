-- Headline service levels of the period: the median and 90th percentile of
-- the time to the first response, the share answered within the channel's
-- target, the median time to resolution, and the feedback still open at
-- the end of the period (the backlog panel's total).
-- Feedback not yet answered (resolved) has no such time and stays out of
-- the percentiles; the within-target share and the open count are where it
-- shows. Within target counts only feedback whose outcome is known: answered
-- (in time or late), or unanswered with its target time already passed (a
-- miss). Feedback still inside its target time is left out rather than
-- counted as a miss, so that a view ending today is not dragged down by the
-- letters of the last two weeks.
-- The counts and the classes of the times come counted ahead
-- (feedback_count), the feedback still inside its target time item by item.
-- Feedback open at the end of a view up to today is the unresolved counted;
-- for a view that ended earlier, what was counted as open after each day
-- and month (feedback_open_at_end: a resolution since counts as still open
-- then).
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: median_first_response minutes
-- column: p90_first_response minutes
-- column: within_target percent
-- column: median_resolution minutes
-- column: open_at_end int
-- plan: generic
SELECT
    (c.first_response_p50 / 60)::float8 AS median_first_response,
    (c.first_response_p90 / 60)::float8 AS p90_first_response,
    (100.0 * c.in_time / nullif(c.feedback - (SELECT coalesce(sum(d.feedback), 0)::int8 FROM feedback_not_yet_due(@from, @to, @unit, @channels) d), 0))::float8 AS within_target,
    (c.resolution_p50 / 60)::float8 AS median_resolution,
    CASE WHEN @to::date >= current_date THEN coalesce(c.unresolved, 0)
    ELSE feedback_open_at_end(@from, @to, @unit, @channels, @to)
    END::int8 AS open_at_end
FROM (SELECT) one
LEFT JOIN feedback_times_by(@from, @to, @unit, @channels, '') c ON true
