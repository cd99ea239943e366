-- +goose Up
-- PostgreSQL's twin of migrations/00022_token_forced_refreshes.sql.
ALTER TABLE wx_tokens ADD COLUMN forced_since BIGINT NOT NULL DEFAULT 0;
ALTER TABLE wx_tokens ADD COLUMN forced_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wx_tokens ADD COLUMN forced_last BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE wx_tokens DROP COLUMN forced_last;
ALTER TABLE wx_tokens DROP COLUMN forced_count;
ALTER TABLE wx_tokens DROP COLUMN forced_since;
