-- Issue 13: the embedded store keeps the large values of its append-only tables in segment files
-- beside it (store/Blobs): a row then holds the value's reference instead of the value. PostgreSQL
-- keeps values in the row (the reference stays NULL); rows written before this migration keep theirs
-- on both engines, and are read as before.
ALTER TABLE usage_batches ADD COLUMN events_ref BIGINT;
ALTER TABLE usage_batches ALTER COLUMN events DROP NOT NULL;
ALTER TABLE usage_batch_keys ADD COLUMN event_keys_ref BIGINT;
ALTER TABLE usage_batch_keys ALTER COLUMN event_keys DROP NOT NULL;
ALTER TABLE commerce_record_blocks ADD COLUMN body_ref BIGINT;
ALTER TABLE commerce_record_blocks ALTER COLUMN body DROP NOT NULL;
ALTER TABLE commerce_record_keys ADD COLUMN record_keys_ref BIGINT;
ALTER TABLE commerce_record_keys ALTER COLUMN record_keys DROP NOT NULL;
