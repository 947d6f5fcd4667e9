package org.stackledger.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.http.Router;
import org.stackledger.testing.ContractCheck;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestServer;

/**
 * The description and the router agree: every route of every endpoint role is documented or on the
 * allowlist of routes not yet documented, the allowlist holds nothing documented (it only shrinks),
 * and nothing is documented that no route serves.
 */
class RouteCoverageTest {
  private static TestServer server;
  private static final ApiDescription DESCRIPTION = ApiDescription.bundled();
  private static final ContractCheck.Allowlist ALLOWLIST = ContractCheck.Allowlist.bundled();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void everyRouteOfEveryRoleIsDocumentedOrAllowlisted() {
    List<String> missing = new ArrayList<>();
    for (EndpointRole role : EndpointRole.values()) {
      if (role == EndpointRole.CONSOLE) {
        continue; // pages, not an API
      }
      for (Router.Description route : server.app().routes(role)) {
        if (DESCRIPTION.operation(role.key(), route.method(), route.template()).isEmpty()
            && !ALLOWLIST.allows(route.method(), route.template())) {
          missing.add(role.key() + " " + route.method() + " " + route.template());
        }
      }
    }
    assertThat(missing).as("routes neither documented in src/main/resources/openapi nor on openapi-undocumented.txt")
        .isEmpty();
  }

  @Test
  void theAllowlistHoldsOnlyRoutesThatExistAndAreNotDocumentedOnEveryRoleServingThem() {
    Set<String> served = new LinkedHashSet<>();
    Set<String> undocumented = new LinkedHashSet<>();
    for (EndpointRole role : EndpointRole.values()) {
      if (role == EndpointRole.CONSOLE) {
        continue; // pages, not an API
      }
      for (Router.Description route : server.app().routes(role)) {
        String entry = route.method() + " " + route.template();
        served.add(entry);
        if (DESCRIPTION.operation(role.key(), route.method(), route.template()).isEmpty()) {
          undocumented.add(entry);
        }
      }
    }
    assertThat(ALLOWLIST.entries()).as("allowlist entries that no route serves").isSubsetOf(served);
    assertThat(ALLOWLIST.entries()).as("allowlist entries documented on every role that serves them: remove them")
        .isSubsetOf(undocumented);
  }

  @Test
  void everyDocumentedOperationIsARouteOfEachRoleItNames() {
    List<String> phantoms = new ArrayList<>();
    for (ApiOperation op : DESCRIPTION.operations()) {
      for (String role : op.roles()) {
        EndpointRole endpoint = java.util.Arrays.stream(EndpointRole.values()).filter(r -> r.key().equals(role))
            .findFirst().orElseThrow();
        boolean served = server.app().routes(endpoint).stream()
            .anyMatch(r -> r.method().equals(op.method()) && r.template().equals(op.template()));
        if (!served) {
          phantoms.add(op.operationId() + " (" + op.file() + "): " + role + " " + op.method() + " " + op.template());
        }
      }
    }
    assertThat(phantoms).as("documented operations that no route serves").isEmpty();
  }
}
