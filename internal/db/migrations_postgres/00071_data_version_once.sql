-- +goose Up
-- PostgreSQL's own (SQLite's PRAGMA data_version needs nothing): the data version is bumped once per
-- transaction instead of once per writing statement. Every statement updating the one counter row made a new
-- version of that row, and each update in the same transaction walks the versions its own earlier updates left:
-- a sync storing a thousand orders (some ten statements each, the roll-ups' and counts' triggers included) spent
-- nearly all its time there. The first writing statement of a transaction still bumps the counter before it
-- writes, and holds its lock until the commit, so writers queue on it as before, and a commit still changes the
-- number every server reads. A transaction-local setting remembers that the bump was made; it ends with the
-- transaction (a savepoint rolled back takes both the bump and the mark with it).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('wxshop.data_version_bumped', true) IS DISTINCT FROM 'yes' THEN
        UPDATE data_version SET n = n + 1 WHERE id = 1;
        PERFORM set_config('wxshop.data_version_bumped', 'yes', true);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
