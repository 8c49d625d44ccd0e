-- The organisation tree, parents before children.
-- column: code text
-- column: path text
-- column: level text
-- column: name_fi text
-- column: name_sv text
-- column: name_en text
SELECT code, path::text AS path, level, name_fi, name_sv, name_en
FROM org_unit
ORDER BY path
