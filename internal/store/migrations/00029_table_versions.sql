-- +goose Up
-- Every data load bumps data_version, and the server kept its results by
-- it: an import of the staff figures made every feedback panel's result
-- unreachable too. Now each table has a version of its own, bumped with
-- data_version for the tables the transaction changed, and a result is
-- kept by the versions of the tables its query reads: an import makes
-- unreachable exactly the results that read what it changed.
--
-- The changed tables are noted as each statement ends, in a setting of
-- the transaction, and their versions bumped when data_version is, which
-- every loader does last, in the same transaction: the rows of
-- data_table_version are then locked in one place and one order, after
-- data_version's, as data_version alone was before. A bump of
-- data_version in a transaction that changed no table (by hand, or the
-- benchmark's) bumps every table: it says that anything may have changed.
--
-- The tables written as people use the server (sessions, the audit trail)
-- and the versions themselves are not tracked; nor is a table created
-- after this migration until it is added here. The server keeps a result
-- of a query that reads a table without a version by data_version.
CREATE TABLE data_table_version (
    relname text PRIMARY KEY,
    version bigint NOT NULL DEFAULT 1
);
GRANT SELECT ON data_table_version TO luukku_reader;

-- +goose StatementBegin
CREATE FUNCTION note_table_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed text := coalesce(current_setting('luukku.changed_tables', true), '');
BEGIN
    IF position(',' || TG_TABLE_NAME || ',' IN changed || ',') = 0 THEN
        PERFORM set_config('luukku.changed_tables', changed || ',' || TG_TABLE_NAME, true);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION bump_table_versions() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed text[] := array_remove(string_to_array(coalesce(current_setting('luukku.changed_tables', true), ''), ','), '');
BEGIN
    UPDATE data_table_version SET version = version + 1
    WHERE cardinality(changed) = 0 OR relname = ANY (changed);
    PERFORM set_config('luukku.changed_tables', '', true);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- The import's merge turns the per-row triggers off (foreign keys checked
-- once for the file) with session_replication_role; these fire always.
CREATE TRIGGER bump_table_versions AFTER UPDATE ON data_version
FOR EACH ROW EXECUTE FUNCTION bump_table_versions();
ALTER TABLE data_version ENABLE ALWAYS TRIGGER bump_table_versions;

-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN
        SELECT c.relname FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
          AND c.relname NOT IN ('app_session', 'audit_event', 'session_secret', 'goose_db_version',
                                'data_version', 'data_table_version')
    LOOP
        INSERT INTO data_table_version (relname) VALUES (t);
        EXECUTE format('CREATE TRIGGER note_table_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                        FOR EACH STATEMENT EXECUTE FUNCTION note_table_changed()', t);
        EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER note_table_changed', t);
    END LOOP;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT relname FROM data_table_version LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS note_table_changed ON %I', t);
    END LOOP;
END
$$;
-- +goose StatementEnd
DROP TRIGGER bump_table_versions ON data_version;
DROP FUNCTION bump_table_versions(), note_table_changed();
DROP TABLE data_table_version;
