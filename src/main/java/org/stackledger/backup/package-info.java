/**
 * Backup and restore of the embedded store: an online backup written by the serving process (H2's
 * {@code BACKUP TO}, one consistent snapshot while requests go on), and an offline restore of such a
 * file into a fresh data folder. A PostgreSQL store is backed up with PostgreSQL's own tools
 * ({@code pg_dump}, {@code pg_basebackup}); nothing here copies it.
 */
package org.stackledger.backup;
