/**
 * Storage plumbing: opening the embedded H2 file store or PostgreSQL, the connection pool and the
 * Flyway migrations (one set, under {@code db/migration}, written in SQL both engines accept), and
 * how a failure is recognised ({@link org.stackledger.store.Database#isUniqueViolation},
 * {@link org.stackledger.store.Database#isIntegrityViolation}). Features own their tables and queries;
 * this package owns none of their logic. The embedded store keeps the
 * large values of the append-only tables in segment files beside H2 ({@link org.stackledger.store.Blobs});
 * a feature stores and reads such a value through {@code Blobs.of(handle)}, whatever the engine. Writes that belong together are one transaction opened
 * visibly where the operation starts ({@code jdbi.inTransaction(h -> …)}) and passed down: a store
 * method that takes a JDBI {@code Handle} writes inside its caller's transaction and never opens its
 * own, so no write depends on JDBI silently reusing a thread's open handle.
 */
package org.stackledger.store;
