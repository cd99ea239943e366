-- +goose Up
-- The audit log is filtered by who and by what (/audit): each filter reads its entries newest first from an
-- index instead of the whole log, which grows by an entry for every parcel shipped. The list of people to
-- choose from is read from the first index alone.
CREATE INDEX audit_log_user_idx ON audit_log (username, id);
CREATE INDEX audit_log_action_idx ON audit_log (action, id);

-- +goose Down
DROP INDEX audit_log_action_idx;
DROP INDEX audit_log_user_idx;
