-- The idempotency keys of each batch leave usage_batches for a table of their own. At start the intake
-- reads back the keys of its window (days of batches); beside the events in one row, H2 read every
-- batch's events (six times the keys' bytes) to get at them: 7.6 s for 2.5 M keys of a 10 M-event
-- store. Alone, the keys are 24 bytes an event to read. Written in the same transaction as the batch.
CREATE TABLE usage_batch_keys (
    batch_seq     BIGINT                   NOT NULL PRIMARY KEY,
    reported_hour TIMESTAMP WITH TIME ZONE NOT NULL,
    event_keys    BYTEA                    NOT NULL
);
CREATE INDEX usage_batch_keys_by_hour ON usage_batch_keys (reported_hour, batch_seq);
INSERT INTO usage_batch_keys (batch_seq, reported_hour, event_keys)
    SELECT batch_seq, reported_hour, event_keys FROM usage_batches;
ALTER TABLE usage_batches DROP COLUMN event_keys;
