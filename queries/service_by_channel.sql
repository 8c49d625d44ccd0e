-- The service level of each channel, for the panels that show some of it:
-- * the time to the first response, its median and 90th percentile (the
--   slowest tenth waits longer), beside the channel's target. Unanswered
--   feedback has no response time and is left out; the share within target
--   counts it.
-- * the share answered within the channel's target
--   (channel.first_response_target_hours). Only feedback whose outcome is
--   known counts: answered, in time or late, or unanswered past its target
--   time (late). Feedback still inside its target time is neither, so a
--   view that ends today does not count this week's letters as misses.
-- * the time to resolution from arrival, its median and 90th percentile.
--   Feedback not yet resolved is left out; the backlog panel shows it.
-- Times are in minutes, so that a log axis can show a chat's minutes beside
-- a letter's weeks. All of it comes counted ahead, the classes of times
-- too, but for the feedback still inside its target time, item by item.
-- One query for the three panels reads the counts once.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: channel channel
-- column: median_first_response minutes
-- column: p90_first_response minutes
-- column: target minutes
-- column: answered int
-- column: within_target percent
-- column: in_time int
-- column: late int
-- column: median_resolution minutes
-- column: p90_resolution minutes
-- column: resolved int
-- plan: generic
SELECT
    c.key AS channel,
    (c.first_response_p50 / 60)::float8 AS median_first_response,
    (c.first_response_p90 / 60)::float8 AS p90_first_response,
    (ch.first_response_target_hours * 60)::float8 AS target,
    c.feedback - c.unanswered AS answered,
    (100.0 * c.in_time / nullif(c.feedback - coalesce(d.not_yet_due, 0), 0))::float8 AS within_target,
    c.in_time AS in_time,
    (c.feedback - c.in_time - coalesce(d.not_yet_due, 0))::int8 AS late,
    (c.resolution_p50 / 60)::float8 AS median_resolution,
    (c.resolution_p90 / 60)::float8 AS p90_resolution,
    c.feedback - c.unresolved AS resolved
FROM feedback_times_by(@from, @to, @unit, @channels, 'channel') c
JOIN channel ch ON ch.code = c.key
LEFT JOIN (SELECT channel, sum(feedback)::int8 AS not_yet_due
           FROM feedback_not_yet_due(@from, @to, @unit, @channels) GROUP BY 1) d ON d.channel = c.key
WHERE c.feedback > 0
ORDER BY c.sort_order
