package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stackledger.http.Json;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestServer;

/**
 * Named sign-in profiles ({@code login --profile}, {@code account list|set|show}, {@code --as}), the
 * single-profile file of earlier releases, and the errors that say what to do: a refusal names the
 * profile and the endpoint's role, an unreachable server its address and how to start it.
 */
class AccountCommandTest {
  private static TestServer server;
  private static TestServer.TestTenant tenant;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
    tenant = server.newTenant("acct-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static CliRun cli(Path home, String... args) {
    return CliRun.in(home, args);
  }

  private static Path home(Path dir) throws Exception {
    Files.copy(server.dataDir().resolve("endpoints.json"), dir.resolve("endpoints.json"));
    return dir;
  }

  @Test
  void twoProfilesSitSideBySideTheLastLoginIsCurrentAndAsUsesAnotherForOneCommand(@TempDir Path dir) throws Exception {
    Path home = home(dir);
    CliRun operator = cli(home, "login", "--service-principal", "-u", server.admin().clientId(), "-p",
        server.admin().clientSecret(), "--profile", "operator");
    assertThat(operator.code()).as(operator.err()).isZero();
    CliRun customer = cli(home, "login", "--service-principal", "-u", tenant.clientId(), "-p", tenant.clientSecret(),
        "--tenant", tenant.tenantId(), "--profile", "customer");
    assertThat(customer.code()).as(customer.err()).isZero();
    assertThat(customer.out()).contains("Profile 'customer' (current)");

    CliRun list = cli(home, "account", "list");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).startsWith("NAME").containsPattern("(?m)^operator\\s+ServicePrincipal\\s+"
        + server.admin().clientId()).containsPattern("(?m)^customer\\s+\\*\\s+ServicePrincipal\\s+" + tenant.clientId());
    assertThat(list.out()).doesNotContain(tenant.clientSecret()).doesNotContain(server.admin().clientSecret());

    // The customer is current: the operator's verb is refused, with a hint naming the profile used.
    CliRun refused = cli(home, "identity", "tenant", "list");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).startsWith("HTTP 403").contains("hint: ").contains("profile 'customer'")
        .contains("--as PROFILE");
    // --as uses the operator for this one command; the current profile stays the customer.
    CliRun asOperator = cli(home, "identity", "tenant", "list", "--as", "operator");
    assertThat(asOperator.code()).as(asOperator.err()).isZero();
    assertThat(asOperator.out()).contains(tenant.domain());
    assertThat(cli(home, "account", "show", "-o", "json").json().path("name").asText()).isEqualTo("customer");

    CliRun set = cli(home, "account", "set", "operator");
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(cli(home, "identity", "tenant", "list").code()).isZero();
    JsonNode shown = cli(home, "account", "show", "-o", "json").json();
    assertThat(shown.path("name").asText()).isEqualTo("operator");
    assertThat(shown.path("current").asBoolean()).isTrue();
    assertThat(shown.toString()).doesNotContain(server.admin().clientSecret()).doesNotContain("accessToken");

    CliRun unknown = cli(home, "account", "set", "nobody");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("no sign-in profile 'nobody'").contains("operator, customer");
    CliRun asUnknown = cli(home, "identity", "tenant", "list", "--as", "nobody");
    assertThat(asUnknown.code()).isEqualTo(1);
    assertThat(asUnknown.err()).contains("no sign-in profile 'nobody'").contains("login --profile nobody");

    CliRun out = cli(home, "logout", "--profile", "operator");
    assertThat(out.out()).contains("Signed out of 'operator'").contains("Current profile: 'customer'");
    assertThat(cli(home, "account", "list").out()).doesNotContain("operator");
  }

  @Test
  void aProfileFileOfAnEarlierReleaseReadsAsTheDefaultProfile(@TempDir Path dir) throws Exception {
    Path home = home(dir);
    assertThat(cli(home, "login", "--service-principal", "-u", server.admin().clientId(), "-p",
        server.admin().clientSecret()).code()).isZero();
    // Rewrite the file in the single-profile shape of earlier releases.
    Path file = home.resolve("profile.json");
    JsonNode now = Json.MAPPER.readTree(file.toFile());
    Files.writeString(file, Json.text(now.path("profiles").path("default")));
    assertThat(Files.readString(file)).doesNotContain("\"profiles\"");

    CliRun read = cli(home, "identity", "tenant", "list");
    assertThat(read.code()).as(read.err()).isZero();
    assertThat(cli(home, "account", "list").out()).containsPattern("(?m)^default\\s+\\*\\s+ServicePrincipal");
    // A second sign-in keeps the migrated one beside it.
    assertThat(cli(home, "login", "--service-principal", "-u", tenant.clientId(), "-p", tenant.clientSecret(),
        "--tenant", tenant.tenantId(), "--profile", "customer").code()).isZero();
    assertThat(Json.MAPPER.readTree(file.toFile()).path("profiles").has("default")).isTrue();
    assertThat(cli(home, "identity", "tenant", "list", "--as", "default").code()).isZero();
  }

  @Test
  void aTenantAskingTheDeploymentForItsRegistrationTokenIsToldToSignInAsTheOperator(@TempDir Path dir)
      throws Exception {
    Path home = home(dir);
    assertThat(cli(home, "login", "--service-principal", "-u", tenant.clientId(), "-p", tenant.clientSecret(),
        "--tenant", tenant.tenantId(), "--profile", "customer").code()).isZero();
    CliRun token = cli(home, "stack", "registration-token", "--billing-model", "PayAsYouUse");
    assertThat(token.code()).isEqualTo(1);
    assertThat(token.err()).containsPattern("^HTTP 40[13] ").contains("operator of this deployment")
        .contains("profile 'customer'").contains("stackledger login --service-principal");
    // What the hint says, done: the operator's profile beside the customer's, used for this one command.
    assertThat(cli(home, "login", "--service-principal", "-u", server.admin().clientId(), "-p",
        server.admin().clientSecret(), "--profile", "operator").code()).isZero();
    assertThat(cli(home, "account", "set", "customer").code()).isZero();
    CliRun asOperator = cli(home, "stack", "registration-token", "--billing-model", "PayAsYouUse", "--as", "operator");
    assertThat(asOperator.code()).as(asOperator.err()).isZero();
    assertThat(asOperator.out().strip()).as("the token alone").doesNotContain(" ").isNotEmpty();
  }

  @Test
  void aServerThatIsNotRunningIsNamedWithItsAddressAndHowToStartIt(@TempDir Path home) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    String base = "https://127.0.0.1:" + port;
    ObjectNode endpoints = Json.object().put("cloudArm", base).put("identity", base + "/");
    Files.writeString(home.resolve("endpoints.json"), Json.text(endpoints));
    // A signed-in profile (earlier releases' shape) whose token is still valid: no sign-in is needed.
    ObjectNode profile = Json.object().put("identity", base + "/").put("tenant", "t").put("kind", "ServicePrincipal")
        .put("clientId", "c").put("clientSecret", "s");
    profile.putObject("tokens").putObject(base).put("accessToken", "x")
        .put("expiresOn", Instant.parse("2999-01-01T00:00:00Z").getEpochSecond());
    Files.writeString(home.resolve("profile.json"), Json.text(profile));

    CliRun down = cli(home, "identity", "tenant", "list");
    assertThat(down.code()).isEqualTo(1);
    assertThat(down.err()).startsWith("error: cannot reach the server at " + base + " (ConnectException)")
        .contains(home.resolve("endpoints.json").toString()).contains("stackledger serve --data-dir " + home)
        .doesNotContain("\tat ");
    CliRun named = CliRun.run("identity", "tenant", "list", "--data-dir", home.toString(), "--endpoint", base);
    assertThat(named.err()).contains("cannot reach the server at " + base).contains("--endpoint");
  }
}
