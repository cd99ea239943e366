-- +goose Up
-- The courier each person chose last per order source, for the ship form: kept by triggers on audit_log as
-- each successful order.ship entry is written (the detail's first word is the courier's id), so the order page
-- reads one row instead of walking back through that person's audit entries. audit_id keeps the newest entry's
-- choice when entries finish out of order. Filled once from the order.ship entries (audit_log_action_idx).
CREATE TABLE courier_choices (
    username TEXT    NOT NULL,
    source   TEXT    NOT NULL,
    company  TEXT    NOT NULL,
    audit_id INTEGER NOT NULL,
    PRIMARY KEY (username, source)
) WITHOUT ROWID;

INSERT INTO courier_choices (username, source, company, audit_id)
SELECT username, substr(object_id, 1, instr(object_id, ':') - 1),
       CASE WHEN instr(detail, ' ') > 0 THEN substr(detail, 1, instr(detail, ' ') - 1) ELSE detail END, max(id)
  FROM audit_log
 WHERE action = 'order.ship' AND outcome = 'ok' AND instr(object_id, ':') > 0
 GROUP BY username, substr(object_id, 1, instr(object_id, ':') - 1);

-- +goose StatementBegin
CREATE TRIGGER audit_log_courier_insert AFTER INSERT ON audit_log
WHEN NEW.action = 'order.ship' AND NEW.outcome = 'ok' AND instr(NEW.object_id, ':') > 0
BEGIN
    INSERT INTO courier_choices (username, source, company, audit_id)
    VALUES (NEW.username, substr(NEW.object_id, 1, instr(NEW.object_id, ':') - 1),
            CASE WHEN instr(NEW.detail, ' ') > 0 THEN substr(NEW.detail, 1, instr(NEW.detail, ' ') - 1) ELSE NEW.detail END, NEW.id)
    ON CONFLICT (username, source) DO UPDATE SET company = excluded.company, audit_id = excluded.audit_id
     WHERE excluded.audit_id > courier_choices.audit_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_log_courier_update AFTER UPDATE ON audit_log
WHEN NEW.action = 'order.ship' AND NEW.outcome = 'ok' AND instr(NEW.object_id, ':') > 0
BEGIN
    INSERT INTO courier_choices (username, source, company, audit_id)
    VALUES (NEW.username, substr(NEW.object_id, 1, instr(NEW.object_id, ':') - 1),
            CASE WHEN instr(NEW.detail, ' ') > 0 THEN substr(NEW.detail, 1, instr(NEW.detail, ' ') - 1) ELSE NEW.detail END, NEW.id)
    ON CONFLICT (username, source) DO UPDATE SET company = excluded.company, audit_id = excluded.audit_id
     WHERE excluded.audit_id >= courier_choices.audit_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_log_courier_update;
DROP TRIGGER audit_log_courier_insert;
DROP TABLE courier_choices;
