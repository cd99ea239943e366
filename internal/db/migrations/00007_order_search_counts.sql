-- +goose Up
-- The order list over 100 000 orders (make bench). Two things it did by reading the whole table, whose rows carry
-- the raw JSON, are kept ready instead, by triggers, so that every writer keeps them right:
--
-- order_counts: how many orders each source has in each status. The dashboard's and the list's tabs, and the
-- list's total when it is filtered by status or source only, read these 28 rows instead of counting.
CREATE TABLE order_counts (
    source TEXT    NOT NULL,
    status TEXT    NOT NULL,
    n      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, status)
) WITHOUT ROWID;
INSERT INTO order_counts (source, status, n)
SELECT src.s, st.s, (SELECT count(*) FROM orders WHERE source = src.s AND status = st.s)
FROM (SELECT 'merchant' AS s UNION ALL SELECT 'shop' UNION ALL SELECT 'channels' UNION ALL SELECT 'partner') AS src,
     (SELECT 'topay' AS s UNION ALL SELECT 'toship' UNION ALL SELECT 'partial' UNION ALL SELECT 'shipped'
      UNION ALL SELECT 'done' UNION ALL SELECT 'aftersale' UNION ALL SELECT 'cancelled') AS st;

-- +goose StatementBegin
CREATE TRIGGER orders_count_insert AFTER INSERT ON orders BEGIN
    UPDATE order_counts SET n = n + 1 WHERE source = new.source AND status = new.status;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER orders_count_update AFTER UPDATE OF source, status ON orders
WHEN old.source IS NOT new.source OR old.status IS NOT new.status BEGIN
    UPDATE order_counts SET n = n - 1 WHERE source = old.source AND status = old.status;
    UPDATE order_counts SET n = n + 1 WHERE source = new.source AND status = new.status;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER orders_count_delete AFTER DELETE ON orders BEGIN
    UPDATE order_counts SET n = n - 1 WHERE source = old.source AND status = old.status;
END;
-- +goose StatementEnd

-- order_search: the receiver's name and the products of each order under a trigram index, so that a search
-- for a fragment of three characters or more (a phone number, a product's name, a three-character name) is
-- an index lookup rather than a LIKE over every order. Shorter fragments scan this narrow table instead.
--
-- FTS5 writes out its pending index data at every statement that writes to it inside a transaction, so a
-- trigger writing it for each order made a sync of 1 000 orders write 1 000 tiny index segments. The
-- triggers only note which orders are new or renamed, in order_search_stale; the statements that write
-- orders (db.orderWriter, the only writer) bring order_search up to date from it with two statements at the
-- end of their transaction, and empty it.
CREATE VIRTUAL TABLE order_search USING fts5(receiver_name, product_names, tokenize = 'trigram');
INSERT INTO order_search (rowid, receiver_name, product_names) SELECT id, receiver_name, product_names FROM orders;
CREATE TABLE order_search_stale (id INTEGER PRIMARY KEY);

-- +goose StatementBegin
CREATE TRIGGER orders_search_insert AFTER INSERT ON orders BEGIN
    INSERT OR IGNORE INTO order_search_stale (id) VALUES (new.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER orders_search_update AFTER UPDATE OF receiver_name, product_names ON orders
WHEN old.receiver_name IS NOT new.receiver_name OR old.product_names IS NOT new.product_names BEGIN
    INSERT OR IGNORE INTO order_search_stale (id) VALUES (new.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER orders_search_delete AFTER DELETE ON orders BEGIN
    DELETE FROM order_search WHERE rowid = old.id;
    DELETE FROM order_search_stale WHERE id = old.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER orders_search_delete;
DROP TRIGGER orders_search_update;
DROP TRIGGER orders_search_insert;
DROP TABLE order_search_stale;
DROP TABLE order_search;
DROP TRIGGER orders_count_delete;
DROP TRIGGER orders_count_update;
DROP TRIGGER orders_count_insert;
DROP TABLE order_counts;
