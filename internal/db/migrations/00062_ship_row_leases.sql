-- +goose Up
-- A bulk-shipping row is claimed by one server at a time for a while (its lease), renewed while the row is on its
-- way: a server that dies leaves its rows to be taken again once their leases run out. attempts counts the
-- claims: a row claimed before was perhaps sent already, so the next claimer reads the order back first.
ALTER TABLE ship_batch_rows ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE ship_batch_rows ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0; -- unix milliseconds
ALTER TABLE ship_batch_rows ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE ship_batch_rows DROP COLUMN attempts;
ALTER TABLE ship_batch_rows DROP COLUMN lease_until;
ALTER TABLE ship_batch_rows DROP COLUMN lease_owner;
