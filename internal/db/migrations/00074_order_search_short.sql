-- +goose Up
-- Searches whose cost does not follow the whole table (docs/performance.md, "Search"). A fragment shorter than
-- three characters escapes order_search's trigram index, so it was a LIKE over every row; and a fragment of a
-- product's title matches every order of that product, so the tabs' counts and the sort read every match.
--
-- A search matches orders.product_names, the titles of an order's lines joined by spaces; a fragment without
-- a space is in those names exactly when it is in one of the titles. A shop sells a few hundred products, so
-- the titles are few: such a fragment is matched against line_titles with the LIKE the search always used, and
-- the orders come from there.
--
-- line_titles: every distinct title of an order line. A title no line has any more stays, harmless.
CREATE TABLE line_titles (
    id    INTEGER PRIMARY KEY,
    title TEXT NOT NULL
);
CREATE UNIQUE INDEX line_titles_title_idx ON line_titles (title);
-- order_titles: each order under each of its titles, with what a page of a search sorts and filters by, so
-- that a page of the orders of a few titles is read from the ends of their index ranges, not from all of them.
CREATE TABLE order_titles (
    title_id   INTEGER NOT NULL,
    order_pk   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    status     TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    PRIMARY KEY (title_id, order_pk)
) WITHOUT ROWID;
CREATE INDEX order_titles_created_idx ON order_titles (title_id, created_at, order_pk);
CREATE INDEX order_titles_status_idx ON order_titles (title_id, status, created_at, order_pk);
-- product_name_sets: every distinct orders.product_names, and name_set_counts how many orders of each source are
-- in each status per set. An order has one set, so adding up the counts of the sets that hold the fragment's
-- titles (name_set_titles) counts each order once, however many of its lines match: the tabs of a search.
CREATE TABLE product_name_sets (
    id    INTEGER PRIMARY KEY,
    names TEXT NOT NULL
);
CREATE UNIQUE INDEX product_name_sets_names_idx ON product_name_sets (names);
CREATE TABLE name_set_counts (
    names_set INTEGER NOT NULL,
    source    TEXT    NOT NULL,
    status    TEXT    NOT NULL,
    n         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (names_set, source, status)
) WITHOUT ROWID;
CREATE TABLE name_set_titles (
    title_id  INTEGER NOT NULL,
    names_set INTEGER NOT NULL,
    PRIMARY KEY (title_id, names_set)
) WITHOUT ROWID;
-- receiver_name_grams: each distinct receiver name under every one- and two-character piece of it, in lower
-- case as LIKE compares (ASCII only): a fragment of one or two characters is one lookup here, then the orders of
-- those names through orders_receiver_idx. A name no order has any more stays, harmless.
CREATE TABLE receiver_name_grams (
    gram TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (gram, name)
) WITHOUT ROWID;

-- The orders already stored, once, each table by one statement (goose runs a migration once; no later start
-- reads them).
INSERT INTO line_titles (title) SELECT DISTINCT title FROM order_lines;
INSERT INTO order_titles (title_id, order_pk, created_at, status, source)
SELECT DISTINCT t.id, o.id, o.created_at, o.status, o.source
FROM order_lines l JOIN line_titles t ON t.title = l.title JOIN orders o ON o.id = l.order_pk;
INSERT INTO product_name_sets (names) SELECT DISTINCT product_names FROM orders;
INSERT INTO name_set_counts (names_set, source, status, n)
SELECT s.id, o.source, o.status, count(*) FROM orders o JOIN product_name_sets s ON s.names = o.product_names
GROUP BY s.id, o.source, o.status;
INSERT INTO name_set_titles (title_id, names_set)
SELECT DISTINCT t.id, s.id
FROM order_lines l JOIN line_titles t ON t.title = l.title JOIN orders o ON o.id = l.order_pk
JOIN product_name_sets s ON s.names = o.product_names;
WITH RECURSIVE names (name) AS (SELECT DISTINCT receiver_name FROM orders WHERE receiver_name <> ''),
pos (name, i) AS (SELECT name, 1 FROM names UNION ALL SELECT name, i + 1 FROM pos WHERE i < length(name))
INSERT OR IGNORE INTO receiver_name_grams (gram, name)
SELECT lower(substr(name, i, 1)), name FROM pos
UNION ALL SELECT lower(substr(name, i, 2)), name FROM pos WHERE i < length(name);

-- From here on, triggers keep the titles and sets in the same statement as every write of an order or of its
-- lines (the writer writes an order, then its lines). A new title or set is added where none is, not by
-- INSERT OR IGNORE: a trigger's OR IGNORE gives way to the conflict clause of the statement that fired it.
-- The receiver names' pieces are written by the orders' writer at the end of its transaction, from
-- order_search_stale (migration 00007), as a set: a trigger cannot cut a name into pieces without a recursive
-- query, which SQLite's triggers lack.
-- +goose StatementBegin
CREATE TRIGGER orders_name_set_insert AFTER INSERT ON orders BEGIN
    INSERT INTO product_name_sets (names) SELECT new.product_names
        WHERE NOT EXISTS (SELECT 1 FROM product_name_sets WHERE names = new.product_names);
    INSERT INTO name_set_counts (names_set, source, status, n)
        SELECT id, new.source, new.status, 1 FROM product_name_sets WHERE names = new.product_names
        ON CONFLICT (names_set, source, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER orders_name_set_update AFTER UPDATE OF product_names, source, status ON orders
WHEN old.product_names <> new.product_names OR old.source <> new.source OR old.status <> new.status BEGIN
    UPDATE name_set_counts SET n = n - 1
        WHERE names_set = (SELECT id FROM product_name_sets WHERE names = old.product_names)
          AND source = old.source AND status = old.status;
    INSERT INTO product_name_sets (names) SELECT new.product_names
        WHERE NOT EXISTS (SELECT 1 FROM product_name_sets WHERE names = new.product_names);
    INSERT INTO name_set_counts (names_set, source, status, n)
        SELECT id, new.source, new.status, 1 FROM product_name_sets WHERE names = new.product_names
        ON CONFLICT (names_set, source, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER orders_name_set_delete AFTER DELETE ON orders BEGIN
    UPDATE name_set_counts SET n = n - 1
        WHERE names_set = (SELECT id FROM product_name_sets WHERE names = old.product_names)
          AND source = old.source AND status = old.status;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER orders_titles_update AFTER UPDATE OF created_at, status, source ON orders
WHEN old.created_at <> new.created_at OR old.status <> new.status OR old.source <> new.source BEGIN
    UPDATE order_titles SET created_at = new.created_at, status = new.status, source = new.source
        WHERE order_pk = new.id
          AND title_id IN (SELECT t.id FROM order_lines l JOIN line_titles t ON t.title = l.title WHERE l.order_pk = new.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER order_lines_title_insert AFTER INSERT ON order_lines BEGIN
    INSERT INTO line_titles (title) SELECT new.title WHERE NOT EXISTS (SELECT 1 FROM line_titles WHERE title = new.title);
    INSERT INTO order_titles (title_id, order_pk, created_at, status, source)
        SELECT t.id, o.id, o.created_at, o.status, o.source FROM line_titles t, orders o
        WHERE t.title = new.title AND o.id = new.order_pk
          AND NOT EXISTS (SELECT 1 FROM order_titles r WHERE r.title_id = t.id AND r.order_pk = o.id);
    INSERT INTO name_set_titles (title_id, names_set)
        SELECT t.id, s.id FROM line_titles t, orders o, product_name_sets s
        WHERE t.title = new.title AND o.id = new.order_pk AND s.names = o.product_names
          AND NOT EXISTS (SELECT 1 FROM name_set_titles n WHERE n.title_id = t.id AND n.names_set = s.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER order_lines_title_delete AFTER DELETE ON order_lines BEGIN
    DELETE FROM order_titles WHERE order_pk = old.order_pk
        AND title_id = (SELECT id FROM line_titles WHERE title = old.title)
        AND NOT EXISTS (SELECT 1 FROM order_lines WHERE order_pk = old.order_pk AND title = old.title);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER order_lines_title_update AFTER UPDATE OF order_pk, title ON order_lines
WHEN old.order_pk <> new.order_pk OR old.title <> new.title BEGIN
    DELETE FROM order_titles WHERE order_pk = old.order_pk
        AND title_id = (SELECT id FROM line_titles WHERE title = old.title)
        AND NOT EXISTS (SELECT 1 FROM order_lines WHERE order_pk = old.order_pk AND title = old.title);
    INSERT INTO line_titles (title) SELECT new.title WHERE NOT EXISTS (SELECT 1 FROM line_titles WHERE title = new.title);
    INSERT INTO order_titles (title_id, order_pk, created_at, status, source)
        SELECT t.id, o.id, o.created_at, o.status, o.source FROM line_titles t, orders o
        WHERE t.title = new.title AND o.id = new.order_pk
          AND NOT EXISTS (SELECT 1 FROM order_titles r WHERE r.title_id = t.id AND r.order_pk = o.id);
    INSERT INTO name_set_titles (title_id, names_set)
        SELECT t.id, s.id FROM line_titles t, orders o, product_name_sets s
        WHERE t.title = new.title AND o.id = new.order_pk AND s.names = o.product_names
          AND NOT EXISTS (SELECT 1 FROM name_set_titles n WHERE n.title_id = t.id AND n.names_set = s.id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER order_lines_title_update;
DROP TRIGGER order_lines_title_delete;
DROP TRIGGER order_lines_title_insert;
DROP TRIGGER orders_titles_update;
DROP TRIGGER orders_name_set_delete;
DROP TRIGGER orders_name_set_update;
DROP TRIGGER orders_name_set_insert;
DROP TABLE receiver_name_grams;
DROP TABLE name_set_titles;
DROP TABLE name_set_counts;
DROP TABLE product_name_sets;
DROP TABLE order_titles;
DROP TABLE line_titles;
