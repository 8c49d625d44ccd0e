-- The feedback of the view still open (unresolved) at the end of the
-- period, by how long it had been open by then: for a period that ends
-- today, by now. Ages are whole days rounded up, so that the last two
-- buckets are exactly the overview's "open over 14 days". Feedback not yet
-- answered at all is told apart from feedback answered but not resolved.
-- Every bucket has a row, empty or not, and the rows sum to service_kpis'
-- open_at_end. Feedback received before the period is not in the view and
-- not in the backlog either, as everywhere on the dashboards.
-- A view that ended in the past asks feedback item by item. A view up to
-- today does so only for the feedback of the last 30 days (few of it is
-- still open: feedback_open finds it); the older, all in the last
-- bucket, is the unresolved counted ahead (feedback_count) less those.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: age text
-- column: unanswered int
-- column: in_progress int
-- plan: generic
WITH open_item AS (
    SELECT f.received_at, f.first_response_at
    FROM feedback_in_view(@from, @to, @unit, @channels) f
    WHERE @to::date < current_date AND (f.resolved_at IS NULL OR f.resolved_at >= @to::date + 1)
    UNION ALL
    SELECT f.received_at, f.first_response_at
    FROM feedback_in_view(greatest(@from::date, current_date - 31), @to, @unit, @channels) f
    WHERE @to::date >= current_date AND f.resolved_at IS NULL AND f.received_at >= now() - interval '30 days'
), edge AS MATERIALIZED (
    -- Where the buckets begin, worked out once (an age of 2 days is 48
    -- hours, whatever the clocks did).
    SELECT at_end, at_end - interval '48 hours' AS edge1, at_end - interval '168 hours' AS edge2,
           at_end - interval '336 hours' AS edge3, at_end - interval '720 hours' AS edge4
    FROM (SELECT least(@to::date + 1, now()) AS at_end) t
), aged AS (
    -- Counted by bucket at once, against the edges of the buckets rather
    -- than each item's age: the young open items are tens of thousands at
    -- 10 M rows.
    SELECT
        -- The demo (and a clock-skewed import) may hold feedback stamped a
        -- little after now; it is the youngest, not missing.
        CASE WHEN o.received_at >= e.edge1 THEN 1
             WHEN o.received_at >= e.edge2 THEN 2
             WHEN o.received_at >= e.edge3 THEN 3
             WHEN o.received_at >= e.edge4 THEN 4
             ELSE 5 END AS bucket,
        o.first_response_at < e.at_end IS TRUE AS answered,
        count(*) AS n,
        count(*) FILTER (WHERE o.first_response_at IS NULL) AS waiting
    FROM open_item o
    CROSS JOIN edge e
    GROUP BY 1, 2
), open_at_end AS (
    SELECT bucket, answered, n FROM aged
    UNION ALL
    SELECT 5, x.answered, x.n
    FROM feedback_count_by(@from, @to, @unit, @channels, '') c
    CROSS JOIN LATERAL (SELECT coalesce(sum(o.waiting), 0) AS waiting, coalesce(sum(o.n), 0) AS open
                        FROM aged o) y
    CROSS JOIN LATERAL (VALUES (false, c.waiting - y.waiting), (true, c.unresolved - c.waiting - (y.open - y.waiting))) x (answered, n)
    WHERE @to::date >= current_date
)
SELECT
    b.age,
    coalesce(sum(o.n) FILTER (WHERE NOT o.answered), 0)::int8 AS unanswered,
    coalesce(sum(o.n) FILTER (WHERE o.answered), 0)::int8 AS in_progress
FROM (VALUES (1, '0–2'), (2, '3–7'), (3, '8–14'), (4, '15–30'), (5, '> 30')) AS b (bucket, age)
LEFT JOIN open_at_end o ON o.bucket = b.bucket
GROUP BY b.bucket, b.age
ORDER BY b.bucket
