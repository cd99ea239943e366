-- +goose Up
-- PostgreSQL's twin of migrations/00062_ship_row_leases.sql: rows are claimed with FOR UPDATE SKIP LOCKED.
ALTER TABLE ship_batch_rows ADD COLUMN lease_owner TEXT   NOT NULL DEFAULT '';
ALTER TABLE ship_batch_rows ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0; -- unix milliseconds
ALTER TABLE ship_batch_rows ADD COLUMN attempts    BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE ship_batch_rows DROP COLUMN attempts;
ALTER TABLE ship_batch_rows DROP COLUMN lease_until;
ALTER TABLE ship_batch_rows DROP COLUMN lease_owner;
