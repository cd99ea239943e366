-- +goose Up
-- Every order source lands here: merchant (V1.13), shop (mini-shop), channels and partner (partner-store orders
-- placed through a Mini Program). status is the app's normalised status; source_status the source's own code.
CREATE TABLE orders (
    id                INTEGER PRIMARY KEY,
    source            TEXT    NOT NULL CHECK (source IN ('merchant', 'shop', 'channels', 'partner')),
    order_id          TEXT    NOT NULL,
    shop_appid        TEXT    NOT NULL DEFAULT '',
    status            TEXT    NOT NULL CHECK (status IN ('topay', 'toship', 'partial', 'shipped', 'done', 'aftersale', 'cancelled')),
    source_status     INTEGER NOT NULL,
    buyer_openid      TEXT    NOT NULL DEFAULT '',
    buyer_nick        TEXT    NOT NULL DEFAULT '',
    receiver_name     TEXT    NOT NULL DEFAULT '',
    receiver_phone    TEXT    NOT NULL DEFAULT '',
    receiver_province TEXT    NOT NULL DEFAULT '',
    receiver_city     TEXT    NOT NULL DEFAULT '',
    receiver_district TEXT    NOT NULL DEFAULT '',
    receiver_address  TEXT    NOT NULL DEFAULT '',
    total_fen         INTEGER NOT NULL DEFAULT 0,
    product_fen       INTEGER NOT NULL DEFAULT 0,
    freight_fen       INTEGER NOT NULL DEFAULT 0,
    discount_fen      INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL DEFAULT 0,
    paid_at           INTEGER NOT NULL DEFAULT 0,
    shipped_at        INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL DEFAULT 0,
    product_names     TEXT    NOT NULL DEFAULT '',
    note              TEXT    NOT NULL DEFAULT '',
    raw               TEXT    NOT NULL,
    synced_at         INTEGER NOT NULL,
    UNIQUE (source, shop_appid, order_id)
);
CREATE INDEX orders_status_created_idx ON orders (status, created_at);
CREATE INDEX orders_created_idx ON orders (created_at);
CREATE INDEX orders_paid_idx ON orders (paid_at);
CREATE INDEX orders_phone_idx ON orders (receiver_phone);
CREATE INDEX orders_receiver_idx ON orders (receiver_name);
CREATE INDEX orders_order_id_idx ON orders (order_id);

CREATE TABLE order_lines (
    order_pk   INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no    INTEGER NOT NULL,
    product_id TEXT    NOT NULL DEFAULT '',
    sku_id     TEXT    NOT NULL DEFAULT '',
    title      TEXT    NOT NULL DEFAULT '',
    sku_attrs  TEXT    NOT NULL DEFAULT '',
    quantity   INTEGER NOT NULL DEFAULT 0,
    unit_fen   INTEGER NOT NULL DEFAULT 0,
    total_fen  INTEGER NOT NULL DEFAULT 0,
    img        TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (order_pk, line_no)
);
CREATE INDEX order_lines_product_idx ON order_lines (product_id);

CREATE TABLE order_parcels (
    order_pk     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    parcel_no    INTEGER NOT NULL,
    company_id   TEXT    NOT NULL DEFAULT '',
    company_name TEXT    NOT NULL DEFAULT '',
    tracking_no  TEXT    NOT NULL DEFAULT '',
    shipped_at   INTEGER NOT NULL DEFAULT 0,
    products     TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (order_pk, parcel_no)
);

-- Per source: how far the sync got, and whether the account may use the source at all.
CREATE TABLE order_sources (
    source       TEXT    PRIMARY KEY,
    watermark    INTEGER NOT NULL DEFAULT 0,
    synced_at    INTEGER NOT NULL DEFAULT 0,
    unavailable  INTEGER NOT NULL DEFAULT 0,
    last_errcode INTEGER NOT NULL DEFAULT 0,
    last_errmsg  TEXT    NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE order_sources;
DROP TABLE order_parcels;
DROP TABLE order_lines;
DROP TABLE orders;
