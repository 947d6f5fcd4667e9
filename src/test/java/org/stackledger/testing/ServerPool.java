package org.stackledger.testing;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.stackledger.app.ServerOptions;

/**
 * One {@link TestServer} per engine for a whole test class, started on first use and closed by the
 * class's {@code @AfterAll}. Tests share the server and isolate themselves with fresh subscriptions
 * ({@link TestServer#newSubscription()}).
 *
 * <pre>{@code
 * private static final ServerPool SERVERS = new ServerPool();
 * @AfterAll static void stopServers() throws Exception { SERVERS.close(); }
 * }</pre>
 */
public final class ServerPool implements AutoCloseable {
  private final UnaryOperator<ServerOptions> adjust;
  private final Map<Engine, TestServer> servers = new EnumMap<>(Engine.class);

  public ServerPool() {
    this(UnaryOperator.identity());
  }

  /** A pool whose servers start with adjusted options (page size, body limit, clock). */
  public ServerPool(UnaryOperator<ServerOptions> adjust) {
    this.adjust = adjust;
  }

  /** The class's server for an engine, started on first use. */
  public synchronized TestServer get(Engine engine) throws Exception {
    TestServer server = servers.get(engine);
    if (server == null) {
      server = TestServer.start(engine, adjust);
      servers.put(engine, server);
    }
    return server;
  }

  @Override
  public synchronized void close() throws Exception {
    Exception first = null;
    for (TestServer server : servers.values()) {
      try {
        server.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    servers.clear();
    if (first != null) {
      throw first;
    }
  }
}
