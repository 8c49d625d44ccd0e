-- Headline figures of the period: feedback received, median first
-- response, share of digital channels, and feedback that at the end of the
-- period had been open for more than 14 days (so a past period's figure
-- stays what it was).
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: feedback int
-- column: median_first_response hours
-- column: digital_share percent
-- column: open_over_14_days int
SELECT
    count(*)::int8 AS feedback,
    (percentile_cont(0.5) WITHIN GROUP (
        ORDER BY date_part('epoch', f.first_response_at - f.received_at) / 3600))::float8 AS median_first_response,
    (100.0 * count(*) FILTER (WHERE f.digital) / nullif(count(*), 0))::float8 AS digital_share,
    count(*) FILTER (WHERE (f.resolved_at IS NULL OR f.resolved_at >= @to::date + 1)
                       AND f.received_at < least(@to::date + 1, now()) - interval '14 days')::int8 AS open_over_14_days
FROM feedback_in_view(@from, @to, @unit, @channels) f
