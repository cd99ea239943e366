-- +goose Up
-- What WeChat answered for a category branch: its children (sub), its SKU table (sku) or its properties
-- (property), kept as the answer's JSON with the time it was fetched.
CREATE TABLE category_cache (
    cate_id    TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('sub', 'sku', 'property')),
    body       TEXT    NOT NULL,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (cate_id, kind)
);

-- The mirror of the shop's products. raw is product_info as WeChat sent it; the other columns are what lists,
-- filters and searches need.
CREATE TABLE products (
    product_id    TEXT    PRIMARY KEY,
    name          TEXT    NOT NULL,
    status        INTEGER NOT NULL,
    category_id   TEXT    NOT NULL DEFAULT '',
    main_img      TEXT    NOT NULL DEFAULT '',
    min_price     INTEGER NOT NULL DEFAULT 0,
    max_price     INTEGER NOT NULL DEFAULT 0,
    total_stock   INTEGER NOT NULL DEFAULT 0,
    product_codes TEXT    NOT NULL DEFAULT '',
    -- Once a product has been on sale WeChat freezes its name, category and properties. WeChat does not say
    -- so in its answers, so the mirror remembers every time it saw or made the product go on sale.
    ever_on_sale  INTEGER NOT NULL DEFAULT 0,
    raw           TEXT    NOT NULL,
    synced_at     INTEGER NOT NULL
);
CREATE INDEX products_status_idx ON products (status, product_id);

CREATE TABLE product_skus (
    product_id   TEXT    NOT NULL REFERENCES products (product_id) ON DELETE CASCADE,
    sku_id       TEXT    NOT NULL,
    price        INTEGER NOT NULL,
    ori_price    INTEGER NOT NULL,
    quantity     INTEGER NOT NULL,
    product_code TEXT    NOT NULL DEFAULT '',
    icon_url     TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, sku_id)
);
CREATE INDEX product_skus_quantity_idx ON product_skus (quantity);

-- Images uploaded to WeChat, with a small local thumbnail so the library shows without calling WeChat.
CREATE TABLE images (
    id           INTEGER PRIMARY KEY,
    url          TEXT    NOT NULL UNIQUE,
    filename     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    bytes        INTEGER NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    thumb        BLOB    NOT NULL,
    uploaded_by  TEXT    NOT NULL,
    uploaded_at  INTEGER NOT NULL
);

-- The region list of the V1.13 manual, loaded from regions.tsv after migrating.
CREATE TABLE regions (
    id       INTEGER PRIMARY KEY,
    country  TEXT NOT NULL,
    province TEXT NOT NULL,
    city     TEXT NOT NULL,
    UNIQUE (country, province, city)
);

-- +goose Down
DROP TABLE regions;
DROP TABLE images;
DROP TABLE product_skus;
DROP TABLE products;
DROP TABLE category_cache;
