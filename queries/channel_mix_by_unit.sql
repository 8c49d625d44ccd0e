-- How residents reach each part of the selected unit (the toimialat of the
-- city, the units of a toimiala; a unit alone is its own part): feedback
-- per channel.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: unit unit
-- column: channel channel
-- column: feedback int
-- plan: generic
SELECT g.code AS unit, f.channel, sum(f.feedback)::int8 AS feedback
FROM feedback_count_at(@from, @to, @unit, @channels, 'part') f
JOIN org_unit g ON g.path = f.path
GROUP BY g.code, g.path, f.channel, f.channel_order
HAVING sum(f.feedback) > 0
ORDER BY g.path, f.channel_order
