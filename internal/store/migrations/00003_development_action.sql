-- +goose Up
-- Development actions (kehittämistoimenpiteet): what a unit decided to do
-- about the feedback on some themes, and when. Closing the loop means
-- comparing the feedback on those themes in that unit before the action
-- started with the feedback after it was done.
CREATE TABLE development_action (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE,          -- stable key for imports and links
    title       text NOT NULL CHECK (title <> ''),
    description text NOT NULL DEFAULT '',
    unit_id     int NOT NULL REFERENCES org_unit (id),
    themes      text[] NOT NULL CHECK (cardinality(themes) > 0),
    owner_role  text NOT NULL DEFAULT '',      -- a role, never a person's name
    decided_on  date NOT NULL,
    started_on  date,
    done_on     date,
    CHECK (started_on IS NULL OR started_on >= decided_on),
    CHECK (done_on IS NULL OR (started_on IS NOT NULL AND done_on >= started_on))
);

-- +goose Down
DROP TABLE development_action;
