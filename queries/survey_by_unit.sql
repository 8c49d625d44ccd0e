-- Customer satisfaction (the survey's 0–10 answers) by the next level of
-- the organisation below the view's unit: the mean score, the share of
-- 9–10 answers, and how many answered. Answers on the view's days and
-- channels. A part with fewer than 5 answers is shown as "<5": a score
-- from so few says little and could point at one resident.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: unit unit
-- column: mean_score float
-- column: top_share percent
-- column: answers int
-- The months the view holds whole come counted ahead (survey_count), the
-- days of the months it holds in part from the answers themselves. A
-- month the view ends in counts whole when nothing was answered in it
-- after the view's last day: a view up to today reads the month so far
-- from its row, not some 6 000 answers. Summed
-- per unit first, then per part: the part of each of a year's answers
-- (child_group) took three quarters of the time.
WITH whole AS (
    -- The view's whole months: from first up to, not including, until.
    SELECT (date_trunc('month', (@from::date - 1)::timestamp) + interval '1 month')::date AS first,
           CASE WHEN EXISTS (SELECT FROM survey_answer s
                             WHERE s.answered_on > @to::date
                               AND s.answered_on < date_trunc('month', @to::date::timestamp) + interval '1 month')
                THEN date_trunc('month', (@to::date + 1)::timestamp)
                ELSE date_trunc('month', @to::date::timestamp) + interval '1 month' END::date AS until
), counted AS (
    SELECT c.unit_id, c.channel_id, c.answers, c.score, c.top
    FROM survey_count c, whole w
    WHERE c.month >= w.first AND c.month < w.until
    UNION ALL
    -- The days before the first whole month and after the last.
    SELECT s.unit_id, s.channel_id, 1, s.score, (s.score >= 9)::integer
    FROM survey_answer s, whole w
    WHERE (s.answered_on >= @from AND s.answered_on < least(w.first, @to::date + 1))
       OR (s.answered_on >= greatest(w.first, w.until) AND s.answered_on <= @to)
), per_unit AS (
    SELECT p.unit_id, sum(p.answers) AS answers, sum(p.score) AS score, sum(p.top) AS top
    FROM counted p
    JOIN channel c ON c.id = p.channel_id
    WHERE coalesce(cardinality(@channels::text[]), 0) = 0 OR c.code = ANY (@channels::text[])
    GROUP BY p.unit_id
)
SELECT
    g.code AS unit,
    CASE WHEN sum(p.answers) >= 5 THEN sum(p.score)::numeric / sum(p.answers) END::float8 AS mean_score,
    CASE WHEN sum(p.answers) >= 5 THEN 100.0 * sum(p.top) / sum(p.answers) END::float8 AS top_share,
    sum(p.answers)::int8 AS answers
FROM per_unit p
JOIN org_unit u ON u.id = p.unit_id
JOIN org_unit g ON g.path = child_group(u.path, @unit::ltree)
WHERE u.path <@ @unit::ltree
GROUP BY g.code, g.path
ORDER BY mean_score DESC NULLS LAST, g.path
