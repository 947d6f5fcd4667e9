package org.stackledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.stackledger.access.RoleAssignment;
import org.stackledger.access.RoleDefinition;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.directory.Principal;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.testing.CodeFlow;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * People who sign in to the console with a user name and a password, as a browser does: the operator
 * (a user of the home directory, Owner at the root scope like the bootstrap admin) and the partner (a
 * user of the partner's directory holding its admin agent's role assignments). Users are made with
 * the operator API; {@link #signIn} walks the authorization-code flow with {@link CodeFlow}.
 */
final class ConsoleUsers {
  static final String PASSWORD = "console-test-password-1";

  private ConsoleUsers() {}

  /** Who signs in where. */
  record User(String tenant, String upn, String password) {}

  static User operator(TestServer server) throws Exception {
    String upn = "console-operator@" + Stackledger.HOME_DOMAIN;
    Principal p = make(server, Stackledger.HOME_DOMAIN, upn, "The Operator");
    server.app().roleAssignments().assign(UUID.randomUUID().toString(), "/", RoleDefinition.OWNER, p.objectId(), "User");
    return new User(server.app().homeTenantId(), upn, PASSWORD);
  }

  /**
   * The partner's user: its admin agent's role assignments and its guest memberships in the
   * customers' directories (admin on behalf of), so it reads what the agent reads.
   */
  static User partner(TestServer server, SimulatedCloud.Partner partner, Iterable<SimulatedCloud.Customer> customers)
      throws Exception {
    String upn = "console-partner@" + partner.domain();
    Principal p = make(server, partner.domain(), upn, "The Partner");
    String agent = server.app().directory().principalByAppId(partner.clientId()).orElseThrow().objectId();
    for (RoleAssignment a : server.app().roleAssignments().forPrincipal(agent)) {
      server.app().roleAssignments().assign(UUID.randomUUID().toString(), a.scope(),
          RoleDefinition.find(a.roleDefinitionId()).orElseThrow(), p.objectId(), "User");
    }
    for (SimulatedCloud.Customer c : customers) {
      String tenant = server.app().directory().requireTenant(c.domain()).tenantId();
      if (server.app().directory().isGuest(tenant, agent)) {
        TestClient.Response r = server.client(EndpointRole.CLOUD_ARM).put("/providers/Stackledger.Identity/tenants/"
            + c.domain() + "/guests/" + p.objectId() + "?api-version=2026-11-01", "{}");
        assertThat(r.status()).as(r.body()).isIn(200, 201);
      }
    }
    return new User(partner.domain(), upn, PASSWORD);
  }

  private static Principal make(TestServer server, String domain, String upn, String name) throws Exception {
    TestClient.Response r = server.client(EndpointRole.CLOUD_ARM).put("/providers/Stackledger.Identity/tenants/" + domain
        + "/users/" + upn + "?api-version=2026-11-01", "{\"properties\":{\"displayName\":\"" + name
        + "\",\"password\":\"" + PASSWORD + "\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return server.app().directory().principalByUpn(upn).orElseThrow();
  }

  /**
   * Signs {@code user} in to the console through the code flow: {@code /signin}, the identity
   * endpoint's page, the callback. Answers the console's last answer (a 302 to the page with the
   * session cookie when it worked).
   */
  static HttpResponse<String> signIn(TestServer server, User user, String returnTo) throws Exception {
    CodeFlow browser = new CodeFlow(server.app().certificate());
    String console = server.app().url(EndpointRole.CONSOLE).replaceAll("/$", "");
    HttpResponse<String> start = browser.get(console + "/signin?tenant=" + user.tenant() + "&returnTo="
        + URLEncoder.encode(returnTo, StandardCharsets.UTF_8), null);
    assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
    HttpResponse<String> signedIn = browser.signIn(start.headers().firstValue("Location").orElseThrow(), user.upn(),
        user.password());
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
    return browser.get(signedIn.headers().firstValue("Location").orElseThrow(), null);
  }
}
