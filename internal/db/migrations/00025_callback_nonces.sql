-- +goose Up
-- The pushes WeChat signed that have been handled, by their nonce and timestamp: a push is taken once, whichever
-- process it reaches. Rows older than the callback's time window (a few minutes) are deleted as new ones come.
CREATE TABLE callback_nonces (
    nonce     TEXT    NOT NULL,
    timestamp INTEGER NOT NULL,
    seen_at   INTEGER NOT NULL, -- unix seconds
    PRIMARY KEY (nonce, timestamp)
) WITHOUT ROWID;
CREATE INDEX callback_nonces_seen_idx ON callback_nonces (seen_at);

-- +goose Down
DROP TABLE callback_nonces;
