-- The feedback of the view still open (unresolved) at the end of the
-- period, by how long it had been open by then: for a period that ends
-- today, by now. Ages are whole days rounded up, so that the last two
-- buckets are exactly the overview's "open over 14 days". Feedback not yet
-- answered at all is told apart from feedback answered but not resolved.
-- Every bucket has a row, empty or not, and the rows sum to service_kpis'
-- open_at_end. Feedback received before the period is not in the view and
-- not in the backlog either, as everywhere on the dashboards.
-- Only the feedback of the last 30 days of the view is counted by bucket,
-- up to today from the day rows but for the days the buckets' edges fall
-- on, which are asked item by item (for a view that ended earlier, all of
-- them). The older, all in the last bucket, is what was counted ahead as
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
    -- hours, whatever the clocks did), and for a view up to today the
    -- days they fall on, in the city's time as the day rows count, with
    -- where each begins and ends within the view. Those are compared with
    -- received_at as they are: under row-level security an index is
    -- searched only with comparisons that cannot leak, and a cast of a
    -- column, even another table's, is not one.
    SELECT t.*, b.*
    FROM (
        SELECT d.*,
            (d.edge1 AT TIME ZONE 'Europe/Helsinki')::date AS day1, (d.edge2 AT TIME ZONE 'Europe/Helsinki')::date AS day2,
            (d.edge3 AT TIME ZONE 'Europe/Helsinki')::date AS day3, (d.edge4 AT TIME ZONE 'Europe/Helsinki')::date AS day4
        FROM (SELECT at_end, at_end - interval '48 hours' AS edge1, at_end - interval '168 hours' AS edge2,
                     at_end - interval '336 hours' AS edge3, at_end - interval '720 hours' AS edge4
              FROM (SELECT least(@to::date + 1, now()) AS at_end) a) d
    ) t
    CROSS JOIN LATERAL (
        SELECT array_agg(greatest(day, @from::date)::timestamp AT TIME ZONE 'Europe/Helsinki' ORDER BY day) AS day_from,
               array_agg(least(day + 1, @to::date + 1)::timestamp AT TIME ZONE 'Europe/Helsinki' ORDER BY day) AS day_until
        FROM unnest(ARRAY[t.day1, t.day2, t.day3, t.day4]) AS day
    ) b
), aged_item AS (
    -- The young open items, counted by unit, channel and bucket before
    -- they are matched with the view's units and channels, and against the
    -- edges of the buckets rather than each item's age. Up to today they
    -- are the unresolved of the last 30 days: those of the four days an
    -- edge falls on, item by item (feedback_open finds them), and the
    -- other days' from the units' day rows, each day wholly in one bucket
    -- (at 10 M rows, 11 000 items and 3 700 rows rather than 75 000
    -- items). For a view that ended earlier, the items of its last 30 days
    -- still open at its end.
    -- Up to today, an item whose first response is stamped after now (the
    -- demo's later today, a clock-skewed import) is answered, as the day
    -- rows count it; for a view that ended earlier, answered is answered
    -- by its end.
    SELECT o.unit_id, o.channel_id,
        -- Feedback stamped a little after now is the youngest, not
        -- missing.
        CASE WHEN o.received_at >= e.edge1 THEN 1
             WHEN o.received_at >= e.edge2 THEN 2
             WHEN o.received_at >= e.edge3 THEN 3
             WHEN o.received_at >= e.edge4 THEN 4
             ELSE 5 END AS bucket,
        o.answered,
        count(*) AS n,
        count(*) FILTER (WHERE o.first_response_at IS NULL) AS waiting
    FROM (
        SELECT f.unit_id, f.channel_id, f.received_at, f.first_response_at, f.first_response_at IS NOT NULL AS answered
        FROM edge e
        CROSS JOIN LATERAL unnest(e.day_from, e.day_until) d (since, until)
        JOIN feedback f ON f.received_at >= d.since AND f.received_at < d.until
        WHERE @to::date >= current_date
          AND f.received_at >= e.edge4 AND f.resolved_at IS NULL
        UNION ALL
        SELECT f.unit_id, f.channel_id, f.received_at, f.first_response_at,
            f.first_response_at < (@to::date + 1)::timestamptz IS TRUE
        FROM feedback f
        WHERE @to::date < current_date
          AND f.received_at >= greatest(@from::date::timestamptz, (@to::date + 1)::timestamptz - interval '720 hours')
          AND f.received_at < (@to::date + 1)::timestamptz
          AND (f.resolved_at IS NULL OR f.resolved_at >= @to::date + 1)
    ) o
    CROSS JOIN edge e
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT c.unit_id, c.channel_id, c.bucket, x.answered, x.n, x.waiting
    FROM (
        SELECT c.unit_id, c.channel_id,
            CASE WHEN c.period > e.day1 THEN 1
                 WHEN c.period > e.day2 THEN 2
                 WHEN c.period > e.day3 THEN 3
                 ELSE 4 END AS bucket,
            sum(c.unresolved) AS unresolved, sum(c.waiting) AS waiting
        FROM edge e
        JOIN feedback_count c
          ON c.grain = 'd' AND c.period > e.day4 AND c.period >= @from::date AND c.period <= @to::date
        WHERE @to::date >= current_date
          AND c.period NOT IN (e.day1, e.day2, e.day3) AND c.unresolved > 0
        GROUP BY 1, 2, 3
    ) c
    CROSS JOIN LATERAL (VALUES (false, c.waiting, c.waiting), (true, c.unresolved - c.waiting, 0)) x (answered, n, waiting)
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
