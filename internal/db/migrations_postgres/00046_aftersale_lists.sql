-- +goose Up
-- Lists WeChat answers that the after-sale forms pick from, kept with when they were fetched: the reject
-- reasons (rejectreason/get) and the merchant's addresses (merchant/address/*), each as WeChat's JSON. A list is
-- fetched again when the operator asks or it is a day old; when that fails, the copy kept here stays in use.
CREATE TABLE aftersale_lists (
    name       TEXT   PRIMARY KEY,
    body       TEXT   NOT NULL,
    fetched_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE aftersale_lists;
