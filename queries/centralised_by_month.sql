-- Who handles the feedback, month by month: the centralised customer
-- service (yhteispalvelu: units marked centralised) or the departments'
-- own units.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: month month
-- column: centralised int
-- column: department int
-- plan: custom
SELECT f.month,
    coalesce(sum(f.feedback) FILTER (WHERE u.centralised), 0)::int8 AS centralised,
    coalesce(sum(f.feedback) FILTER (WHERE NOT u.centralised), 0)::int8 AS department
FROM feedback_count_in_view(@from, @to, @unit, @channels) f
JOIN org_unit u ON u.id = f.unit_id
GROUP BY 1
HAVING sum(f.feedback) > 0
ORDER BY 1
