-- +goose Up
-- PostgreSQL's twin of migrations/00009_audit_filters.sql.
CREATE INDEX audit_log_user_idx ON audit_log (username, id);
CREATE INDEX audit_log_action_idx ON audit_log (action, id);

-- +goose Down
DROP INDEX audit_log_action_idx;
DROP INDEX audit_log_user_idx;
