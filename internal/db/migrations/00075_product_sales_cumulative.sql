-- +goose Up
-- The dashboard's product ranking without adding up every day of every product. product_sales_days
-- (migration 00070) holds per day of payment and product the lines, units and revenue; the ranking of 30 days
-- summed 30 rows a product, half the cost of a rendered dashboard. product_sales_cum holds, at each of those
-- rows, the product's sums over all days up to and including it; a period's sums are the difference of two
-- such rows (the product's last row before the period's end and its last before its start), two lookups a
-- product whatever the period's length. product_sales_products lists the products to look up.
CREATE TABLE product_sales_cum (
    product_id TEXT    NOT NULL,
    day        INTEGER NOT NULL,
    lines      INTEGER NOT NULL DEFAULT 0,
    units      INTEGER NOT NULL DEFAULT 0,
    revenue    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, day)
) WITHOUT ROWID;
CREATE TABLE product_sales_products (
    product_id TEXT NOT NULL PRIMARY KEY
) WITHOUT ROWID;

-- The days already summed, once, by one statement each.
INSERT INTO product_sales_cum (product_id, day, lines, units, revenue)
SELECT product_id, day, sum(lines) OVER w, sum(units) OVER w, sum(revenue) OVER w FROM product_sales_days
WINDOW w AS (PARTITION BY product_id ORDER BY day);
INSERT INTO product_sales_products (product_id) SELECT DISTINCT product_id FROM product_sales_days;

-- Then triggers on product_sales_days, in the same statement as the write of the order or line that moved it
-- (its own triggers fire these). A change to a day adds to the product's rows from that day on: most writes
-- are of today's payments, whose day is the product's last.
-- +goose StatementBegin
CREATE TRIGGER product_sales_days_cum_insert AFTER INSERT ON product_sales_days BEGIN
    INSERT INTO product_sales_products (product_id) SELECT new.product_id
        WHERE NOT EXISTS (SELECT 1 FROM product_sales_products WHERE product_id = new.product_id);
    INSERT INTO product_sales_cum (product_id, day, lines, units, revenue) VALUES (new.product_id, new.day,
        COALESCE((SELECT lines FROM product_sales_cum WHERE product_id = new.product_id AND day < new.day ORDER BY day DESC LIMIT 1), 0),
        COALESCE((SELECT units FROM product_sales_cum WHERE product_id = new.product_id AND day < new.day ORDER BY day DESC LIMIT 1), 0),
        COALESCE((SELECT revenue FROM product_sales_cum WHERE product_id = new.product_id AND day < new.day ORDER BY day DESC LIMIT 1), 0));
    UPDATE product_sales_cum SET lines = lines + new.lines, units = units + new.units, revenue = revenue + new.revenue
        WHERE product_id = new.product_id AND day >= new.day;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER product_sales_days_cum_update AFTER UPDATE OF lines, units, revenue ON product_sales_days
WHEN old.lines <> new.lines OR old.units <> new.units OR old.revenue <> new.revenue BEGIN
    UPDATE product_sales_cum SET lines = lines + new.lines - old.lines, units = units + new.units - old.units,
        revenue = revenue + new.revenue - old.revenue
        WHERE product_id = new.product_id AND day >= new.day;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER product_sales_days_cum_delete AFTER DELETE ON product_sales_days BEGIN
    UPDATE product_sales_cum SET lines = lines - old.lines, units = units - old.units, revenue = revenue - old.revenue
        WHERE product_id = old.product_id AND day > old.day;
    DELETE FROM product_sales_cum WHERE product_id = old.product_id AND day = old.day;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER product_sales_days_cum_delete;
DROP TRIGGER product_sales_days_cum_update;
DROP TRIGGER product_sales_days_cum_insert;
DROP TABLE product_sales_products;
DROP TABLE product_sales_cum;
