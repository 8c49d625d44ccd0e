-- The share of feedback answered within its channel's target for each part
-- of the selected unit one level down. Each item is held to its own
-- channel's target, so units with different channel mixes compare fairly.
-- As per channel, only feedback whose outcome is known counts: answered, or
-- unanswered past its target time (late). Counted ahead, but for the
-- feedback still inside its target time.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: unit unit
-- column: within_target percent
-- column: in_time int
-- column: late int
-- plan: generic
SELECT
    g.code AS unit,
    (100.0 * c.in_time / nullif(c.feedback - coalesce(d.not_yet_due, 0), 0))::float8 AS within_target,
    c.in_time AS in_time,
    (c.feedback - c.in_time - coalesce(d.not_yet_due, 0))::int8 AS late
FROM feedback_count_by(@from, @to, @unit, @channels, 'part') c
JOIN org_unit g ON g.path = c.key::ltree
LEFT JOIN (SELECT child_group(path, @unit) AS part, sum(feedback)::int8 AS not_yet_due
           FROM feedback_not_yet_due(@from, @to, @unit, @channels) GROUP BY 1) d ON d.part = g.path
WHERE c.feedback > 0
ORDER BY g.path
