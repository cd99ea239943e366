-- +goose Up
-- WeChat allows stable_token with force_refresh about 20 times a day and at least 30 s apart, per AppID and
-- whichever process asks: the forced refreshes are counted here, shared by every process. forced_since starts
-- the day being counted (unix ms), forced_count is how many that day, forced_last the latest (unix ms).
ALTER TABLE wx_tokens ADD COLUMN forced_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wx_tokens ADD COLUMN forced_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wx_tokens ADD COLUMN forced_last INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE wx_tokens DROP COLUMN forced_last;
ALTER TABLE wx_tokens DROP COLUMN forced_count;
ALTER TABLE wx_tokens DROP COLUMN forced_since;
