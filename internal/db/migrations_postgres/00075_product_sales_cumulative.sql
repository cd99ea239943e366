-- +goose Up
-- PostgreSQL's twin of migrations/00075_product_sales_cumulative.sql: per product, the sums of product_sales_days
-- over every day up to each of its rows, so that a period's ranking is two lookups a product.
CREATE TABLE product_sales_cum (
    product_id TEXT   NOT NULL,
    day        BIGINT NOT NULL,
    lines      BIGINT NOT NULL DEFAULT 0,
    units      BIGINT NOT NULL DEFAULT 0,
    revenue    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, day)
);
CREATE TABLE product_sales_products (
    product_id TEXT NOT NULL PRIMARY KEY
);

INSERT INTO product_sales_cum (product_id, day, lines, units, revenue)
SELECT product_id, day, sum(lines) OVER w, sum(units) OVER w, sum(revenue) OVER w FROM product_sales_days
WINDOW w AS (PARTITION BY product_id ORDER BY day);
INSERT INTO product_sales_products (product_id) SELECT DISTINCT product_id FROM product_sales_days;

-- +goose StatementBegin
CREATE FUNCTION product_sales_days_cum() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO product_sales_products (product_id) VALUES (NEW.product_id) ON CONFLICT DO NOTHING;
        INSERT INTO product_sales_cum (product_id, day, lines, units, revenue)
            SELECT NEW.product_id, NEW.day, COALESCE(c.lines, 0), COALESCE(c.units, 0), COALESCE(c.revenue, 0)
            FROM (SELECT 1) AS one
            LEFT JOIN LATERAL (SELECT lines, units, revenue FROM product_sales_cum
                               WHERE product_id = NEW.product_id AND day < NEW.day ORDER BY day DESC LIMIT 1) c ON true;
        UPDATE product_sales_cum SET lines = lines + NEW.lines, units = units + NEW.units, revenue = revenue + NEW.revenue
            WHERE product_id = NEW.product_id AND day >= NEW.day;
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE product_sales_cum SET lines = lines + NEW.lines - OLD.lines, units = units + NEW.units - OLD.units,
            revenue = revenue + NEW.revenue - OLD.revenue
            WHERE product_id = NEW.product_id AND day >= NEW.day;
    ELSE
        UPDATE product_sales_cum SET lines = lines - OLD.lines, units = units - OLD.units, revenue = revenue - OLD.revenue
            WHERE product_id = OLD.product_id AND day > OLD.day;
        DELETE FROM product_sales_cum WHERE product_id = OLD.product_id AND day = OLD.day;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER product_sales_days_cum_insert AFTER INSERT ON product_sales_days FOR EACH ROW
    EXECUTE FUNCTION product_sales_days_cum();
CREATE TRIGGER product_sales_days_cum_update AFTER UPDATE OF lines, units, revenue ON product_sales_days FOR EACH ROW
    WHEN (OLD.lines <> NEW.lines OR OLD.units <> NEW.units OR OLD.revenue <> NEW.revenue)
    EXECUTE FUNCTION product_sales_days_cum();
CREATE TRIGGER product_sales_days_cum_delete AFTER DELETE ON product_sales_days FOR EACH ROW
    EXECUTE FUNCTION product_sales_days_cum();

-- +goose Down
DROP TRIGGER product_sales_days_cum_delete ON product_sales_days;
DROP TRIGGER product_sales_days_cum_update ON product_sales_days;
DROP TRIGGER product_sales_days_cum_insert ON product_sales_days;
DROP FUNCTION product_sales_days_cum();
DROP TABLE product_sales_products;
DROP TABLE product_sales_cum;
