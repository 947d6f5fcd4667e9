-- Issue 14: with serve --kafka a usage batch's events are in a Kafka topic and the row names their
-- position there (the partition in the top 24 bits, the offset in the low 40); keys, hours and counts
-- stay in the row, so the idempotency window, the watermark and the usage APIs read the database as
-- before. NULL for batches whose events are in the row or a segment file.
ALTER TABLE usage_batches ADD COLUMN events_kafka BIGINT;

-- The lock row every intake node of a deployment takes (SELECT ... FOR UPDATE, on either engine) to
-- decide and append as the log's one writer for that moment, after reading what the others appended.
CREATE TABLE usage_log_lock (
    id INTEGER NOT NULL PRIMARY KEY
);
INSERT INTO usage_log_lock (id) VALUES (1);
