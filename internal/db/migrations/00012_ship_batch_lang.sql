-- +goose Up
-- The language of the operator who started a file: its rows' messages are written in it, also by a process that
-- resumes the file after a restart.
ALTER TABLE ship_batches ADD COLUMN lang TEXT NOT NULL DEFAULT 'zh';

-- +goose Down
ALTER TABLE ship_batches DROP COLUMN lang;
