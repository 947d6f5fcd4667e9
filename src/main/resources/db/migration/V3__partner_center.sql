-- Partner Center: CSP partners, their customers (each with one or more directory tenants), the orders
-- that bought Azure subscriptions, and on each subscription the offer it was bought under, the
-- partner that sold it and the customer it belongs to.
CREATE TABLE partners (
    partner_id           VARCHAR(36)  NOT NULL PRIMARY KEY,
    name                 VARCHAR(256) NOT NULL,
    kind                 VARCHAR(32)  NOT NULL,
    indirect_provider_id VARCHAR(36)  REFERENCES partners (partner_id),
    tenant_id            VARCHAR(36)  NOT NULL UNIQUE REFERENCES directory_tenants (tenant_id),
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A customer's id is its first directory tenant's id, as in Partner Center.
CREATE TABLE customers (
    customer_id  VARCHAR(36)  NOT NULL PRIMARY KEY REFERENCES directory_tenants (tenant_id),
    partner_id   VARCHAR(36)  NOT NULL REFERENCES partners (partner_id),
    company_name VARCHAR(256) NOT NULL,
    domain       VARCHAR(253) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX customers_by_partner ON customers (partner_id, customer_id);

-- Every directory tenant of a customer, its first one included. A tenant belongs to one customer.
CREATE TABLE customer_tenants (
    tenant_id   VARCHAR(36) NOT NULL PRIMARY KEY REFERENCES directory_tenants (tenant_id),
    customer_id VARCHAR(36) NOT NULL REFERENCES customers (customer_id),
    added_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX customer_tenants_by_customer ON customer_tenants (customer_id, tenant_id);

-- Orders placed through the Partner Center API, kept as answered.
CREATE TABLE orders (
    order_id    VARCHAR(36) NOT NULL PRIMARY KEY,
    customer_id VARCHAR(36) NOT NULL REFERENCES customers (customer_id),
    partner_id  VARCHAR(36) NOT NULL REFERENCES partners (partner_id),
    body        VARCHAR     NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Subscriptions made outside Partner Center (the operator's first one) keep these empty.
ALTER TABLE subscriptions ADD COLUMN offer_id VARCHAR(32);
ALTER TABLE subscriptions ADD COLUMN partner_id VARCHAR(36) REFERENCES partners (partner_id);
ALTER TABLE subscriptions ADD COLUMN customer_id VARCHAR(36) REFERENCES customers (customer_id);
ALTER TABLE subscriptions ADD COLUMN order_id VARCHAR(36);
CREATE INDEX subscriptions_by_customer ON subscriptions (customer_id, subscription_id);
