-- +goose Up
-- What went in a parcel, as data: each item is a product, its SKU and how many pieces. Until now a parcel kept
-- its contents as the text a person reads ("T恤 ×2，袜子 ×3") and the pieces were counted by parsing it back,
-- which a title holding "×3" fooled.
CREATE TABLE order_parcel_items (
    order_pk   INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    parcel_no  INTEGER NOT NULL,
    item_no    INTEGER NOT NULL,
    product_id TEXT    NOT NULL DEFAULT '',
    sku_id     TEXT    NOT NULL DEFAULT '',
    count      INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (order_pk, parcel_no, item_no)
);

-- The old text is read item by item from its front: the order's line whose title (the longest, when one title
-- starts another; the first, when two lines share a title) and " ×" begin what is left, then the count up to
-- the next "，". A title may hold "×" or "，" itself. Text that matches no line stops there: the next sync of
-- the order writes its parcels from WeChat again.
-- +goose StatementBegin
INSERT INTO order_parcel_items (order_pk, parcel_no, item_no, product_id, sku_id, count)
WITH RECURSIVE walk (order_pk, parcel_no, item_no, line_no, count, rest) AS (
    SELECT order_pk, parcel_no, -1, -1, 0, products FROM order_parcels WHERE products <> ''
    UNION ALL
    SELECT w.order_pk, w.parcel_no, w.item_no + 1, l.line_no,
           CAST(CASE instr(substr(w.rest, length(l.title) + 3), '，')
                WHEN 0 THEN substr(w.rest, length(l.title) + 3)
                ELSE substr(w.rest, length(l.title) + 3, instr(substr(w.rest, length(l.title) + 3), '，') - 1) END AS INTEGER),
           CASE instr(substr(w.rest, length(l.title) + 3), '，')
                WHEN 0 THEN ''
                ELSE substr(w.rest, length(l.title) + 3 + instr(substr(w.rest, length(l.title) + 3), '，')) END
    FROM walk w
    JOIN order_lines l ON l.order_pk = w.order_pk AND substr(w.rest, 1, length(l.title) + 2) = l.title || ' ×'
    WHERE w.rest <> ''
      AND NOT EXISTS (SELECT 1 FROM order_lines l2
                      WHERE l2.order_pk = w.order_pk AND substr(w.rest, 1, length(l2.title) + 2) = l2.title || ' ×'
                        AND (length(l2.title) > length(l.title) OR (l2.title = l.title AND l2.line_no < l.line_no)))
)
SELECT w.order_pk, w.parcel_no, w.item_no, l.product_id, l.sku_id, w.count
FROM walk w JOIN order_lines l ON l.order_pk = w.order_pk AND l.line_no = w.line_no
WHERE w.item_no >= 0;
-- +goose StatementEnd

ALTER TABLE order_parcels DROP COLUMN products;

-- +goose Down
ALTER TABLE order_parcels ADD COLUMN products TEXT NOT NULL DEFAULT '';
-- +goose StatementBegin
UPDATE order_parcels SET products = coalesce((
    SELECT group_concat(t, '，') FROM (
        SELECT coalesce(l.title, '') || ' ×' || i.count AS t
        FROM order_parcel_items i
        LEFT JOIN order_lines l ON l.order_pk = i.order_pk AND l.product_id = i.product_id AND l.sku_id = i.sku_id
        WHERE i.order_pk = order_parcels.order_pk AND i.parcel_no = order_parcels.parcel_no
        GROUP BY i.item_no ORDER BY i.item_no)), '');
-- +goose StatementEnd
DROP TABLE order_parcel_items;
