-- The built-in identity provider: directory tenants, their principals (users and service
-- principals), guest memberships, client secrets and token signing keys.
CREATE TABLE directory_tenants (
    tenant_id    VARCHAR(36)  NOT NULL PRIMARY KEY,
    domain       VARCHAR(253) NOT NULL UNIQUE,
    display_name VARCHAR(256) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE principals (
    object_id     VARCHAR(36)  NOT NULL PRIMARY KEY,
    tenant_id     VARCHAR(36)  NOT NULL REFERENCES directory_tenants (tenant_id),
    kind          VARCHAR(16)  NOT NULL,
    app_id        VARCHAR(36)  UNIQUE,
    upn           VARCHAR(320) UNIQUE,
    display_name  VARCHAR(256) NOT NULL,
    password_hash VARCHAR(256),
    enabled       BOOLEAN      NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Client secrets of service principals, stored as SHA-256 of the secret (they are random and long).
CREATE TABLE client_secrets (
    secret_id   VARCHAR(36)  NOT NULL PRIMARY KEY,
    object_id   VARCHAR(36)  NOT NULL REFERENCES principals (object_id),
    secret_hash VARCHAR(64)  NOT NULL,
    hint        VARCHAR(8)   NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX client_secrets_by_principal ON client_secrets (object_id);

-- A principal of one tenant invited into another as a guest.
CREATE TABLE guest_memberships (
    tenant_id  VARCHAR(36) NOT NULL REFERENCES directory_tenants (tenant_id),
    object_id  VARCHAR(36) NOT NULL REFERENCES principals (object_id),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (tenant_id, object_id)
);

-- RSA keys that sign tokens. One is active; retiring ones still verify; retired ones are gone from JWKS.
CREATE TABLE signing_keys (
    kid         VARCHAR(64)   NOT NULL PRIMARY KEY,
    private_key VARCHAR(4096) NOT NULL,
    public_jwk  VARCHAR(2048) NOT NULL,
    state       VARCHAR(16)   NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Role assignments: a principal holds a role at a scope (root "/", a subscription, a resource group
-- or a resource) and everything beneath it.
CREATE TABLE role_assignments (
    assignment_id      VARCHAR(36)   NOT NULL PRIMARY KEY,
    scope              VARCHAR(1024) NOT NULL,
    scope_key          VARCHAR(1024) NOT NULL,
    subscription_id    VARCHAR(36),
    role_definition_id VARCHAR(36)   NOT NULL,
    principal_id       VARCHAR(36)   NOT NULL,
    principal_type     VARCHAR(32)   NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX role_assignments_by_principal ON role_assignments (principal_id, scope_key);
CREATE INDEX role_assignments_by_scope ON role_assignments (scope_key);
