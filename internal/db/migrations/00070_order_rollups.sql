-- +goose Up
-- The dashboard's figures over a million orders. Summing the orders of 90 days grew with the shop; these three
-- tables keep the sums per Beijing day instead, written by triggers in the same statement (so the same
-- transaction) as every write of an order or of its lines, whichever path makes it (sync, push, shipping,
-- closing). The dashboard then adds up at most 90 rows per figure. A day is (unix time + 8 h) / 86 400: Beijing
-- has kept UTC+8 all year since 1991.
--
-- sales_days: the orders paid on each day that are not cancelled (what PaidBetween counts), and their totals.
CREATE TABLE sales_days (
    day     INTEGER NOT NULL PRIMARY KEY,
    orders  INTEGER NOT NULL DEFAULT 0,
    revenue INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- order_status_days: the orders placed on each day, per status (the dashboard's status breakdown).
CREATE TABLE order_status_days (
    day    INTEGER NOT NULL,
    status TEXT    NOT NULL,
    n      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, status)
) WITHOUT ROWID;
-- product_sales_days: per day of payment and product, the lines of the orders sales_days counts: how many
-- lines (a product with none left leaves the ranking), units and the lines' totals.
CREATE TABLE product_sales_days (
    day        INTEGER NOT NULL,
    product_id TEXT    NOT NULL,
    lines      INTEGER NOT NULL DEFAULT 0,
    units      INTEGER NOT NULL DEFAULT 0,
    revenue    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, product_id)
) WITHOUT ROWID;

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

-- An order's own figures. A change of payment or status also moves its lines between days (or in and out of
-- the sums); the writer replaces the lines after writing the order, and the lines' triggers then count under
-- the order's new day.
-- +goose StatementBegin
CREATE TRIGGER orders_rollup_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_status_days (day, status, n) VALUES ((new.created_at + 28800) / 86400, new.status, 1)
        ON CONFLICT (day, status) DO UPDATE SET n = n + 1;
    INSERT INTO sales_days (day, orders, revenue)
        SELECT (new.paid_at + 28800) / 86400, 1, new.total_fen WHERE new.paid_at > 0 AND new.status <> 'cancelled'
        ON CONFLICT (day) DO UPDATE SET orders = orders + 1, revenue = revenue + excluded.revenue;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER orders_rollup_update AFTER UPDATE OF created_at, status, paid_at, total_fen ON orders
WHEN old.created_at <> new.created_at OR old.status <> new.status OR old.paid_at <> new.paid_at
  OR old.total_fen <> new.total_fen BEGIN
    UPDATE order_status_days SET n = n - 1 WHERE day = (old.created_at + 28800) / 86400 AND status = old.status;
    INSERT INTO order_status_days (day, status, n) VALUES ((new.created_at + 28800) / 86400, new.status, 1)
        ON CONFLICT (day, status) DO UPDATE SET n = n + 1;
    UPDATE sales_days SET orders = orders - 1, revenue = revenue - old.total_fen
        WHERE day = (old.paid_at + 28800) / 86400 AND old.paid_at > 0 AND old.status <> 'cancelled';
    INSERT INTO sales_days (day, orders, revenue)
        SELECT (new.paid_at + 28800) / 86400, 1, new.total_fen WHERE new.paid_at > 0 AND new.status <> 'cancelled'
        ON CONFLICT (day) DO UPDATE SET orders = orders + 1, revenue = revenue + excluded.revenue;
    UPDATE product_sales_days SET lines = lines - (SELECT count(*) FROM order_lines l WHERE l.order_pk = new.id AND l.product_id = product_sales_days.product_id),
            units = units - (SELECT sum(l.quantity) FROM order_lines l WHERE l.order_pk = new.id AND l.product_id = product_sales_days.product_id),
            revenue = revenue - (SELECT sum(l.total_fen) FROM order_lines l WHERE l.order_pk = new.id AND l.product_id = product_sales_days.product_id)
        WHERE day = (old.paid_at + 28800) / 86400 AND old.paid_at > 0 AND old.status <> 'cancelled'
          AND product_id IN (SELECT product_id FROM order_lines WHERE order_pk = new.id);
    INSERT INTO product_sales_days (day, product_id, lines, units, revenue)
        SELECT (new.paid_at + 28800) / 86400, l.product_id, count(*), sum(l.quantity), sum(l.total_fen)
        FROM order_lines l WHERE l.order_pk = new.id AND new.paid_at > 0 AND new.status <> 'cancelled'
        GROUP BY l.product_id
        ON CONFLICT (day, product_id) DO UPDATE SET lines = lines + excluded.lines, units = units + excluded.units,
            revenue = revenue + excluded.revenue;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER orders_rollup_delete BEFORE DELETE ON orders BEGIN
    UPDATE order_status_days SET n = n - 1 WHERE day = (old.created_at + 28800) / 86400 AND status = old.status;
    UPDATE sales_days SET orders = orders - 1, revenue = revenue - old.total_fen
        WHERE day = (old.paid_at + 28800) / 86400 AND old.paid_at > 0 AND old.status <> 'cancelled';
    DELETE FROM order_lines WHERE order_pk = old.id;
END;
-- +goose StatementEnd

-- The lines' figures, under their order's day of payment while it counts.
-- +goose StatementBegin
CREATE TRIGGER order_lines_rollup_insert AFTER INSERT ON order_lines BEGIN
    INSERT INTO product_sales_days (day, product_id, lines, units, revenue)
        SELECT (o.paid_at + 28800) / 86400, new.product_id, 1, new.quantity, new.total_fen
        FROM orders o WHERE o.id = new.order_pk AND o.paid_at > 0 AND o.status <> 'cancelled'
        ON CONFLICT (day, product_id) DO UPDATE SET lines = lines + 1, units = units + excluded.units,
            revenue = revenue + excluded.revenue;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER order_lines_rollup_delete AFTER DELETE ON order_lines BEGIN
    UPDATE product_sales_days SET lines = lines - 1, units = units - old.quantity, revenue = revenue - old.total_fen
        WHERE product_id = old.product_id AND day = (
            SELECT (o.paid_at + 28800) / 86400 FROM orders o
            WHERE o.id = old.order_pk AND o.paid_at > 0 AND o.status <> 'cancelled');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER order_lines_rollup_update AFTER UPDATE OF order_pk, product_id, quantity, total_fen ON order_lines BEGIN
    UPDATE product_sales_days SET lines = lines - 1, units = units - old.quantity, revenue = revenue - old.total_fen
        WHERE product_id = old.product_id AND day = (
            SELECT (o.paid_at + 28800) / 86400 FROM orders o
            WHERE o.id = old.order_pk AND o.paid_at > 0 AND o.status <> 'cancelled');
    INSERT INTO product_sales_days (day, product_id, lines, units, revenue)
        SELECT (o.paid_at + 28800) / 86400, new.product_id, 1, new.quantity, new.total_fen
        FROM orders o WHERE o.id = new.order_pk AND o.paid_at > 0 AND o.status <> 'cancelled'
        ON CONFLICT (day, product_id) DO UPDATE SET lines = lines + 1, units = units + excluded.units,
            revenue = revenue + excluded.revenue;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER order_lines_rollup_update;
DROP TRIGGER order_lines_rollup_delete;
DROP TRIGGER order_lines_rollup_insert;
DROP TRIGGER orders_rollup_delete;
DROP TRIGGER orders_rollup_update;
DROP TRIGGER orders_rollup_insert;
DROP TABLE product_sales_days;
DROP TABLE order_status_days;
DROP TABLE sales_days;
