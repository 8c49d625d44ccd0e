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
-- Summed per unit first, then per part: the part of each of a year's
-- answers (child_group) took three quarters of the time.
WITH per_unit AS (
    SELECT s.unit_id, count(*) AS answers, sum(s.score) AS score, count(*) FILTER (WHERE s.score >= 9) AS top
    FROM survey_answer s
    JOIN channel c ON c.id = s.channel_id
    WHERE s.answered_on BETWEEN @from AND @to
      AND (coalesce(cardinality(@channels::text[]), 0) = 0 OR c.code = ANY (@channels::text[]))
    GROUP BY s.unit_id
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
