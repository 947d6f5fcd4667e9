-- Issue 15: the authorization-code flow with PKCE on the identity endpoint.
--
-- Authorization codes live here, not in a node's memory, so a browser sent to one node can have its
-- code redeemed on any node of a multi-node deployment sharing this database. Only the SHA-256 of a
-- code is kept (hex): a copy of the table redeems nothing. A row is deleted when redeemed (single
-- use) and expired rows are swept as new ones are written.
CREATE TABLE authorization_codes (
    code_hash      VARCHAR(64)   NOT NULL PRIMARY KEY,
    client_id      VARCHAR(36)   NOT NULL,
    redirect_uri   VARCHAR(2048) NOT NULL,
    code_challenge VARCHAR(128),
    nonce          VARCHAR(512),
    scope          VARCHAR(2048) NOT NULL,
    audience       VARCHAR(512)  NOT NULL,
    tenant_id      VARCHAR(36)   NOT NULL,
    object_id      VARCHAR(36)   NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX authorization_codes_by_expiry ON authorization_codes (expires_at);

-- Refresh tokens, hashed the same way. One per sign-in chain: redeeming it deletes it and writes its
-- successor (rotation), so a refresh token that was used once is refused afterwards.
CREATE TABLE refresh_tokens (
    token_hash VARCHAR(64)   NOT NULL PRIMARY KEY,
    client_id  VARCHAR(36)   NOT NULL,
    scope      VARCHAR(2048) NOT NULL,
    tenant_id  VARCHAR(36)   NOT NULL,
    object_id  VARCHAR(36)   NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);

-- The redirect URIs registered on an application (Graph's web.redirectUris), compared exactly.
-- origin (scheme://host[:port]) is what the sign-out endpoint compares post_logout_redirect_uri with.
CREATE TABLE application_redirect_uris (
    object_id    VARCHAR(36)   NOT NULL REFERENCES principals (object_id),
    redirect_uri VARCHAR(2048) NOT NULL,
    origin       VARCHAR(512)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (object_id, redirect_uri)
);
CREATE INDEX application_redirect_uris_by_origin ON application_redirect_uris (origin);
