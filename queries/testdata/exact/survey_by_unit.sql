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
SELECT
    g.code AS unit,
    CASE WHEN count(*) >= 5 THEN avg(s.score) END::float8 AS mean_score,
    CASE WHEN count(*) >= 5 THEN 100.0 * count(*) FILTER (WHERE s.score >= 9) / count(*) END::float8 AS top_share,
    count(*)::int8 AS answers
FROM survey_answer s
JOIN org_unit u ON u.id = s.unit_id
JOIN channel c ON c.id = s.channel_id
JOIN org_unit g ON g.path = child_group(u.path, @unit::ltree)
WHERE s.answered_on BETWEEN @from AND @to
  AND u.path <@ @unit::ltree
  AND (coalesce(cardinality(@channels::text[]), 0) = 0 OR c.code = ANY (@channels::text[]))
GROUP BY g.code, g.path
ORDER BY mean_score DESC NULLS LAST, g.path
