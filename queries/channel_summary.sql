-- Each channel over the period: volume, its share of all feedback, the
-- median first response and the share answered within the channel's
-- target. Unanswered feedback counts as not within target. Counted ahead;
-- the median from the classes of response times.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: channel channel
-- column: feedback int
-- column: share percent
-- column: median_first_response minutes
-- column: within_target percent
-- plan: generic
SELECT
    c.key AS channel,
    c.feedback AS feedback,
    (100.0 * c.feedback / sum(c.feedback) OVER ())::float8 AS share,
    (c.first_response_p50 / 60)::float8 AS median_first_response,
    (100.0 * c.in_time / c.feedback)::float8 AS within_target
FROM feedback_times_by(@from, @to, @unit, @channels, 'channel') c
WHERE c.feedback > 0
ORDER BY c.sort_order
