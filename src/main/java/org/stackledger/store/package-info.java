/**
 * Storage plumbing: opening the embedded H2 file store or PostgreSQL, the connection pool and the
 * Flyway migrations (one set, under {@code db/migration}, written in SQL both engines accept).
 * Features own their tables and queries; this package owns none of their logic.
 */
package org.stackledger.store;
