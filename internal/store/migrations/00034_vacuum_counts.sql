-- +goose NO TRANSACTION
-- +goose Up
-- Migrations 00030 and 00031 added generated columns to the count tables,
-- and PostgreSQL wrote the tables anew: a new table has no page marked
-- all-visible until it is vacuumed, and without those marks no index
-- answers a query alone. The panels that read the counts' scalars, the
-- backlog's day rows say, read the rows themselves instead (at 10 M rows
-- a table of 700 MB), until autovacuum came by, which nothing prompted:
-- rewriting a table counts neither as inserts nor as dead rows. VACUUM
-- runs outside a transaction, hence this migration of its own.
VACUUM (ANALYZE) feedback_count, feedback_tree_count, feedback_response_running;

-- +goose Down
SELECT 1;
