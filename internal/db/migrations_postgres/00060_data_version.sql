-- +goose Up
-- The data version every server reads to know whether what it keeps in memory (pages, sessions, page marks) is
-- still what the database holds: SQLite has PRAGMA data_version for that; here it is one counter row that every
-- statement writing to a watched table bumps, before it writes, in the same transaction. A commit by any server
-- thus changes the number the others read, and nothing is seen changed before it is committed. Bumping before the
-- statement's own rows are locked means a writer takes the counter first: two writers queue on it instead of
-- deadlocking over rows each holds.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT  NOT NULL
);
INSERT INTO data_version (id, n) VALUES (1, 1);

-- +goose StatementBegin
CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- data_version_watch puts the bump on every table of the schema that lacks it; the server calls it after the
-- migrations at every start, so tables added later are watched too.
-- +goose StatementBegin
CREATE FUNCTION data_version_watch() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t regclass;
BEGIN
    FOR t IN
        SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND ns.nspname = current_schema()
          AND c.relname NOT IN ('data_version', 'goose_db_version')
          AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'data_version_bump')
    LOOP
        EXECUTE format('CREATE TRIGGER data_version_bump BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s
            FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump()', t);
    END LOOP;
END
$$;
-- +goose StatementEnd
SELECT data_version_watch();

-- +goose Down
DROP FUNCTION data_version_watch();
DROP TABLE data_version;
DROP FUNCTION data_version_bump() CASCADE;
