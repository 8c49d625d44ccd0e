-- +goose Up
-- Customer survey answers: a score per question of a response (0–10, or
-- 1–5 as the survey has it), on a day, for a unit and the channel the
-- resident was served on, with a free comment scrubbed of personal data.
CREATE TABLE survey_answer (
    response_id text NOT NULL CHECK (response_id <> ''),
    question    text NOT NULL CHECK (question <> ''),
    answered_on date NOT NULL,
    unit_id     integer NOT NULL REFERENCES org_unit (id),
    channel_id  smallint NOT NULL REFERENCES channel (id),
    score       smallint NOT NULL CHECK (score BETWEEN 0 AND 10),
    comment     text NOT NULL DEFAULT '',
    PRIMARY KEY (response_id, question)
);
CREATE INDEX survey_answer_unit_day ON survey_answer (unit_id, answered_on);

GRANT SELECT ON survey_answer TO luukku_reader;
ALTER TABLE survey_answer ENABLE ROW LEVEL SECURITY;
CREATE POLICY in_scope ON survey_answer FOR SELECT TO luukku_reader
    USING ((SELECT scope_all()) OR unit_id = ANY ((SELECT scope_units())::integer[]));

-- +goose Down
DROP TABLE survey_answer;
