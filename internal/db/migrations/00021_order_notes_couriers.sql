-- +goose Up
-- The merchant's note beside the buyer's (Channels orders carry both in order_detail.ext_info).
ALTER TABLE orders ADD COLUMN merchant_note TEXT NOT NULL DEFAULT '';

-- The courier list a source ships with, as WeChat answered it (channels/ec/order/deliverycompanylist/get),
-- with the time it was fetched; the built-in list stands in until the first answer.
CREATE TABLE courier_cache (
    source     TEXT    PRIMARY KEY,
    body       TEXT    NOT NULL,
    fetched_at INTEGER NOT NULL
);

-- The orders pushes named whose fetch failed (WeChat slow or down after the push was answered): the next
-- sync fetches them. sources lists where the order may be, comma-separated, in the order to try.
CREATE TABLE order_fetch_queue (
    shop_appid TEXT    NOT NULL DEFAULT '',
    order_id   TEXT    NOT NULL,
    sources    TEXT    NOT NULL,
    queued_at  INTEGER NOT NULL,
    PRIMARY KEY (shop_appid, order_id)
);

-- +goose Down
DROP TABLE order_fetch_queue;
DROP TABLE courier_cache;
ALTER TABLE orders DROP COLUMN merchant_note;
