-- +goose Up
-- PostgreSQL's twin of migrations/00012_ship_batch_lang.sql.
ALTER TABLE ship_batches ADD COLUMN lang TEXT NOT NULL DEFAULT 'zh';

-- +goose Down
ALTER TABLE ship_batches DROP COLUMN lang;
