-- +goose Up
-- PostgreSQL's twin of migrations/00030_store_products.sql.
CREATE TABLE store_products (
    product_id   TEXT    PRIMARY KEY,
    title        TEXT    NOT NULL,
    status       INTEGER NOT NULL,
    edit_status  INTEGER NOT NULL,
    has_online   INTEGER NOT NULL DEFAULT 0,
    head_img     TEXT    NOT NULL DEFAULT '',
    min_price    BIGINT  NOT NULL DEFAULT 0,
    total_stock  BIGINT  NOT NULL DEFAULT 0,
    sku_count    BIGINT  NOT NULL DEFAULT 0,
    audit_reason TEXT    NOT NULL DEFAULT '',
    raw          TEXT    NOT NULL,
    synced_at    BIGINT  NOT NULL
);
CREATE INDEX store_products_status_idx ON store_products (status);
CREATE INDEX store_products_edit_status_idx ON store_products (edit_status);

-- +goose Down
DROP TABLE store_products;
