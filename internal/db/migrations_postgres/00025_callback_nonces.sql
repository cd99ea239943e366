-- +goose Up
-- PostgreSQL's twin of migrations/00025_callback_nonces.sql: every server sees the pushes any of them took.
CREATE TABLE callback_nonces (
    nonce     TEXT   NOT NULL,
    timestamp BIGINT NOT NULL,
    seen_at   BIGINT NOT NULL,
    PRIMARY KEY (nonce, timestamp)
);
CREATE INDEX callback_nonces_seen_idx ON callback_nonces (seen_at);

-- +goose Down
DROP TABLE callback_nonces;
