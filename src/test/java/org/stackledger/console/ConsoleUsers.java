package org.stackledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.stackledger.app.EndpointRole;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.testing.CodeFlow;
import org.stackledger.testing.TestServer;

/**
 * People who sign in to the console with a user name and a password, as a browser does: the operator
 * (the admin user a first start makes, Owner at the root scope) and the partner (the person the
 * simulated world makes in the partner's directory); {@link #signIn} walks the authorization-code flow
 * with {@link CodeFlow}.
 */
final class ConsoleUsers {

  private ConsoleUsers() {}

  /** Who signs in where. */
  record User(String tenant, String upn, String password) {}

  /**
   * The operator's admin user, which the server's first start made (Owner at the root scope): the
   * password is the one that start showed once.
   */
  static User operator(TestServer server) {
    return new User(server.app().homeTenantId(), server.app().adminUser(),
        server.app().generatedAdminUser().orElseThrow(() -> new IllegalStateException(
            "this server did not make its admin user: it was not the store's first start")).clientSecret());
  }

  /** The partner's person, as the simulated world makes it (Owner where its admin agent is, on behalf of the customers). */
  static User partner(SimulatedCloud.Partner partner) {
    return new User(partner.domain(), partner.adminUpn(), partner.adminPassword());
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
