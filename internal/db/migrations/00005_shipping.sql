-- +goose Up
-- A shipment asked for, by the single-use key its form carried: the same key twice ships once.
CREATE TABLE ship_requests (
    token      TEXT    PRIMARY KEY,
    order_pk   INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    outcome    TEXT    NOT NULL DEFAULT ''
);

-- A bulk-shipping file and what became of each of its rows.
CREATE TABLE ship_batches (
    id         INTEGER PRIMARY KEY,
    filename   TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    state      TEXT    NOT NULL DEFAULT 'preview' CHECK (state IN ('preview', 'running', 'done'))
);

CREATE TABLE ship_batch_rows (
    batch_id     INTEGER NOT NULL REFERENCES ship_batches (id) ON DELETE CASCADE,
    row_no       INTEGER NOT NULL,
    order_id     TEXT    NOT NULL,
    company      TEXT    NOT NULL,
    tracking_no  TEXT    NOT NULL,
    order_pk     INTEGER NOT NULL DEFAULT 0,
    company_id   TEXT    NOT NULL DEFAULT '',
    state        TEXT    NOT NULL CHECK (state IN ('valid', 'invalid', 'shipped', 'failed', 'skipped')),
    message      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (batch_id, row_no)
);

-- +goose Down
DROP TABLE ship_batch_rows;
DROP TABLE ship_batches;
DROP TABLE ship_requests;
