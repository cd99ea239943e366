-- +goose Up
-- PostgreSQL's twin of migrations/00007_order_search_counts.sql. order_counts is kept by triggers as in SQLite.
-- The search needs no table of its own: pg_trgm indexes the two columns of orders themselves, and ILIKE finds a
-- fragment of any length through them (SQLite's FTS5 trigram table, order_search, has no twin here).
CREATE TABLE order_counts (
    source TEXT   NOT NULL,
    status TEXT   NOT NULL,
    n      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (source, status)
);
INSERT INTO order_counts (source, status, n)
SELECT src.s, st.s, (SELECT count(*) FROM orders WHERE source = src.s AND status = st.s)
FROM (VALUES ('merchant'), ('shop'), ('channels'), ('partner')) AS src (s),
     (VALUES ('topay'), ('toship'), ('partial'), ('shipped'), ('done'), ('aftersale'), ('cancelled')) AS st (s);

-- +goose StatementBegin
CREATE FUNCTION orders_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE order_counts SET n = n - 1 WHERE source = OLD.source AND status = OLD.status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE order_counts SET n = n + 1 WHERE source = NEW.source AND status = NEW.status;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER orders_count_insert AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION orders_count();
CREATE TRIGGER orders_count_update AFTER UPDATE OF source, status ON orders FOR EACH ROW
    WHEN (OLD.source IS DISTINCT FROM NEW.source OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION orders_count();
CREATE TRIGGER orders_count_delete AFTER DELETE ON orders FOR EACH ROW EXECUTE FUNCTION orders_count();

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX orders_receiver_trgm_idx ON orders USING gin (receiver_name gin_trgm_ops);
CREATE INDEX orders_products_trgm_idx ON orders USING gin (product_names gin_trgm_ops);

-- +goose Down
DROP INDEX orders_products_trgm_idx;
DROP INDEX orders_receiver_trgm_idx;
DROP TRIGGER orders_count_delete ON orders;
DROP TRIGGER orders_count_update ON orders;
DROP TRIGGER orders_count_insert ON orders;
DROP FUNCTION orders_count();
DROP TABLE order_counts;
