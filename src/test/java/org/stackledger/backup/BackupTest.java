package org.stackledger.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.http.Json;
import org.stackledger.problem.Problem;
import org.stackledger.simulate.SettableClock;
import org.stackledger.simulate.Simulation;
import org.stackledger.testing.Engine;
import org.stackledger.testing.RegisteredDeployment;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;
import org.stackledger.testing.UsageTotals;
import org.stackledger.usage.UsageEvent;
import org.stackledger.usersubscriptions.Stack;

/**
 * An online backup taken while usage arrives, restored into a fresh folder and served: the restored
 * deployment has the invoice the source had at the backup point, and every event acknowledged before
 * the backup began, each once — sending every event of the run to it again accepts exactly the ones
 * it lacked, and the usage API then sums to what was sent.
 */
@Tag("storage")
class BackupTest {
  static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
  static final String V = "?api-version=2026-11-01";
  static final String INTAKE = "/providers/Stackledger.Usage/usageEvents" + V;
  static final String BACKUP = "/providers/Stackledger.Store/backup" + V;

  @Test
  void aBackupTakenUnderLoadRestoresTheSameInvoiceAndEveryAcknowledgedEventOnce() throws Exception {
    SettableClock clock = new SettableClock(OCT);
    Path restoredDir = Files.createTempDirectory("stackledger-restored").resolve("data");
    Path backupFile = Files.createTempDirectory("stackledger-backup").resolve("store.zip");
    List<List<UsageEvent>> batches = new ArrayList<>();
    int acknowledgedBeforeBackup;
    JsonNode invoiceAtBackup;
    String operatorSubscription;
    TestServer.TestTenant csp;
    List<UsageEvent> firstHour;
    org.stackledger.app.ServerOptions.AdminCredentials admin;
    try (TestServer source = TestServer.start(Engine.H2, o -> o.withClock(clock))) {
      admin = source.admin();
      RegisteredDeployment registration = RegisteredDeployment.register(source);
      csp = registration.csp();
      Stack stack = Stack.of(source);
      operatorSubscription = stack.operator();
      String offer = stack.publicOffer("backup", "Public");
      String subscription = stack.subscribe(stack.guest(), offer, null);
      // The first hour is billed: posted, closed, shipped.
      Iterator<List<UsageEvent>> hours = Simulation.of(3, List.of(new Simulation.Tenant(subscription, "local")), OCT,
          OCT.plus(Duration.ofHours(1)), Simulation.Sizing.standard()).hours();
      firstHour = hours.next();
      clock.set(OCT.plus(Duration.ofMinutes(50)));
      post(source.client(EndpointRole.STACK_ADMIN_ARM), firstHour);
      clock.set(OCT.plus(Duration.ofMinutes(67)));
      JsonNode shipped = source.client(EndpointRole.STACK_ADMIN_ARM).post("/providers/Stackledger.Bridge/ship" + V, null)
          .json();
      assertThat(shipped.path("pendingHours").asLong()).as(shipped.toString()).isZero();
      invoiceAtBackup = invoice(source, csp);
      assertThat(invoiceAtBackup.path("properties").path("lines").size()).isPositive();

      // The second hour arrives in batches of a hundred while the backup is taken.
      UsageEvent model = firstHour.get(0);
      for (int b = 0; b < 60; b++) {
        List<UsageEvent> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          batch.add(new UsageEvent("load-" + b + "-" + i, subscription, model.meterId(),
              new BigDecimal(b + "." + (i + 1)), OCT, OCT.plus(Duration.ofHours(1)), model.resourceUri() + "-" + i,
              model.location(), null, null));
        }
        batches.add(batch);
      }
      TestClient intake = source.client(EndpointRole.STACK_ADMIN_ARM);
      int[] acknowledged = new int[1];
      int[] acknowledgedAtStart = {-1};
      CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
        for (List<UsageEvent> batch : batches) {
          post(intake, batch);
          synchronized (acknowledged) {
            acknowledged[0]++;
          }
        }
      });
      TestClient operator = source.client(EndpointRole.STACK_ADMIN_ARM);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
        synchronized (acknowledged) {
          return acknowledged[0] >= 10;
        }
      });
      synchronized (acknowledged) {
        acknowledgedAtStart[0] = acknowledged[0];
      }
      TestClient.Response backup = operator.post(BACKUP, Json.text(Json.object().put("file", backupFile.toString())));
      assertThat(backup.status()).as(backup.body()).isEqualTo(200);
      assertThat(backup.json().path("bytes").asLong()).isEqualTo(Files.size(backupFile));
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(backupFile)))
          .as("a backup holds the store's secrets").isEqualTo("rw-------");
      load.join();
      acknowledgedBeforeBackup = acknowledgedAtStart[0];

      TestClient.Response again = operator.post(BACKUP, Json.text(Json.object().put("file", backupFile.toString())));
      assertThat(again.status()).as("a backup never overwrites a file").isEqualTo(409);
      assertThat(again.errorCode()).isEqualTo("BackupFileExists");
    }

    assertThat(Restore.into(backupFile, restoredDir)).isPositive();
    assertThatThrownBy(() -> Restore.into(backupFile, restoredDir)).isInstanceOfSatisfying(Problem.class,
        p -> assertThat(p.code()).isEqualTo("DataFolderNotEmpty"));

    SettableClock later = new SettableClock(OCT.plus(Duration.ofMinutes(68)));
    try (TestServer restored = TestServer.startOn(restoredDir, admin, o -> o.withClock(later))) {
      assertThat(invoice(restored, csp)).isEqualTo(invoiceAtBackup);
      TestClient intake = restored.client(EndpointRole.STACK_ADMIN_ARM);
      int accepted = 0;
      for (int b = 0; b < batches.size(); b++) {
        JsonNode ack = post(intake, batches.get(b));
        if (b < acknowledgedBeforeBackup) {
          assertThat(ack.path("accepted").asInt()).as("batch " + b + " was acknowledged before the backup").isZero();
        }
        accepted += ack.path("accepted").asInt();
      }
      assertThat(accepted).as("some batches were sent after the backup").isLessThan(batches.size() * 100);
      later.set(OCT.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(5)));
      List<UsageEvent> all = new ArrayList<>(firstHour);
      batches.forEach(all::addAll);
      assertThat(UsageTotals.reported(restored.client(EndpointRole.STACK_ADMIN_ARM), operatorSubscription,
          OCT, OCT.plus(Duration.ofHours(2)), "Hourly")).isEqualTo(UsageTotals.of(all));
    }
  }

  @Test
  void aPostgreSqlStoreIsNotBackedUpByTheServerButByPgDump() throws Exception {
    try (TestServer server = TestServer.start(Engine.POSTGRESQL)) {
      Path file = Files.createTempDirectory("stackledger-backup").resolve("store.zip");
      TestClient.Response r = server.client(EndpointRole.STACK_ADMIN_ARM).post(BACKUP,
          Json.text(Json.object().put("file", file.toString())));
      assertThat(r.status()).as(r.body()).isEqualTo(409);
      assertThat(r.errorCode()).isEqualTo("BackupByPostgreSQL");
      assertThat(file).doesNotExist();
    }
  }

  static JsonNode post(TestClient intake, List<UsageEvent> batch) {
    TestClient.Response r = intake.post(INTAKE, new String(UsageEvent.toJson(batch), StandardCharsets.UTF_8));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static JsonNode invoice(TestServer server, TestServer.TestTenant csp) {
    TestClient client = server.client().anonymous().withToken(server.token(csp.clientId(), csp.clientSecret(),
        csp.tenantId(), Stackledger.CLOUD_AUDIENCE));
    TestClient.Response r = client.get("/subscriptions/" + csp.subscriptionId()
        + "/providers/Stackledger.Billing/invoices/2026-10" + V);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }
}
