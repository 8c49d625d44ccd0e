-- +goose Up
-- Survey answers counted ahead per month, unit and channel, as feedback is
-- (migration 00010): a year of the city at 10 M feedback rows holds 280 000
-- answers, which survey_by_unit read one by one (0,1–0,3 s). A view reads
-- the months it holds whole from survey_count and the days of the months
-- it holds in part from the answers, found by survey_answer_day.
-- Every writer of survey_answer (the demo loader, imports) counts the
-- months it touched again in the same transaction (refresh_survey_counts);
-- survey_count_errors() lists where the counts and the answers disagree,
-- and the writers' tests ask it.
CREATE TABLE survey_count (
    month      date NOT NULL CHECK (extract(day FROM month) = 1),
    unit_id    integer NOT NULL,
    channel_id smallint NOT NULL,
    answers    integer NOT NULL,
    score      integer NOT NULL, -- the sum of the answers' scores
    top        integer NOT NULL, -- the answers of 9 or 10
    PRIMARY KEY (month, unit_id, channel_id)
);
GRANT SELECT ON survey_count TO luukku_reader;
ALTER TABLE survey_count ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON survey_count FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));

CREATE INDEX survey_answer_day ON survey_answer (answered_on);

-- Counts the months the days p_from..p_to fall in again. Two writers at
-- once take turns, so that neither finds the other's rows half written.
-- +goose StatementBegin
CREATE FUNCTION refresh_survey_counts(p_from date, p_to date) RETURNS void
LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('luukku.survey_count'));
    DELETE FROM survey_count
    WHERE month >= date_trunc('month', p_from::timestamp)::date AND month <= p_to;
    INSERT INTO survey_count (month, unit_id, channel_id, answers, score, top)
    SELECT date_trunc('month', answered_on::timestamp)::date, unit_id, channel_id,
        count(*), sum(score), count(*) FILTER (WHERE score >= 9)
    FROM survey_answer
    WHERE answered_on >= date_trunc('month', p_from::timestamp)::date
      AND answered_on < (date_trunc('month', p_to::timestamp) + interval '1 month')::date
    GROUP BY 1, 2, 3;
$$;
-- +goose StatementEnd

-- The months where survey_count and survey_answer disagree: empty when
-- every writer counted what it touched.
-- +goose StatementBegin
CREATE FUNCTION survey_count_errors()
RETURNS TABLE (month date, unit_id integer, channel_id smallint, stored int8[], actual int8[])
LANGUAGE sql STABLE AS $$
    WITH actual AS (
        SELECT date_trunc('month', s.answered_on::timestamp)::date AS month, s.unit_id, s.channel_id,
            ARRAY[count(*), sum(s.score), count(*) FILTER (WHERE s.score >= 9)] AS counts
        FROM survey_answer s
        GROUP BY 1, 2, 3
    )
    SELECT coalesce(c.month, a.month), coalesce(c.unit_id, a.unit_id), coalesce(c.channel_id, a.channel_id),
        ARRAY[c.answers, c.score, c.top]::int8[], a.counts
    FROM survey_count c
    FULL JOIN actual a ON a.month = c.month AND a.unit_id = c.unit_id AND a.channel_id = c.channel_id
    WHERE ARRAY[c.answers, c.score, c.top]::int8[] IS DISTINCT FROM a.counts
$$;
-- +goose StatementEnd

SELECT refresh_survey_counts('-infinity', 'infinity');

-- +goose Down
DROP FUNCTION survey_count_errors(), refresh_survey_counts(date, date);
DROP INDEX survey_answer_day;
DROP TABLE survey_count;
