-- +goose Up
-- PostgreSQL's twin of migrations/00006_insights.sql.
CREATE INDEX orders_paid_sales_idx ON orders (paid_at, status, total_fen);
DROP INDEX orders_paid_idx;
CREATE INDEX order_lines_sales_idx ON order_lines (order_pk, product_id, quantity, total_fen);

-- +goose Down
DROP INDEX order_lines_sales_idx;
CREATE INDEX orders_paid_idx ON orders (paid_at);
DROP INDEX orders_paid_sales_idx;
