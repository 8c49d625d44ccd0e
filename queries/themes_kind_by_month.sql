-- Feedback per kind (complaint, question, suggestion, praise) and month, a
-- column per kind: the kinds are a fixed set, and a column each lets the
-- dashboard name them in every language (a kind is a code, and codes of a
-- text column would show as they are). Months are calendar months that
-- overlap the period.
-- param: from date
-- param: to date
-- param: unit unit
-- param: channels channels
-- column: month month
-- column: complaint int
-- column: question int
-- column: suggestion int
-- column: praise int
-- plan: generic
SELECT
    f.month,
    sum(f.complaint)::int8 AS complaint,
    sum(f.question)::int8 AS question,
    sum(f.suggestion)::int8 AS suggestion,
    sum(f.praise)::int8 AS praise
FROM feedback_count_at(@from, @to, @unit, @channels, 'view') f
GROUP BY 1
HAVING sum(f.feedback) > 0
ORDER BY 1
