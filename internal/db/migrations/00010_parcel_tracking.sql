-- +goose Up
-- The order list's search finds an order by a parcel's tracking number (a buyer calls with it), in any case as
-- typed: couriers print them in capitals, people type them as they come.
CREATE INDEX order_parcels_tracking_idx ON order_parcels (tracking_no COLLATE NOCASE);

-- +goose Down
DROP INDEX order_parcels_tracking_idx;
