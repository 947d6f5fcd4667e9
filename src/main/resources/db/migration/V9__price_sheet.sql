-- The cloud plane's price sheet: what one unit of a meter costs, per currency, from an instant on.
-- The price in force for (meter, currency) at t is the row with the greatest effective_from <= t.
-- Rows are never updated; importing a row with the key of an existing one replaces it (delete and
-- insert in one transaction), every other row is history and stays.
-- meter_id is the catalogue's spelling of the meter id (lookups ignore case, the key does not need to).
-- unit_divisor is how many meter units make one pricing unit (730 GB x hours make a GB-month).
CREATE TABLE price_sheet (
    meter_id          VARCHAR(64)    NOT NULL,
    currency          CHAR(3)        NOT NULL,
    effective_from    TIMESTAMP WITH TIME ZONE NOT NULL,
    commerce_meter_id VARCHAR(64)    NOT NULL,
    meter_name        VARCHAR(256)   NOT NULL,
    unit_price        DECIMAL(38,18) NOT NULL CHECK (unit_price >= 0),
    pricing_unit      VARCHAR(128)   NOT NULL,
    unit_divisor      INTEGER        NOT NULL CHECK (unit_divisor >= 1),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (meter_id, currency, effective_from)
);
CREATE INDEX price_sheet_by_currency ON price_sheet (currency, meter_id, effective_from);
