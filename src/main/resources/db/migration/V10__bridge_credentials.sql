-- Certificate credentials of service principals (Entra ID's keyCredentials): the certificate as
-- base64 DER and the thumbprints a client assertion's header names it by (x5t: SHA-1, x5t#S256:
-- SHA-256, both base64url). Added, never replaced: a principal may hold several at once.
CREATE TABLE key_credentials (
    key_id             VARCHAR(36)    NOT NULL PRIMARY KEY,
    object_id          VARCHAR(36)    NOT NULL REFERENCES principals (object_id),
    thumbprint_sha1    VARCHAR(28)    NOT NULL,
    thumbprint_sha256  VARCHAR(44)    NOT NULL,
    certificate        VARCHAR(22000) NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    UNIQUE (object_id, thumbprint_sha256)
);
CREATE INDEX key_credentials_by_principal ON key_credentials (object_id);

-- The deployment's bridge key: one RSA key pair and its self-signed certificate, made once. The
-- private key never leaves the deployment; the certificate travels in registration tokens.
CREATE TABLE stamp_bridge_key (
    key_slot    INTEGER        NOT NULL PRIMARY KEY,
    private_key VARCHAR(4096)  NOT NULL,
    certificate VARCHAR(22000) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The bridge service principal an activation key names (its client id and directory tenant);
-- NULL for activations made from keys of earlier versions, which had none.
ALTER TABLE stamp_activations ADD COLUMN bridge_app_id VARCHAR(36);
ALTER TABLE stamp_activations ADD COLUMN bridge_tenant_id VARCHAR(36);
