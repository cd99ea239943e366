-- +goose Up
-- PostgreSQL's twin of the Go migration 20 (migrate_unknown_status.go): an order's status may be 'unknown'.
-- PostgreSQL alters the CHECK constraint directly.
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('topay', 'toship', 'partial', 'shipped', 'done', 'aftersale', 'cancelled', 'unknown'));
INSERT INTO order_counts (source, status, n)
SELECT s, 'unknown', 0 FROM (VALUES ('merchant'), ('shop'), ('channels'), ('partner')) AS src (s)
ON CONFLICT DO NOTHING;

-- +goose Down
DELETE FROM order_counts WHERE status = 'unknown';
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('topay', 'toship', 'partial', 'shipped', 'done', 'aftersale', 'cancelled'));
