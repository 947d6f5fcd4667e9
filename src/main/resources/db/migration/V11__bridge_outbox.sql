-- The usage bridge's outbox: one row per closed reported hour of usage, from the moment the bridge
-- finds it closed until the cloud acknowledged every part of it. No copy of the usage is kept here:
-- a closed hour never changes, so its records are built again from the log on every attempt.
-- state is Pending or Shipped; parts and records are what the last attempt built (NULL before one);
-- failure is the bridge's code for why the last attempt failed (CloudUnreachable, SignInFailed,
-- Rejected, …), last_error_code / last_error the cloud's own code and message where it answered one;
-- next_attempt_at is when to try again.
CREATE TABLE bridge_outbox (
    reported_hour   TIMESTAMP WITH TIME ZONE NOT NULL PRIMARY KEY,
    state           VARCHAR(16)              NOT NULL,
    parts           INTEGER,
    records         BIGINT,
    attempts        INTEGER                  NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    failure         VARCHAR(32),
    last_error_code VARCHAR(64),
    last_error      VARCHAR(2000),
    found_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    shipped_at      TIMESTAMP WITH TIME ZONE
);
-- The shipping pass reads the pending hours oldest first.
CREATE INDEX bridge_outbox_by_state ON bridge_outbox (state, reported_hour);
