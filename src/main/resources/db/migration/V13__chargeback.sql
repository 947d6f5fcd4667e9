-- Chargeback: the markup the operator adds to what a customer's CSP subscriptions were invoiced.
-- customer_id is a Partner Center customer id, or 'default' for the markup of every customer
-- without its own. Percent, exact: 12.5 means 12.5 %.
CREATE TABLE chargeback_markups (
    customer_id     VARCHAR(64)   NOT NULL PRIMARY KEY,
    markup_percent  DECIMAL(12,4) NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by      VARCHAR(128)  NOT NULL
);
