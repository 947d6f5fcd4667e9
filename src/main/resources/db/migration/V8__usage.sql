-- The raw usage log: every accepted batch, append-only, never updated. events holds the batch's
-- events in the intake's compact encoding; event_keys 24 bytes an event (fingerprints of the
-- eventId and of the content), from which the intake rebuilds its idempotency index at start.
CREATE TABLE usage_batches (
    batch_seq     BIGINT                   NOT NULL PRIMARY KEY,
    reported_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    reported_hour TIMESTAMP WITH TIME ZONE NOT NULL,
    event_count   INTEGER                  NOT NULL,
    events        BYTEA                    NOT NULL,
    event_keys    BYTEA                    NOT NULL
);
CREATE INDEX usage_batches_by_hour ON usage_batches (reported_hour, batch_seq);

-- Resource instances as the usage APIs describe them: instance_data is the JSON text returned as
-- instanceData (resource URI, location, tags, additional info), instance_key a 128-bit hash of it.
-- Kept once, not on every hourly row: a VM reports every hour of every day.
CREATE TABLE usage_instances (
    instance_key  VARCHAR(32) NOT NULL PRIMARY KEY,
    instance_data VARCHAR     NOT NULL
);

-- Usage by reported hour: one row per subscription and closed hour, holding that hour's aggregates
-- — one per meter and resource instance, sorted by meter and instance key — in a compact encoding.
-- A row a subscription-hour, not a row an aggregate: a fold then writes a few hundred rows an hour
-- rather than one per resource, and a tenant's month is 720 rows read in order. Never changed once
-- written.
CREATE TABLE usage_hourly (
    subscription_id VARCHAR(36)              NOT NULL,
    reported_hour   TIMESTAMP WITH TIME ZONE NOT NULL,
    entry_count     INTEGER                  NOT NULL,
    aggregates      BYTEA                    NOT NULL,
    PRIMARY KEY (subscription_id, reported_hour)
);

-- The same by reported day (UTC), summed from the closed day's batches (its hours' events). The
-- provider API reads one day across subscriptions: hence the day-first index.
CREATE TABLE usage_daily (
    subscription_id VARCHAR(36)              NOT NULL,
    reported_day    TIMESTAMP WITH TIME ZONE NOT NULL,
    entry_count     INTEGER                  NOT NULL,
    aggregates      BYTEA                    NOT NULL,
    PRIMARY KEY (subscription_id, reported_day)
);
CREATE INDEX usage_daily_by_day ON usage_daily (reported_day, subscription_id);

-- Which reported hours (H) and days (D) have been folded: a period is folded once, in the same
-- transaction as its rows, so a fold that dies half-way leaves nothing and is simply done again.
CREATE TABLE usage_folds (
    granularity  CHAR(1)                  NOT NULL,
    period_start TIMESTAMP WITH TIME ZONE NOT NULL,
    folded_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    row_count    INTEGER                  NOT NULL,
    event_count  BIGINT                   NOT NULL,
    PRIMARY KEY (granularity, period_start)
);
