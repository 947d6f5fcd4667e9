package org.stackledger.testing;

/** The storage engines every storage-touching test runs against. */
public enum Engine {
  /** The embedded H2 file store in the server's data folder. */
  H2,
  /**
   * PostgreSQL: embedded binaries (zonky) by default, or the server named by the system property
   * {@code stackledger.test.pg.url}, which {@code .ci/run} points at Debian's PostgreSQL.
   */
  POSTGRESQL
}
