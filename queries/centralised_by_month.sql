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
SELECT date_trunc('month', f.received_at)::date AS month,
    count(*) FILTER (WHERE u.centralised)::int8 AS centralised,
    count(*) FILTER (WHERE NOT u.centralised)::int8 AS department
FROM feedback_in_view(@from, @to, @unit, @channels) f
JOIN org_unit u ON u.id = f.unit_id
GROUP BY 1
ORDER BY 1
