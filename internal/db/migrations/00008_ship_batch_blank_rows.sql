-- +goose Up
-- A shipping file made from the shipping sheet (/orders/bulk-ship/sheet.csv) lists every order waiting to ship;
-- the rows the operator left without a courier and a tracking number are not kept as rows, only counted, so the
-- preview says how many were left out.
ALTER TABLE ship_batches ADD COLUMN blank_rows INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE ship_batches DROP COLUMN blank_rows;
