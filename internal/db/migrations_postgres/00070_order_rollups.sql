-- +goose Up
-- PostgreSQL's twin of migrations/00070_order_rollups.sql: the dashboard's figures per Beijing day, kept by
-- triggers in the same transaction as every write of an order or of its lines.
CREATE TABLE sales_days (
    day     BIGINT NOT NULL PRIMARY KEY,
    orders  BIGINT NOT NULL DEFAULT 0,
    revenue BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE order_status_days (
    day    BIGINT NOT NULL,
    status TEXT   NOT NULL,
    n      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, status)
);
CREATE TABLE product_sales_days (
    day        BIGINT NOT NULL,
    product_id TEXT   NOT NULL,
    lines      BIGINT NOT NULL DEFAULT 0,
    units      BIGINT NOT NULL DEFAULT 0,
    revenue    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, product_id)
);

-- The orders already stored are summed once, here; goose runs a migration once, so no later start reads them.
INSERT INTO sales_days (day, orders, revenue)
SELECT (paid_at + 28800) / 86400, count(*), sum(total_fen) FROM orders
WHERE paid_at > 0 AND status <> 'cancelled' GROUP BY 1;
INSERT INTO order_status_days (day, status, n)
SELECT (created_at + 28800) / 86400, status, count(*) FROM orders GROUP BY 1, 2;
INSERT INTO product_sales_days (day, product_id, lines, units, revenue)
SELECT (o.paid_at + 28800) / 86400, l.product_id, count(*), sum(l.quantity), sum(l.total_fen)
FROM orders o JOIN order_lines l ON l.order_pk = o.id
WHERE o.paid_at > 0 AND o.status <> 'cancelled' GROUP BY 1, 2;

-- +goose StatementBegin
CREATE FUNCTION orders_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE order_status_days SET n = n - 1 WHERE day = (OLD.created_at + 28800) / 86400 AND status = OLD.status;
        IF OLD.paid_at > 0 AND OLD.status <> 'cancelled' THEN
            UPDATE sales_days SET orders = orders - 1, revenue = revenue - OLD.total_fen
                WHERE day = (OLD.paid_at + 28800) / 86400;
            UPDATE product_sales_days p SET lines = p.lines - l.lines, units = p.units - l.units, revenue = p.revenue - l.revenue
                FROM (SELECT product_id, count(*) AS lines, sum(quantity) AS units, sum(total_fen) AS revenue
                      FROM order_lines WHERE order_pk = OLD.id GROUP BY product_id) l
                WHERE p.day = (OLD.paid_at + 28800) / 86400 AND p.product_id = l.product_id;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        -- The lines' sums left with the order above; the lines' own delete, after the order's, finds no order.
        RETURN OLD;
    END IF;
    INSERT INTO order_status_days (day, status, n) VALUES ((NEW.created_at + 28800) / 86400, NEW.status, 1)
        ON CONFLICT (day, status) DO UPDATE SET n = order_status_days.n + 1;
    IF NEW.paid_at > 0 AND NEW.status <> 'cancelled' THEN
        INSERT INTO sales_days (day, orders, revenue) VALUES ((NEW.paid_at + 28800) / 86400, 1, NEW.total_fen)
            ON CONFLICT (day) DO UPDATE SET orders = sales_days.orders + 1, revenue = sales_days.revenue + excluded.revenue;
        IF TG_OP = 'UPDATE' THEN
            INSERT INTO product_sales_days (day, product_id, lines, units, revenue)
                SELECT (NEW.paid_at + 28800) / 86400, product_id, count(*), sum(quantity), sum(total_fen)
                FROM order_lines WHERE order_pk = NEW.id GROUP BY product_id
                ON CONFLICT (day, product_id) DO UPDATE SET lines = product_sales_days.lines + excluded.lines,
                    units = product_sales_days.units + excluded.units, revenue = product_sales_days.revenue + excluded.revenue;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER orders_rollup_insert AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION orders_rollup();
CREATE TRIGGER orders_rollup_update AFTER UPDATE OF created_at, status, paid_at, total_fen ON orders FOR EACH ROW
    WHEN (OLD.created_at <> NEW.created_at OR OLD.status <> NEW.status OR OLD.paid_at <> NEW.paid_at
          OR OLD.total_fen <> NEW.total_fen)
    EXECUTE FUNCTION orders_rollup();
CREATE TRIGGER orders_rollup_delete BEFORE DELETE ON orders FOR EACH ROW EXECUTE FUNCTION orders_rollup();

-- +goose StatementBegin
CREATE FUNCTION order_lines_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE product_sales_days p SET lines = p.lines - 1, units = p.units - OLD.quantity, revenue = p.revenue - OLD.total_fen
            FROM orders o
            WHERE o.id = OLD.order_pk AND o.paid_at > 0 AND o.status <> 'cancelled'
              AND p.day = (o.paid_at + 28800) / 86400 AND p.product_id = OLD.product_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO product_sales_days (day, product_id, lines, units, revenue)
            SELECT (o.paid_at + 28800) / 86400, NEW.product_id, 1, NEW.quantity, NEW.total_fen
            FROM orders o WHERE o.id = NEW.order_pk AND o.paid_at > 0 AND o.status <> 'cancelled'
            ON CONFLICT (day, product_id) DO UPDATE SET lines = product_sales_days.lines + 1,
                units = product_sales_days.units + excluded.units, revenue = product_sales_days.revenue + excluded.revenue;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER order_lines_rollup_insert AFTER INSERT ON order_lines FOR EACH ROW EXECUTE FUNCTION order_lines_rollup();
CREATE TRIGGER order_lines_rollup_update AFTER UPDATE OF order_pk, product_id, quantity, total_fen ON order_lines
    FOR EACH ROW EXECUTE FUNCTION order_lines_rollup();
CREATE TRIGGER order_lines_rollup_delete AFTER DELETE ON order_lines FOR EACH ROW EXECUTE FUNCTION order_lines_rollup();

-- +goose Down
DROP TRIGGER order_lines_rollup_delete ON order_lines;
DROP TRIGGER order_lines_rollup_update ON order_lines;
DROP TRIGGER order_lines_rollup_insert ON order_lines;
DROP FUNCTION order_lines_rollup();
DROP TRIGGER orders_rollup_delete ON orders;
DROP TRIGGER orders_rollup_update ON orders;
DROP TRIGGER orders_rollup_insert ON orders;
DROP FUNCTION orders_rollup();
DROP TABLE product_sales_days;
DROP TABLE order_status_days;
DROP TABLE sales_days;
