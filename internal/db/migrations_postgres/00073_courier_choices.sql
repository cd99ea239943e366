-- +goose Up
-- The courier each person chose last per order source, for the ship form: kept by a trigger on audit_log as
-- each successful order.ship entry is written (the detail's first word is the courier's id), so the order page
-- reads one row instead of walking back through that person's audit entries. audit_id keeps the newest entry's
-- choice when entries finish out of order. Filled once from the order.ship entries.
CREATE TABLE courier_choices (
    username TEXT   NOT NULL,
    source   TEXT   NOT NULL,
    company  TEXT   NOT NULL,
    audit_id BIGINT NOT NULL,
    PRIMARY KEY (username, source)
);

INSERT INTO courier_choices (username, source, company, audit_id)
SELECT DISTINCT ON (username, split_part(object_id, ':', 1)) username, split_part(object_id, ':', 1), split_part(detail, ' ', 1), id
  FROM audit_log
 WHERE action = 'order.ship' AND outcome = 'ok' AND strpos(object_id, ':') > 0
 ORDER BY username, split_part(object_id, ':', 1), id DESC;

-- +goose StatementBegin
CREATE FUNCTION courier_choice_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.action = 'order.ship' AND NEW.outcome = 'ok' AND strpos(NEW.object_id, ':') > 0 THEN
        INSERT INTO courier_choices AS c (username, source, company, audit_id)
        VALUES (NEW.username, split_part(NEW.object_id, ':', 1), split_part(NEW.detail, ' ', 1), NEW.id)
        ON CONFLICT (username, source) DO UPDATE SET company = EXCLUDED.company, audit_id = EXCLUDED.audit_id
         WHERE EXCLUDED.audit_id >= c.audit_id;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_courier AFTER INSERT OR UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION courier_choice_note();

-- +goose Down
DROP TRIGGER audit_log_courier ON audit_log;
DROP FUNCTION courier_choice_note();
DROP TABLE courier_choices;
