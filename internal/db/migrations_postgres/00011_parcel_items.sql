-- +goose Up
-- PostgreSQL's twin of migrations/00011_parcel_items.sql. A PostgreSQL database has this migration from its
-- first start (PostgreSQL support came after it), so there are no parcels whose contents are still text to read
-- back: the table is made and the old column dropped.
CREATE TABLE order_parcel_items (
    order_pk   BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    parcel_no  BIGINT NOT NULL,
    item_no    BIGINT NOT NULL,
    product_id TEXT   NOT NULL DEFAULT '',
    sku_id     TEXT   NOT NULL DEFAULT '',
    count      BIGINT NOT NULL CHECK (count >= 0),
    PRIMARY KEY (order_pk, parcel_no, item_no)
);
ALTER TABLE order_parcels DROP COLUMN products;

-- +goose Down
ALTER TABLE order_parcels ADD COLUMN products TEXT NOT NULL DEFAULT '';
DROP TABLE order_parcel_items;
