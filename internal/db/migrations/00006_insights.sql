-- +goose Up
-- The dashboard's sales figures over 100 000 orders. Paid orders are found by payment time with their status and
-- total in the same index, so the daily sums never read the table (whose rows carry the raw JSON); it covers
-- everything the plain paid_at index did, which goes.
CREATE INDEX orders_paid_sales_idx ON orders (paid_at, status, total_fen);
DROP INDEX orders_paid_idx;
-- The best sellers: each paid order's lines, with what is summed, without reading order_lines itself.
CREATE INDEX order_lines_sales_idx ON order_lines (order_pk, product_id, quantity, total_fen);

-- +goose Down
DROP INDEX order_lines_sales_idx;
CREATE INDEX orders_paid_idx ON orders (paid_at);
DROP INDEX orders_paid_sales_idx;
