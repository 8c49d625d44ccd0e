-- The units whose time to the first response grew most against the period
-- of the same length just before (the KPI cards' "previous period"): the
-- ten that slipped most first; a unit that got faster shows a negative
-- change. Units here are the ones that handle feedback, anywhere in the
-- selected unit's subtree.
-- The change is taken channel by channel and then averaged, weighted by the
-- unit's answered feedback per channel in the view's period (a weighted
-- geometric mean of the ratios of the medians). A unit's overall median
-- mixes a phone's minutes with an email's days, and jumps when residents
-- move from one channel to the other though nobody answers any slower; on
-- the demo city that alone would put every school at the top. A channel
-- counts when it has at least 5 answered items in both periods.
-- A unit with fewer than 30 answered items in either period has its change
-- withheld (NULL, shown as "<30") and comes after those that have one: the
-- median of a handful jumps by chance, and noise would top the list. Such
-- units are still listed when nothing else is, so that a thin view says
-- "too few" rather than "none slipped".
-- The medians come from the classes of response times counted ahead
-- (feedback_response_percentile).
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: unit unit
-- column: change percent
-- column: answered int
-- column: answered_previous int
-- plan: custom
WITH per_period AS (
    SELECT c.unit_id, c.channel_order, p.current, c.percentile / 60 AS median, c.answered
    -- The previous period has as many days as the view's and ends the day
    -- before it starts.
    FROM (VALUES (true, @from::date, @to::date),
                 (false, @from::date - (@to::date - @from::date + 1), @from::date - 1)) AS p (current, p_from, p_to)
    CROSS JOIN LATERAL feedback_response_percentile(p.p_from, p.p_to, @unit, @channels, 0.5) c
),
per_channel AS (
    SELECT
        unit_id,
        max(median) FILTER (WHERE NOT current) AS median_previous,
        max(median) FILTER (WHERE current) AS median_current,
        coalesce(sum(answered) FILTER (WHERE NOT current), 0) AS answered_previous,
        coalesce(sum(answered) FILTER (WHERE current), 0) AS answered
    FROM per_period
    GROUP BY unit_id, channel_order
),
per_unit AS (
    SELECT
        unit_id,
        exp(sum(CASE WHEN c.compared THEN answered * ln(median_current / median_previous) END)
            / sum(CASE WHEN c.compared THEN answered END)) AS ratio,
        sum(answered) AS answered,
        sum(answered_previous) AS answered_previous
    FROM per_channel
    CROSS JOIN LATERAL (SELECT answered >= 5 AND answered_previous >= 5
        AND median_previous > 0 AND median_current > 0 AS compared) c
    GROUP BY unit_id
)
SELECT
    u.code AS unit,
    (CASE WHEN p.answered >= 30 AND p.answered_previous >= 30 THEN 100 * (p.ratio - 1) END)::float8 AS change,
    p.answered::int8 AS answered,
    p.answered_previous::int8 AS answered_previous
FROM per_unit p
JOIN org_unit u ON u.id = p.unit_id
ORDER BY change DESC NULLS LAST, p.answered DESC, u.path
LIMIT 10
