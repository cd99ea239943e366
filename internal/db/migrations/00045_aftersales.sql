-- +goose Up
-- The mirror of the 微信小店's after-sale orders (售后单) on Channels orders: the fields the pages filter, sort and
-- search by, and raw, the after_sale_order object as WeChat last answered it, for everything else. Times are
-- WeChat's, in Unix seconds; deadline is 0 when the current state has none. needs_merchant is 1 while the
-- after-sale waits on the merchant (the pages' first tabs and the dashboard count).
CREATE TABLE aftersales (
    id             TEXT    PRIMARY KEY,
    order_id       TEXT    NOT NULL,
    type           TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    tab            TEXT    NOT NULL,
    needs_merchant INTEGER NOT NULL DEFAULT 0,
    product_id     TEXT    NOT NULL DEFAULT '',
    sku_id         TEXT    NOT NULL DEFAULT '',
    amount_fen     INTEGER NOT NULL DEFAULT 0,
    buyer_phone    TEXT    NOT NULL DEFAULT '',
    deadline       INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL DEFAULT 0,
    updated_at     INTEGER NOT NULL DEFAULT 0,
    raw            TEXT    NOT NULL,
    synced_at      INTEGER NOT NULL
);
CREATE INDEX aftersales_tab_idx ON aftersales (tab, deadline);
CREATE INDEX aftersales_order_idx ON aftersales (order_id);
CREATE INDEX aftersales_phone_idx ON aftersales (buyer_phone);
CREATE INDEX aftersales_waiting_idx ON aftersales (needs_merchant, deadline);

-- What happened to each after-sale, oldest first: a status the mirror saw change, an action of the merchant with
-- WeChat's answer. refund_at marks the actions that started a refund, for the rule of one refund per order per
-- minute.
CREATE TABLE aftersale_events (
    id           INTEGER PRIMARY KEY,
    aftersale_id TEXT    NOT NULL,
    order_id     TEXT    NOT NULL DEFAULT '',
    at           INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT '',
    username     TEXT    NOT NULL DEFAULT '',
    detail       TEXT    NOT NULL DEFAULT '',
    outcome      TEXT    NOT NULL DEFAULT '',
    refund_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX aftersale_events_aftersale_idx ON aftersale_events (aftersale_id, id);
CREATE INDEX aftersale_events_refund_idx ON aftersale_events (order_id, refund_at);

-- +goose Down
DROP TABLE aftersale_events;
DROP TABLE aftersales;
