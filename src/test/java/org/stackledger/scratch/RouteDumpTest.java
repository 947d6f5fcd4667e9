package org.stackledger.scratch;

import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.http.Router;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestServer;

class RouteDumpTest {
  @Test
  void dump() throws Exception {
    try (TestServer server = TestServer.start(Engine.H2)) {
      StringBuilder out = new StringBuilder();
      for (EndpointRole role : EndpointRole.values()) {
        for (Router.Description d : server.app().routes(role)) {
          out.append(role.key()).append('\t').append(d.method()).append('\t').append(d.template())
              .append('\t').append(d.anonymous() ? "anon" : "auth").append('\n');
        }
      }
      java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/apidocs-routes.tsv"), out.toString());
    }
  }
}
