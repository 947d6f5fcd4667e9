/**
 * Retention of the stack plane's raw usage: months of the usage log whose invoices are final are
 * written to a verifiable archive file and then removed from the store, and an archive can be put
 * back. The usage APIs answer from the aggregates and commerce from its own records, so neither
 * needs the raw log of a month once it is archived. This package reads and writes the log's table
 * ({@code usage_batches}) and reads the bridge's outbox directly, as a maintenance task beside those
 * features; it must not change aggregates, outbox rows or anything of commerce.
 */
package org.stackledger.archive;
