-- Issue 14: the usage log in partitions. Each subscription's events go to one partition of the log
-- (with serve --kafka, the topic's partition of the same number; without, the one partition 0), and
-- the aggregation folds each partition on its own, one member of a consumer group a partition.
-- A batch whose events go to several partitions is still one row (a row costs more than its bytes): its
-- log_partition is then -1 and log_parts lists each part's partition, event count and position in the
-- topic, in the order of the batch's keys.
ALTER TABLE usage_batches ADD COLUMN log_partition INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE usage_batches ADD COLUMN log_parts BYTEA;

-- A period is folded once per partition: the marker gains the partition in its key. The table is made
-- anew rather than altered, since H2 and PostgreSQL change a primary key in different words; the
-- periods folded before are partition 0's, the only one there was.
CREATE TABLE usage_partition_folds (
    granularity   CHAR(1)                  NOT NULL,
    period_start  TIMESTAMP WITH TIME ZONE NOT NULL,
    log_partition INTEGER DEFAULT 0        NOT NULL,
    folded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    row_count     INTEGER                  NOT NULL,
    event_count   BIGINT                   NOT NULL,
    PRIMARY KEY (granularity, period_start, log_partition)
);
INSERT INTO usage_partition_folds (granularity, period_start, log_partition, folded_at, row_count, event_count)
    SELECT granularity, period_start, 0, folded_at, row_count, event_count FROM usage_folds;
DROP TABLE usage_folds;
ALTER TABLE usage_partition_folds RENAME TO usage_folds;
