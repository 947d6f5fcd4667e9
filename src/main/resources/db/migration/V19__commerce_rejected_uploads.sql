-- Issue 14: with serve --kafka the cloud answers a usage upload 202 once it is on the commerce topic,
-- and a commerce worker stores it later. An upload the store then refuses (a record reported before
-- with another quantity, 409 UsageRecordConflict, or any other refusal of the input) is not tried
-- again forever: it is written here for the operator, and the worker goes on with the next upload.
-- upload_id is the queued message's own id, so a message delivered twice is recorded once; code and
-- message are the refusal's, as the synchronous upload would have answered them.
CREATE TABLE commerce_rejected_uploads (
    upload_id       VARCHAR(64)              NOT NULL PRIMARY KEY,
    registration_id VARCHAR(512)             NOT NULL,
    batch_id        VARCHAR(200)             NOT NULL,
    records         INTEGER                  NOT NULL,
    source          VARCHAR(32)              NOT NULL,
    code            VARCHAR(64)              NOT NULL,
    message         VARCHAR(2000)            NOT NULL,
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    rejected_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
-- The operator reads them newest first.
CREATE INDEX commerce_rejected_uploads_by_time ON commerce_rejected_uploads (rejected_at);
