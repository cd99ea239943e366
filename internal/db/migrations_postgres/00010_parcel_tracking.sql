-- +goose Up
-- PostgreSQL's twin of migrations/00010_parcel_tracking.sql: the column is citext (00004), so a plain index
-- compares without case.
CREATE INDEX order_parcels_tracking_idx ON order_parcels (tracking_no);

-- +goose Down
DROP INDEX order_parcels_tracking_idx;
