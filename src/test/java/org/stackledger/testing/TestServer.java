package org.stackledger.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;

/**
 * A real stackledger server for one test: HTTPS on free ports, a temporary data folder, and a fresh
 * database of the chosen engine. {@link #client()} talks to it over real sockets, trusting its own
 * certificate.
 */
public final class TestServer implements AutoCloseable {
  private final Stackledger app;
  private final Path dataDir;
  private final Engine engine;
  private final TestClient client;

  private TestServer(Stackledger app, Path dataDir, Engine engine) throws IOException {
    this.app = app;
    this.dataDir = dataDir;
    this.engine = engine;
    this.client = new TestClient(app.url(EndpointRole.CLOUD_ARM), app.certificate());
  }

  public static TestServer start(Engine engine) throws Exception {
    return start(engine, UnaryOperator.identity());
  }

  /** Starts a server whose options the caller may adjust (page size, body limit, clock, plain HTTP). */
  public static TestServer start(Engine engine, UnaryOperator<ServerOptions> adjust) throws Exception {
    Path dir = Files.createTempDirectory("stackledger-test");
    ServerOptions options = adjust.apply(ServerOptions.defaults(dir).withPort(0).withJdbcUrl(TestDatabases.fresh(engine)));
    return new TestServer(Stackledger.start(options), dir, engine);
  }

  public Stackledger app() {
    return app;
  }

  public Engine engine() {
    return engine;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** A client of the cloud ARM endpoint that sends a bearer token. */
  public TestClient client() {
    return client;
  }

  /** A client of another endpoint role. */
  public TestClient client(EndpointRole role) throws IOException {
    return new TestClient(app.url(role), app.certificate());
  }

  /** Creates a subscription in the home tenant and returns its id. */
  public String newSubscription() {
    String id = UUID.randomUUID().toString();
    app.cloudArm().subscriptions().create(id, "test subscription " + id.substring(0, 8), app.homeTenantId());
    return id;
  }

  @Override
  public void close() throws Exception {
    app.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
