-- Subscriptions as the cloud plane knows them. Partner Center and the operator create them; the
-- cloud ARM endpoint serves them read-only under /subscriptions.
CREATE TABLE subscriptions (
    subscription_id VARCHAR(36)  NOT NULL PRIMARY KEY,
    display_name    VARCHAR(256) NOT NULL,
    tenant_id       VARCHAR(36)  NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Which resource provider namespaces each subscription has registered for.
CREATE TABLE provider_registrations (
    subscription_id VARCHAR(36)  NOT NULL REFERENCES subscriptions (subscription_id),
    namespace_key   VARCHAR(128) NOT NULL,
    namespace       VARCHAR(128) NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    changed_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (subscription_id, namespace_key)
);

-- Every ARM resource (resource groups included) with its JSON body. Keys are the lower-cased ids,
-- since ARM ids compare case-insensitively; resource_id keeps the spelling of the first PUT.
CREATE TABLE arm_resources (
    resource_key       VARCHAR(1024) NOT NULL PRIMARY KEY,
    resource_id        VARCHAR(1024) NOT NULL,
    subscription_id    VARCHAR(36)   NOT NULL REFERENCES subscriptions (subscription_id),
    resource_group_key VARCHAR(90),
    parent_key         VARCHAR(1024) NOT NULL,
    type_key           VARCHAR(256)  NOT NULL,
    name               VARCHAR(260)  NOT NULL,
    body               VARCHAR       NOT NULL,
    etag               VARCHAR(64)   NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    changed_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX arm_resources_by_parent ON arm_resources (parent_key, type_key, resource_key);
CREATE INDEX arm_resources_by_group ON arm_resources (subscription_id, resource_group_key, resource_key);

-- Facts fixed at first start, such as the home directory tenant's id.
CREATE TABLE settings (
    name  VARCHAR(64)   NOT NULL PRIMARY KEY,
    setting_value VARCHAR(1024) NOT NULL
);
