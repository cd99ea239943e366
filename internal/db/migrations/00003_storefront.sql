-- +goose Up
-- Mirrors of the shop's postage templates, groups and shelves. raw is the object as WeChat describes it.
CREATE TABLE postage_templates (
    template_id INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    raw         TEXT    NOT NULL,
    synced_at   INTEGER NOT NULL
);

CREATE TABLE product_groups (
    group_id  INTEGER PRIMARY KEY,
    name      TEXT    NOT NULL,
    synced_at INTEGER NOT NULL
);

-- No foreign key to products: a group may name a product the mirror has not synced yet.
CREATE TABLE group_products (
    group_id   INTEGER NOT NULL REFERENCES product_groups (group_id) ON DELETE CASCADE,
    product_id TEXT    NOT NULL,
    PRIMARY KEY (group_id, product_id)
);
CREATE INDEX group_products_product_idx ON group_products (product_id);

CREATE TABLE shelves (
    shelf_id  INTEGER PRIMARY KEY,
    name      TEXT    NOT NULL,
    banner    TEXT    NOT NULL DEFAULT '',
    raw       TEXT    NOT NULL,
    synced_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE shelves;
DROP TABLE group_products;
DROP TABLE product_groups;
DROP TABLE postage_templates;
