-- +goose Up
-- PostgreSQL's twin of migrations/00021_order_notes_couriers.sql.
ALTER TABLE orders ADD COLUMN merchant_note TEXT NOT NULL DEFAULT '';

CREATE TABLE courier_cache (
    source     TEXT   PRIMARY KEY,
    body       TEXT   NOT NULL,
    fetched_at BIGINT NOT NULL
);

CREATE TABLE order_fetch_queue (
    shop_appid TEXT   NOT NULL DEFAULT '',
    order_id   TEXT   NOT NULL,
    sources    TEXT   NOT NULL,
    queued_at  BIGINT NOT NULL,
    PRIMARY KEY (shop_appid, order_id)
);

-- +goose Down
DROP TABLE order_fetch_queue;
DROP TABLE courier_cache;
ALTER TABLE orders DROP COLUMN merchant_note;
