-- +goose Up
-- The pushes each address sent in the current minute (app/callback_guard.go), counted together by the servers
-- sharing the database, so that an address spreading its pushes over them meets the same limit. One SQLite
-- server counts in memory. The counts are no page's data: the table is left out of the data version's watch.
CREATE TABLE push_rates (
    key          TEXT   PRIMARY KEY,
    period_start BIGINT NOT NULL, -- unix nanoseconds
    n            BIGINT NOT NULL
);
CREATE INDEX push_rates_period_idx ON push_rates (period_start);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION data_version_watch() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t regclass;
BEGIN
    FOR t IN
        SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND ns.nspname = current_schema()
          AND c.relname NOT IN ('data_version', 'goose_db_version', 'push_rates')
          AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'data_version_bump')
    LOOP
        EXECUTE format('CREATE TRIGGER data_version_bump BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s
            FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump()', t);
    END LOOP;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE push_rates;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION data_version_watch() RETURNS void LANGUAGE plpgsql AS $$
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
