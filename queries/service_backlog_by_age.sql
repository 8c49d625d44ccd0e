-- The feedback of the view still open (unresolved) at the end of the
-- period, by how long it had been open by then: for a period that ends
-- today, by now. Ages are whole days rounded up, so that the last two
-- buckets are exactly the overview's "open over 14 days". Feedback not yet
-- answered at all is told apart from feedback answered but not resolved.
-- Every bucket has a row, empty or not, and the rows sum to service_kpis'
-- open_at_end. Feedback received before the period is not in the view and
-- not in the backlog either, as everywhere on the dashboards.
-- Only the feedback of the last 30 days of the view is asked item by
-- item. The older, all in the last bucket, is what was counted ahead as
-- open at the view's end less those: up to today the unresolved
-- (feedback_count), for a view that ended earlier feedback_open_at_end,
-- of which the items then still unanswered are asked too.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: age text
-- column: unanswered int
-- column: in_progress int
-- plan: generic
WITH edge AS MATERIALIZED (
    -- Where the buckets begin, worked out once (an age of 2 days is 48
    -- hours, whatever the clocks did).
    SELECT at_end, at_end - interval '48 hours' AS edge1, at_end - interval '168 hours' AS edge2,
           at_end - interval '336 hours' AS edge3, at_end - interval '720 hours' AS edge4
    FROM (SELECT least(@to::date + 1, now()) AS at_end) t
), aged_item AS (
    -- The young open items, counted by unit, channel and bucket before
    -- they are matched with the view's units and channels, and against the
    -- edges of the buckets rather than each item's age: some 70 000 items
    -- at 10 M rows, their counts a few thousand. Up to today they are the
    -- unresolved of the last 30 days (feedback_open finds them); for a
    -- view that ended earlier, those of its last 30 days still open at its
    -- end.
    SELECT o.unit_id, o.channel_id,
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
    FROM (
        SELECT f.unit_id, f.channel_id, f.received_at, f.first_response_at
        FROM feedback f
        WHERE @to::date >= current_date
          AND f.received_at >= greatest(@from::date, current_date - 31)::timestamptz
          AND f.received_at < (@to::date + 1)::timestamptz
          AND f.resolved_at IS NULL AND f.received_at >= now() - interval '720 hours'
        UNION ALL
        SELECT f.unit_id, f.channel_id, f.received_at, f.first_response_at
        FROM feedback f
        WHERE @to::date < current_date
          AND f.received_at >= greatest(@from::date::timestamptz, (@to::date + 1)::timestamptz - interval '720 hours')
          AND f.received_at < (@to::date + 1)::timestamptz
          AND (f.resolved_at IS NULL OR f.resolved_at >= @to::date + 1)
    ) o
    CROSS JOIN edge e
    GROUP BY 1, 2, 3, 4
    UNION ALL
    -- For a view that ended earlier, the older items still unanswered at
    -- its end: not answered yet (feedback_unanswered finds them), or
    -- answered more than 30 days after they came (feedback_late_answer).
    SELECT f.unit_id, f.channel_id, 5, false, count(*), count(*) FILTER (WHERE f.first_response_at IS NULL)
    FROM (
        SELECT f.unit_id, f.channel_id, NULL::timestamptz AS first_response_at
        FROM feedback f
        WHERE @to::date < current_date
          AND f.received_at >= @from::date::timestamptz
          AND f.received_at < (@to::date + 1)::timestamptz - interval '720 hours'
          AND f.first_response_at IS NULL
          AND (f.resolved_at IS NULL OR f.resolved_at >= @to::date + 1)
        UNION ALL
        SELECT f.unit_id, f.channel_id, f.first_response_at
        FROM feedback f
        WHERE @to::date < current_date
          AND f.received_at >= @from::date::timestamptz
          AND f.received_at < (@to::date + 1)::timestamptz - interval '720 hours'
          AND f.first_response_at - f.received_at > interval '30 days'
          AND f.first_response_at >= @to::date + 1
          AND (f.resolved_at IS NULL OR f.resolved_at >= @to::date + 1)
    ) f
    GROUP BY 1, 2
), aged AS (
    SELECT a.bucket, a.answered, sum(a.n) AS n, sum(a.waiting) AS waiting
    FROM aged_item a
    JOIN org_unit u ON u.id = a.unit_id
    JOIN channel c ON c.id = a.channel_id
    WHERE u.path <@ @unit AND (coalesce(cardinality(@channels::text[]), 0) = 0 OR c.code = ANY (@channels::text[]))
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
    UNION ALL
    -- For a view that ended earlier, the older items answered by its end
    -- are the rest of what was open then.
    SELECT 5, true, feedback_open_at_end(@from, @to, @unit, @channels, @to) - (SELECT coalesce(sum(o.n), 0) FROM aged o)
    WHERE @to::date < current_date
)
SELECT
    b.age,
    coalesce(sum(o.n) FILTER (WHERE NOT o.answered), 0)::int8 AS unanswered,
    coalesce(sum(o.n) FILTER (WHERE o.answered), 0)::int8 AS in_progress
FROM (VALUES (1, '0–2'), (2, '3–7'), (3, '8–14'), (4, '15–30'), (5, '> 30')) AS b (bucket, age)
LEFT JOIN open_at_end o ON o.bucket = b.bucket
GROUP BY b.bucket, b.age
ORDER BY b.bucket
