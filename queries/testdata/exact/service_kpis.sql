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
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: median_first_response minutes
-- column: p90_first_response minutes
-- column: within_target percent
-- column: median_resolution minutes
-- column: open_at_end int
SELECT
    (percentile_cont(0.5) WITHIN GROUP (ORDER BY t.first_response))::float8 AS median_first_response,
    (percentile_cont(0.9) WITHIN GROUP (ORDER BY t.first_response))::float8 AS p90_first_response,
    (100.0 * count(*) FILTER (WHERE f.first_response_at <= t.deadline)
        / nullif(count(*) FILTER (WHERE f.first_response_at IS NOT NULL OR t.deadline < now()), 0))::float8 AS within_target,
    (percentile_cont(0.5) WITHIN GROUP (ORDER BY t.resolution))::float8 AS median_resolution,
    count(*) FILTER (WHERE f.resolved_at IS NULL OR f.resolved_at >= @to::date + 1)::int8 AS open_at_end
FROM feedback_in_view(@from, @to, @unit, @channels) f
JOIN channel c ON c.code = f.channel
-- date_part's float8, not extract's numeric: the percentiles sort a third faster.
CROSS JOIN LATERAL (SELECT
    date_part('epoch', f.first_response_at - f.received_at) / 60 AS first_response,
    date_part('epoch', f.resolved_at - f.received_at) / 60 AS resolution,
    f.received_at + c.first_response_target_hours * interval '1 hour' AS deadline) t
