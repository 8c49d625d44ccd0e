-- The number every data load bumps; caches and screens compare it. With
-- it, each table's own version, bumped when a load changed that table
-- (name=version, by name): a result is kept by the versions of the
-- tables its query reads.
-- column: version int
-- column: updated_at date
-- column: tables text
SELECT version, updated_at::date AS updated_at,
    (SELECT coalesce(string_agg(relname || '=' || version, ',' ORDER BY relname), '') FROM data_table_version) AS tables
FROM data_version
