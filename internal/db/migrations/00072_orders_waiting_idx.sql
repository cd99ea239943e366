-- +goose Up
-- The order page names the oldest order waiting to ship that the app can ship: per source that has couriers,
-- the first entry of this index, however many orders of other sources wait before it.
CREATE INDEX orders_status_source_created_idx ON orders (status, source, created_at, id);

-- +goose Down
DROP INDEX orders_status_source_created_idx;
