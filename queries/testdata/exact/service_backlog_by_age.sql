-- The feedback of the view still open (unresolved) at the end of the
-- period, by how long it had been open by then: for a period that ends
-- today, by now. Ages are whole days rounded up, so that the last two
-- buckets are exactly the overview's "open over 14 days". Feedback not yet
-- answered at all is told apart from feedback answered but not resolved.
-- Every bucket has a row, empty or not, and the rows sum to service_kpis'
-- open_at_end. Feedback received before the period is not in the view and
-- not in the backlog either, as everywhere on the dashboards.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: age text
-- column: unanswered int
-- column: in_progress int
WITH open_at_end AS (
    SELECT
        -- The demo (and a clock-skewed import) may hold feedback stamped a
        -- little after now; it is the youngest, not missing.
        CASE WHEN a.age <= interval '2 days' THEN 1
             WHEN a.age <= interval '7 days' THEN 2
             WHEN a.age <= interval '14 days' THEN 3
             WHEN a.age <= interval '30 days' THEN 4
             ELSE 5 END AS bucket,
        -- Up to today, a first response stamped after now (the demo's later
        -- today, a clock-skewed import) is an answer; for a view that ended
        -- earlier, only one by its end.
        CASE WHEN @to::date >= current_date THEN f.first_response_at IS NOT NULL
             ELSE f.first_response_at < a.at_end END AS answered
    FROM feedback_in_view(@from, @to, @unit, @channels) f
    CROSS JOIN LATERAL (SELECT
        least(@to::date + 1, now()) AS at_end,
        least(@to::date + 1, now()) - f.received_at AS age) a
    WHERE f.resolved_at IS NULL OR f.resolved_at >= @to::date + 1
)
SELECT
    b.age,
    count(o.bucket) FILTER (WHERE o.answered IS NOT TRUE)::int8 AS unanswered,
    count(o.bucket) FILTER (WHERE o.answered)::int8 AS in_progress
FROM (VALUES (1, '0–2'), (2, '3–7'), (3, '8–14'), (4, '15–30'), (5, '> 30')) AS b (bucket, age)
LEFT JOIN open_at_end o ON o.bucket = b.bucket
GROUP BY b.bucket, b.age
ORDER BY b.bucket
