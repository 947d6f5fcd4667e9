package org.stackledger.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stackledger.testing.TestServer;

class RouteDumpTmpTest {
  @Test
  void dump() throws Exception {
    for (boolean remote : new boolean[] {false, true}) {
      List<String> lines = new ArrayList<>();
      try (TestServer cloud = TestServer.start(org.stackledger.testing.Engine.H2)) {
        {
          TestServer s = remote ? TestServer.start(org.stackledger.testing.Engine.H2, o -> o.withCloud(new ServerOptions.Cloud(
            cloud.app().url(EndpointRole.CLOUD_ARM), cloud.app().url(EndpointRole.IDENTITY), cloud.app().homeTenantId(),
            cloud.app().certificate()))) : cloud;
          for (EndpointRole role : EndpointRole.values()) {
            s.app().routes(role).forEach(r -> lines.add(role + " " + r.method() + " " + r.template() + " " + r.anonymous()
                + " " + r.operation().map(o -> o.operationId()).orElse("-")));
          }
          lines.add("ENDPOINTS " + Files.readString(s.dataDir().resolve("endpoints.json")).replaceAll("[0-9]{4,5}", "P")
              .replaceAll("[0-9a-f-]{36}", "G").replaceAll("/tmp[^\"]*", "T").replace("\n", ""));
          if (remote) {
            s.close();
          }
        }
      }
      Files.write(Path.of(System.getProperty("dumpTo", "/tmp/compose/routes") + (remote ? "-remote" : "-local") + ".txt"), lines);
    }
  }
}
