package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.simulate.SettableClock;
import org.stackledger.simulate.SimulatedDeployment;
import org.stackledger.simulate.Simulation;
import org.stackledger.testing.TestClient;
import org.stackledger.usage.UsageEvent;

/**
 * {@code stackledger simulate} on a real data folder: the daily usage a server then serves through
 * the provider usage API equals the sums of the same seed's events computed here, and running the
 * same simulation again adds nothing.
 */
@Tag("slow")
class SimulateCommandTest {
  private static final ServerOptions.AdminCredentials ADMIN = new ServerOptions.AdminCredentials(
      UUID.randomUUID().toString(), "test-admin-secret-" + UUID.randomUUID());

  @TempDir
  Path dir;

  @Test
  void simulatedUsageIsServedExactlyAndARepeatedRunAddsNothing() throws Exception {
    // A first start with known admin credentials, so the test can read the usage APIs later.
    serve().close();
    Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
    Instant from = today.minus(Duration.ofDays(3));
    Instant to = today.minus(Duration.ofDays(1));
    String[] args = {"simulate", "--data-dir", dir.toString(), "--tenants", "2", "--vms-per-tenant", "2",
        "--from", from.toString(), "--to", to.toString(), "--seed", "42"};

    CliRun first = CliRun.run(args);
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("tenant-1-", "owner@tenant-2-", "hours 48,", "duplicates 0)");
    // Progress goes to stderr, its last line kept even when stderr is not a terminal; stdout holds the result alone.
    assertThat(first.err()).containsPattern("(?m)^simulate: 48 of 48 hours, [0-9,]+ events sent$");
    assertThat(first.out()).doesNotContain("simulate:").doesNotContain(" of 48");
    assertThat(Files.exists(dir.resolve("endpoints.json"))).as("endpoints.json is the servers', put back").isTrue();

    Map<String, BigDecimal> expected = expected(from, to, "local");
    assertThat(expected).isNotEmpty();
    assertThat(daily(from, today)).isEqualTo(expected);

    CliRun second = CliRun.run(args);
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("(new 0, duplicates ");
    assertThat(tenantLines(second.out())).isEqualTo(tenantLines(first.out()));
    assertThat(daily(from, today)).isEqualTo(expected);

    // Another seed's usage for the same past range would change closed days: refused.
    args[args.length - 1] = "43";
    CliRun other = CliRun.run(args);
    assertThat(other.code()).isEqualTo(1);
    assertThat(other.err()).contains("before the latest reported time");

    // A range whose last hour is not reported yet is refused before the store is opened.
    CliRun future = CliRun.run("simulate", "--data-dir", dir.toString(), "--from", today.toString(), "--to",
        today.plus(Duration.ofDays(2)).toString());
    assertThat(future.code()).isEqualTo(1);
    assertThat(future.err()).contains("must be reported by now");
  }

  @Test
  void usageForExistingSubscriptionsGoesToTheRunningDeploymentUpToItsOwnPresentExactlyOnce() throws Exception {
    // The deployment's clock, not this machine's, says where the present is: 05:20 on the 3rd.
    SettableClock clock = new SettableClock(Instant.parse("2026-11-03T05:20:00Z"));
    try (Stackledger app = Stackledger.start(ServerOptions.defaults(dir).withPort(0).withAdmin(ADMIN).withClock(clock))) {
      TestClient admin = operator(app, EndpointRole.STACK_ADMIN_ARM, Stackledger.STACK_ADMIN_AUDIENCE);
      List<String> subs = List.of(userSubscription(app, admin, 1), userSubscription(app, admin, 2));
      CliRun login = CliRun.in(dir, "login", "--service-principal", "-u", ADMIN.clientId(), "-p", ADMIN.clientSecret());
      assertThat(login.code()).as(login.err()).isZero();

      CliRun run = CliRun.in(dir, "simulate", "--subscription", String.join(",", subs), "--month", "2026-11",
          "--seed", "7", "--vms-per-tenant", "1");
      assertThat(run.code()).as(run.err()).isZero();
      // 1 November 00:00 to 3 November 05:00: 53 whole hours; the hour in progress is not sent.
      assertThat(run.out()).contains("simulated 2026-11-01T00:00:00Z to 2026-11-03T05:00:00Z (seed 7) for 2 "
          + "subscriptions", "stopped at the deployment's present (its clock: 2026-11-03T05:20:00Z)", "hours 53,");
      // Progress on stderr: the hours sent of the month's 720, the deployment's present being early in it.
      assertThat(run.err()).containsPattern("(?m)^simulate: 53 of 720 hours sent, [0-9,]+ events$");
      assertThat(run.out()).doesNotContain("simulate:").doesNotContain(" of 720");

      Simulation sim = Simulation.of(7, subs.stream().map(s -> new Simulation.Tenant(s, app.stamp().region()))
          .toList(), Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-03T05:00:00Z"),
          SimulatedDeployment.sizing(1));
      List<UsageEvent> sent = new java.util.ArrayList<>();
      sim.forEach(sent::add);
      assertThat(app.usage().held(sent)).isEqualTo(sent.size());
      assertThat(app.usage().distinctEvents()).isEqualTo(sent.size());
      assertThat(run.out()).contains("events sent " + sent.size() + " (new " + sent.size() + ", duplicates 0)");
      // Totals by meter, exact: the printed sums are the sums of the events' decimals, digit for digit.
      Map<String, BigDecimal> byMeter = new java.util.TreeMap<>();
      sent.forEach(e -> byMeter.merge(MeterCatalogue.standard().find(e.meterId()).orElseThrow().name(), e.quantity(),
          BigDecimal::add));
      byMeter.forEach((meter, q) -> assertThat(run.out()).containsPattern("(?m)^  " + java.util.regex.Pattern.quote(
          meter) + " +" + java.util.regex.Pattern.quote(q.stripTrailingZeros().toPlainString()) + "$"));

      CliRun again = CliRun.in(dir, "simulate", "--subscription", String.join(",", subs), "--month", "2026-11",
          "--seed", "7", "--vms-per-tenant", "1");
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(again.out()).contains("(new 0, duplicates " + sent.size() + ")");
      assertThat(app.usage().distinctEvents()).isEqualTo(sent.size());

      CliRun future = CliRun.in(dir, "simulate", "--subscription", subs.get(0), "--month", "2026-12");
      assertThat(future.code()).isEqualTo(1);
      assertThat(future.err()).contains("has ended on the deployment yet", "nothing was sent");
      CliRun unknown = CliRun.in(dir, "simulate", "--subscription", UUID.randomUUID().toString(), "--month", "2026-11");
      assertThat(unknown.code()).isEqualTo(1);
      assertThat(unknown.err()).contains("UnknownSubscription").doesNotContain("Exception");
      assertThat(app.usage().distinctEvents()).isEqualTo(sent.size());

      // Signed in as anyone but the deployment's operator: one line saying whom to sign in as, nothing sent.
      String appId = UUID.randomUUID().toString();
      app.directory().createServicePrincipal(app.homeTenantId(), "not the operator", appId, "secret-" + appId);
      assertThat(CliRun.in(dir, "login", "--service-principal", "-u", appId, "-p", "secret-" + appId).code()).isZero();
      CliRun stranger = CliRun.in(dir, "simulate", "--subscription", subs.get(0), "--month", "2026-11", "--seed", "8");
      assertThat(stranger.code()).isEqualTo(1);
      assertThat(stranger.err().lines()).singleElement().asString().contains("sign in as the operator of this deployment");
      assertThat(app.usage().distinctEvents()).isEqualTo(sent.size());
    }
  }

  @Test
  void aFirstStartBySimulateCreatesTheAdminTheEnvironmentNames() throws Exception {
    assertThat(ServerOptions.AdminCredentials.fromEnvironment(Map.of("STACKLEDGER_ADMIN_CLIENT_ID", "a",
        "STACKLEDGER_ADMIN_CLIENT_SECRET", "b"))).isEqualTo(new ServerOptions.AdminCredentials("a", "b"));
    assertThat(ServerOptions.AdminCredentials.fromEnvironment(Map.of("STACKLEDGER_ADMIN_CLIENT_ID", "a"))).isNull();
    Instant to = SimulatedDeployment.latestEnd(java.time.Clock.systemUTC());
    List<String> progress = new java.util.ArrayList<>();
    SimulatedDeployment.Result r = SimulatedDeployment.run(new SimulatedDeployment.Options(dir, null, 1, 0,
        to.minus(Duration.ofHours(2)), to, 1, null, ADMIN), java.time.Clock.systemUTC(), progress::add);
    assertThat(r.generatedAdmin()).isEmpty();
    // What a person watching sees: each step as it starts and each hour of the two with the events sent before it.
    assertThat(progress).containsExactly("opening the deployment in " + dir, "making 1 simulated tenants",
        "hour 1 of 2, 0 events sent", "hour 2 of 2, " + String.format("%,d", r.eventsSent() / 2) + " events sent",
        "folding the closed periods");
    // A later server without credentials keeps the admin simulate made, and it signs in.
    try (Stackledger app = Stackledger.start(ServerOptions.defaults(dir).withPort(0))) {
      assertThat(operator(app, EndpointRole.STACK_ADMIN_ARM, Stackledger.STACK_ADMIN_AUDIENCE)).isNotNull();
    }
    // One given other credentials keeps it too, and says so rather than ignore them silently.
    ServerOptions.AdminCredentials other = new ServerOptions.AdminCredentials(UUID.randomUUID().toString(),
        "other-secret-" + UUID.randomUUID());
    try (org.stackledger.identityadmin.LogCapture log = new org.stackledger.identityadmin.LogCapture();
        Stackledger app = Stackledger.start(ServerOptions.defaults(dir).withPort(0).withAdmin(other))) {
      assertThat(log.text()).contains("STACKLEDGER_ADMIN_CLIENT_ID " + other.clientId() + " is ignored",
          ADMIN.clientId().toLowerCase()).doesNotContain(other.clientSecret());
      assertThat(operator(app, EndpointRole.STACK_ADMIN_ARM, Stackledger.STACK_ADMIN_AUDIENCE)).isNotNull();
    }
  }

  /** The admin's client for an endpoint, signed in by client credentials. */
  private static TestClient operator(Stackledger app, EndpointRole role, String audience) throws Exception {
    TestClient identity = new TestClient(app.url(EndpointRole.IDENTITY), app.certificate()).anonymous();
    TestClient.Response token = identity.form("/" + app.homeTenantId() + "/oauth2/v2.0/token", Map.of(
        "grant_type", "client_credentials", "client_id", ADMIN.clientId(), "client_secret", ADMIN.clientSecret(),
        "scope", audience + ".default"));
    assertThat(token.status()).as(token.body()).isEqualTo(200);
    return new TestClient(app.url(role), app.certificate()).withToken(token.json().path("access_token").asText());
  }

  /** A user subscription made through the admin API, as an operator makes one by hand. */
  private static String userSubscription(Stackledger app, TestClient admin, int n) {
    String catalogue = "/subscriptions/" + app.operatorSubscriptionId()
        + "/resourceGroups/walkthrough/providers/Microsoft.Subscriptions.Admin";
    String api = "?api-version=2015-11-01";
    assertThat(admin.put(catalogue + "/plans/basic" + api, "{\"properties\":{\"services\":[\"Microsoft.Compute\"]}}")
        .status()).isIn(200, 201);
    assertThat(admin.put(catalogue + "/offers/basic" + api, "{\"properties\":{\"state\":\"Public\",\"basePlanIds\":[\""
        + catalogue + "/plans/basic\"]}}").status()).isIn(200, 201);
    String id = UUID.randomUUID().toString();
    String domain = app.directory().tenant(app.homeTenantId()).orElseThrow().domain();
    TestClient.Response made = admin.put("/subscriptions/" + app.operatorSubscriptionId()
        + "/providers/Microsoft.Subscriptions.Admin/subscriptions/" + id + api, "{\"displayName\":\"customer " + n
        + "\",\"owner\":\"owner" + n + "@" + domain + "\",\"tenantId\":\"" + app.homeTenantId()
        + "\",\"offerId\":\"" + catalogue + "/offers/basic\"}");
    assertThat(made.status()).as(made.body()).isIn(200, 201);
    return id;
  }

  private Stackledger serve() throws Exception {
    return Stackledger.start(ServerOptions.defaults(dir).withPort(0).withAdmin(ADMIN));
  }

  private static List<String> tenantLines(String out) {
    return out.lines().filter(l -> l.contains("subscription ")).toList();
  }

  /** The seed's events summed independently by subscription, meter and day of their reported time. */
  private static Map<String, BigDecimal> expected(Instant from, Instant to, String location) {
    Simulation sim = Simulation.of(42, Simulation.Tenant.generate(42, 2, location), from, to,
        SimulatedDeployment.sizing(2));
    Map<String, BigDecimal> out = new HashMap<>();
    Instant[] hour = {from};
    sim.run(events -> {
      Instant day = hour[0].plus(Duration.ofHours(1)).plus(Duration.ofMinutes(7)).truncatedTo(ChronoUnit.DAYS);
      events.forEach(e -> out.merge(e.subscriptionId() + "|" + day + "|" + e.meterId().toLowerCase(), e.quantity(),
          BigDecimal::add));
      hour[0] = hour[0].plus(Duration.ofHours(1));
    });
    out.replaceAll((k, v) -> v.stripTrailingZeros());
    return out;
  }

  /** The provider usage API's daily rows over the window, summed by subscription, day and meter. */
  private Map<String, BigDecimal> daily(Instant from, Instant to) throws Exception {
    try (Stackledger app = serve()) {
      TestClient identity = new TestClient(app.url(EndpointRole.IDENTITY), app.certificate()).anonymous();
      TestClient.Response token = identity.form("/" + app.homeTenantId() + "/oauth2/v2.0/token", Map.of(
          "grant_type", "client_credentials", "client_id", ADMIN.clientId(), "client_secret", ADMIN.clientSecret(),
          "scope", Stackledger.STACK_ADMIN_AUDIENCE + ".default"));
      assertThat(token.status()).as(token.body()).isEqualTo(200);
      TestClient admin = new TestClient(app.url(EndpointRole.STACK_ADMIN_ARM), app.certificate())
          .withToken(token.json().path("access_token").asText());
      Map<String, BigDecimal> out = new HashMap<>();
      String next = "/subscriptions/" + app.operatorSubscriptionId() + "/providers/Microsoft.Commerce.Admin/"
          + "subscriberUsageAggregates?api-version=2015-06-01-preview&reportedStartTime=" + from + "&reportedEndTime="
          + to + "&aggregationGranularity=Daily";
      while (next != null) {
        TestClient.Response r = admin.get(next);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        for (JsonNode row : r.json().path("value")) {
          JsonNode p = row.path("properties");
          Instant day = Instant.parse(p.path("usageStartTime").asText().replace("+00:00", "Z"));
          out.merge(p.path("subscriptionId").asText() + "|" + day + "|" + p.path("meterId").asText().toLowerCase(),
              new BigDecimal(p.path("quantity").asText()), BigDecimal::add);
        }
        next = r.json().hasNonNull("nextLink")
            ? r.json().get("nextLink").asText().substring(admin.baseUrl().length()) : null;
      }
      out.replaceAll((k, v) -> v.stripTrailingZeros());
      return out;
    }
  }
}
