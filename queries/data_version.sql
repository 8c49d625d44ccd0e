-- The number every data load bumps; caches and screens compare it.
-- column: version int
-- column: updated_at date
SELECT version, updated_at::date AS updated_at
FROM data_version
