package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestServer;

/** The operator's catalogue and user subscriptions from the command line, over real HTTPS. */
class StackOfferCommandTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
    CliRun login = cli("login", "--service-principal", "-u", server.admin().clientId(), "-p", server.admin().clientSecret());
    assertThat(login.code()).as(login.err()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static CliRun cli(String... args) {
    return CliRun.in(server.dataDir(), args);
  }

  private static CliRun ok(String... args) {
    CliRun run = cli(args);
    assertThat(run.code()).as(String.join(" ", args) + ": " + run.err()).isZero();
    return run;
  }

  @Test
  void anOperatorBuildsAnOfferAndSubscribesATenantToIt() throws Exception {
    var tenant = server.newTenant("cli-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
    ok("stack", "directory", "add", tenant.domain());
    String upn = "ivy@" + tenant.domain();
    server.app().directory().createUser(tenant.tenantId(), upn, "Ivy", "a-long-enough-password");

    CliRun plan = ok("stack", "plan", "put", "-o", "json", "vm-plan", "--service", "Microsoft.Compute", "--service", "Microsoft.Network",
        "--cores-limit", "16", "--display-name", "VMs");
    assertThat(plan.json().path("properties").path("quota").path("coresLimit").asInt()).isEqualTo(16);
    assertThat(ok("stack", "plan", "list").out()).contains("vm-plan").contains("Microsoft.Compute,Microsoft.Network")
        .contains("16");
    CliRun offer = ok("stack", "offer", "put", "-o", "json", "vm-offer", "--plan", "vm-plan", "--state", "Public");
    assertThat(offer.json().path("properties").path("basePlanIds").get(0).asText()).endsWith("/plans/vm-plan");
    assertThat(ok("stack", "offer", "list").out()).contains("vm-offer").contains("Public").contains("vm-plan");
    assertThat(ok("stack", "offer", "get", "vm-offer").json().path("properties").path("state").asText()).isEqualTo("Public");

    String id = UUID.randomUUID().toString();
    CliRun made = ok("stack", "subscription", "create", "-o", "json", "--id", id, "--owner", upn, "--tenant", tenant.tenantId(),
        "--offer", "vm-offer");
    assertThat(made.json().path("state").asText()).isEqualTo("Enabled");
    assertThat(ok("stack", "subscription", "list").out()).contains(id).contains(upn).contains("vm-offer");
    assertThat(ok("stack", "subscription", "set-state", id, "--state", "Disabled").json().path("state").asText())
        .isEqualTo("Disabled");
    assertThat(ok("stack", "subscription", "delete", id).out()).contains("deleted " + id);
    assertThat(ok("stack", "subscription", "get", id).json().path("state").asText()).isEqualTo("Deleted");
    assertThat(ok("stack", "subscription", "delete", id).out()).contains("nothing to delete");

    CliRun inUse = cli("stack", "plan", "delete", "vm-plan");
    assertThat(inUse.code()).isEqualTo(1);
    assertThat(inUse.err()).contains("PlanInUse");
    assertThat(cli("stack", "plan", "get", "no-such-plan").code()).isEqualTo(3);
    CliRun refused = cli("stack", "subscription", "create", "--owner", upn, "--tenant", tenant.tenantId(),
        "--offer", "no-such-offer");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("OfferNotFound");
  }

  @Test
  void aPlanNoOfferUsesIsDeleted() {
    ok("stack", "plan", "put", "spare", "-g", "other.local");
    assertThat(ok("stack", "plan", "delete", "spare", "-g", "other.local").out()).contains("deleted spare");
    assertThat(ok("stack", "plan", "delete", "spare", "-g", "other.local").out()).contains("nothing to delete");
  }
}
