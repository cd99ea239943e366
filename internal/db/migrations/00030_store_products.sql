-- +goose Up
-- The mirror of a 微信小店's products (/channels/ec/product/*). Every product has a draft (edit_status) and,
-- once it passed audit and was listed, an online copy (status). raw is product/get's answer with data_type 3
-- as WeChat sent it; the columns are what the list, its tabs and its search need.
CREATE TABLE store_products (
    product_id   TEXT    PRIMARY KEY,
    title        TEXT    NOT NULL,
    status       INTEGER NOT NULL,          -- online state; 0 while never listed
    edit_status  INTEGER NOT NULL,          -- draft state
    has_online   INTEGER NOT NULL DEFAULT 0,
    head_img     TEXT    NOT NULL DEFAULT '',
    min_price    INTEGER NOT NULL DEFAULT 0, -- fen, of the online copy when there is one, else of the draft
    total_stock  INTEGER NOT NULL DEFAULT 0,
    sku_count    INTEGER NOT NULL DEFAULT 0,
    audit_reason TEXT    NOT NULL DEFAULT '',
    raw          TEXT    NOT NULL,
    synced_at    INTEGER NOT NULL
);
CREATE INDEX store_products_status_idx ON store_products (status);
CREATE INDEX store_products_edit_status_idx ON store_products (edit_status);

-- +goose Down
DROP TABLE store_products;
