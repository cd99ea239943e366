-- +goose Up
-- WeChat's answers are kept byte for byte, and PostgreSQL's text holds neither a NUL nor bytes that are not
-- UTF-8, which an answer may carry (a nickname cut in the middle of a character): the raw JSON is bytea here.
-- (SQLite's text holds any bytes.) The text columns get the answer's fields made valid (db/pgdriver.go).
ALTER TABLE products          ALTER COLUMN raw TYPE BYTEA USING convert_to(raw, 'UTF8');
ALTER TABLE postage_templates ALTER COLUMN raw TYPE BYTEA USING convert_to(raw, 'UTF8');
ALTER TABLE shelves           ALTER COLUMN raw TYPE BYTEA USING convert_to(raw, 'UTF8');
ALTER TABLE orders            ALTER COLUMN raw TYPE BYTEA USING convert_to(raw, 'UTF8');
ALTER TABLE store_products    ALTER COLUMN raw TYPE BYTEA USING convert_to(raw, 'UTF8');
ALTER TABLE aftersales        ALTER COLUMN raw TYPE BYTEA USING convert_to(raw, 'UTF8');

-- +goose Down
ALTER TABLE products          ALTER COLUMN raw TYPE TEXT USING convert_from(raw, 'UTF8');
ALTER TABLE postage_templates ALTER COLUMN raw TYPE TEXT USING convert_from(raw, 'UTF8');
ALTER TABLE shelves           ALTER COLUMN raw TYPE TEXT USING convert_from(raw, 'UTF8');
ALTER TABLE orders            ALTER COLUMN raw TYPE TEXT USING convert_from(raw, 'UTF8');
ALTER TABLE store_products    ALTER COLUMN raw TYPE TEXT USING convert_from(raw, 'UTF8');
ALTER TABLE aftersales        ALTER COLUMN raw TYPE TEXT USING convert_from(raw, 'UTF8');
