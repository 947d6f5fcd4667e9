package org.stackledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.http.TrustedCertificates;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.testing.TestClient;
import org.stackledger.usage.UsageEvent;

/**
 * The operator's dashboard over HTTPS: today's intake as the usage API counts it, and every deployment
 * registered with the cloud, this one marked.
 */
class ConsoleDashboardTest {
  private static ConsoleWorld world;
  private static HttpClient http;
  private static String cookie;

  @BeforeAll
  static void start() throws Exception {
    world = ConsoleWorld.build();
    http = HttpClient.newBuilder().sslContext(TrustedCertificates.sslContext(world.server.app().certificate()))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    HttpResponse<String> signedIn = ConsoleUsers.signIn(world.server, world.operator, "/admin");
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
    cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
  }

  @AfterAll
  static void stop() throws Exception {
    if (world != null) {
      world.close();
    }
  }

  private static String dashboard() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(world.console().replaceAll("/$", "") + "/admin"))
        .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  @Test
  void eventsTodayAreTheUsageApisCountOfWhatWasSentToday() throws Exception {
    TestClient admin = world.server.client(EndpointRole.STACK_ADMIN_ARM);
    String meter = MeterCatalogue.standard().all().stream().filter(m -> !m.deprecated()).map(Meter::id).findFirst()
        .orElseThrow();
    String sub = world.customer(1).localSubscriptionId();
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
    List<UsageEvent> batch = new ArrayList<>();
    for (int i = 0; i < 37; i++) {
      batch.add(new UsageEvent(UUID.randomUUID().toString(), sub, meter, BigDecimal.ONE, hour, hour.plus(1, ChronoUnit.HOURS),
          "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-" + i, "local", null,
          null));
    }
    String before = admin.get("/providers/Stackledger.Usage/usageIntake/default?api-version=2026-11-01").json()
        .path("properties").path("eventsToday").asText();
    TestClient.Response posted = admin.post("/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01",
        new String(UsageEvent.toJson(batch), StandardCharsets.UTF_8));
    assertThat(posted.status()).as(posted.body()).isEqualTo(200);

    long today = admin.get("/providers/Stackledger.Usage/usageIntake/default?api-version=2026-11-01").json()
        .path("properties").path("eventsToday").asLong();
    // The world's usage is two days old: today's count is this batch (and anything else sent today).
    assertThat(today).isEqualTo(Long.parseLong(before) + batch.size());
    assertThat(dashboard()).contains("Events " + String.format("%,d", today) + " in ");
  }

  @Test
  void everyRegistrationOfTheCloudIsListedAndThisDeploymentMarked() throws Exception {
    SimulatedCloud.Registration r = world.world.registration();
    String page = dashboard();
    assertThat(page).contains(r.id().substring(r.id().lastIndexOf('/') + 1))
        .contains(r.cloudId() + " (this deployment)");
  }
}
