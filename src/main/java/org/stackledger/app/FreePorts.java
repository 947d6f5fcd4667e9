package org.stackledger.app;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The check a start makes before it creates anything: that every endpoint's port can be bound. A
 * clash found only when Jetty binds would leave a half-made data folder behind (a new database, a
 * certificate) and answer with a stack trace; found here, it is one line naming the port.
 */
final class FreePorts {
  private FreePorts() {}

  /** Refuses when one of the endpoints' ports on {@code host} is taken; port 0 (any free port) always passes. */
  static void check(String host, int basePort) throws StartRefused {
    if (basePort == 0) {
      return;
    }
    for (EndpointRole role : EndpointRole.values()) {
      int port = role.port(basePort);
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(new InetSocketAddress(host, port));
      } catch (BindException e) {
        throw taken(host, basePort, role, port);
      } catch (IOException e) {
        // Not a clash (an unknown host, say): the real bind reports it.
        return;
      }
    }
  }

  /** The one line for a port found taken, here or by the server's own bind. */
  static StartRefused taken(String host, int basePort, EndpointRole role, int port) {
    return new StartRefused("port " + port + " (" + role.key() + ") on " + host + " is in use by another program; "
        + "stop it or choose another base port with --port (the " + EndpointRole.values().length + " endpoints take ports " + basePort + " to "
        + (basePort + EndpointRole.values().length - 1) + ", or 0 for free ones)");
  }
}
