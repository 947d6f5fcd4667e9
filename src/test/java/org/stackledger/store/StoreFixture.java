package org.stackledger.store;

import java.nio.file.Path;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestDatabases;

/**
 * One store of a given engine that a test can open, close and open again: an embedded H2 store in a
 * data folder, or a fresh PostgreSQL database reopened by the same URL.
 */
record StoreFixture(Engine engine, Path dataDir, String url) {
  static StoreFixture fresh(Engine engine, Path tempDir) {
    return new StoreFixture(engine, tempDir.resolve("data"), TestDatabases.fresh(engine));
  }

  Database open() {
    return engine == Engine.H2 ? Database.embedded(dataDir) : Database.open(url, null, null);
  }

  Database.Engine expectedEngine() {
    return engine == Engine.H2 ? Database.Engine.H2 : Database.Engine.POSTGRESQL;
  }
}
