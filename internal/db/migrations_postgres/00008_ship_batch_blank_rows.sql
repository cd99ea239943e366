-- +goose Up
-- PostgreSQL's twin of migrations/00008_ship_batch_blank_rows.sql.
ALTER TABLE ship_batches ADD COLUMN blank_rows BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE ship_batches DROP COLUMN blank_rows;
