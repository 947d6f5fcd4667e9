package org.stackledger.archive;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.http.Json;
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
 * Retention end to end on a registered deployment: October's usage is posted, shipped and billed;
 * the archive is refused while October may still change, and taken once it is final; invoices, line
 * explanations, the reconciliation file and the usage API answer the same before and after; a file
 * changed, cut short or of another CloudId is refused and changes nothing; importing puts back every
 * event once, and again nothing.
 */
@Tag("storage")
class ArchiveTest {
  static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
  static final Instant FEB = Instant.parse("2027-02-02T00:00:00Z");
  static final String V = "?api-version=2026-11-01";
  static final String ARCHIVES = "/providers/Stackledger.Usage/archives" + V;
  static final String INTAKE = "/providers/Stackledger.Usage/usageEvents" + V;

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aFinalMonthIsArchivedAndImportedBackWithEveryAnswerUnchangedAndNothingCountedTwice(Engine engine)
      throws Exception {
    SettableClock clock = new SettableClock(OCT);
    try (TestServer server = TestServer.start(engine, o -> o.withClock(clock))) {
      RegisteredDeployment registration = RegisteredDeployment.register(server);
      Stack stack = Stack.of(server);
      String offer = stack.publicOffer("archive", "Public");
      List<String> subscriptions = List.of(stack.subscribe(stack.guest(), offer, null),
          stack.subscribe(stack.guest(), offer, null));
      List<UsageEvent> sent = sendHours(server, clock, subscriptions, 4);
      shipAll(server);

      TestClient admin = server.client(EndpointRole.STACK_ADMIN_ARM);
      TestClient.Response early = admin.post(ARCHIVES, "{\"before\":\"2026-11\"}");
      assertThat(early.status()).as(early.body()).isEqualTo(409);
      assertThat(early.errorCode()).isEqualTo("MonthNotFinal");

      // Past October's finality: one event of February makes October no longer the log's newest month.
      clock.set(FEB);
      TestClient.Response newest = server.client(EndpointRole.STACK_ADMIN_ARM).post(ARCHIVES, "{\"before\":\"2027-01\"}");
      assertThat(newest.status()).as(newest.body()).isEqualTo(409);
      assertThat(newest.errorCode()).as("the intake continues its sequence from the newest batch").isEqualTo(
          "NewestMonthKept");
      UsageEvent february = new UsageEvent("feb-1", subscriptions.get(0), sent.get(0).meterId(), BigDecimal.ONE,
          FEB.minus(Duration.ofHours(1)), FEB, sent.get(0).resourceUri(), sent.get(0).location(), null, null);
      assertThat(server.client(EndpointRole.STACK_ADMIN_ARM).post(INTAKE, new String(UsageEvent.toJson(List.of(february)),
          StandardCharsets.UTF_8)).status()).isEqualTo(200);
      String billing = registration.csp().subscriptionId();
      TestClient.Response finalized = operator(server).post("/subscriptions/" + billing
          + "/providers/Stackledger.Billing/invoices/2026-10/finalize" + V, null);
      assertThat(finalized.status()).as(finalized.body()).isLessThan(500);
      Answers before = Answers.read(server, registration, stack.operator());
      assertThat(before.usage()).isEqualTo(UsageTotals.of(sent));

      // On the embedded store the month's raw usage is in its own segment files (store/Blobs), which the
      // archive removes: the disk gets the room back, not only the tables.
      Path segments = server.dataDir().toAbsolutePath().resolve("db").resolve("segments");
      if (engine == Engine.H2) {
        assertThat(segmentFiles(segments, "usage-2026-10")).isNotEmpty();
      }
      TestClient.Response archived = server.client(EndpointRole.STACK_ADMIN_ARM).post(ARCHIVES,
          "{\"before\":\"2027-01\"}");
      assertThat(archived.status()).as(archived.body()).isEqualTo(200);
      JsonNode month = archived.json().path("months").get(0);
      assertThat(archived.json().path("months").size()).isEqualTo(1);
      assertThat(month.path("month").asText()).isEqualTo("2026-10");
      assertThat(month.path("events").asLong()).isEqualTo(sent.size());
      Path file = Path.of(month.path("file").asText());
      assertThat(file).exists().startsWith(server.dataDir().toAbsolutePath());
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as("tenants' usage is the operator's to read").isEqualTo("rw-------");
      assertThat(Answers.read(server, registration, stack.operator())).isEqualTo(before);

      // Refused whole: one byte flipped, the file cut short, a file of another CloudId.
      byte[] genuine = Files.readAllBytes(file);
      byte[] flipped = genuine.clone();
      flipped[genuine.length / 2] ^= 0x01;
      assertRefused(server, write(server, "flipped", flipped), 400, "ArchiveSignatureMismatch");
      assertRefused(server, write(server, "cut", java.util.Arrays.copyOf(genuine, genuine.length * 2 / 3)), 400,
          "ArchiveTruncated");
      assertRefused(server, write(server, "cut-signature", java.util.Arrays.copyOf(genuine, genuine.length - 5)), 400,
          "ArchiveTruncated");
      String text = new String(genuine, StandardCharsets.ISO_8859_1);
      String cloudId = Json.MAPPER.readTree(text.substring(0, text.indexOf('\n'))).path("cloudId").asText();
      String other = java.util.UUID.randomUUID().toString();
      assertRefused(server, write(server, "other-cloud", text.replace(cloudId, other).getBytes(StandardCharsets.ISO_8859_1)),
          400, "CloudIdMismatch");
      assertThat(Answers.read(server, registration, stack.operator())).isEqualTo(before);

      if (engine == Engine.H2) {
        assertThat(segmentFiles(segments, "usage-2026-10")).as("the archived month's segments are removed").isEmpty();
        assertThat(segmentFiles(segments, "usage-2027-02")).as("a later month's are kept").isNotEmpty();
      }
      JsonNode imported = importFile(server, file);
      assertThat(imported.path("restoredEvents").asLong()).as("every archived event is back, the refusals changed "
          + "nothing").isEqualTo(sent.size());
      assertThat(imported.path("restoredBatches").asLong()).isEqualTo(month.path("batches").asLong());
      JsonNode again = importFile(server, file);
      assertThat(again.path("events").asLong()).isEqualTo(sent.size());
      assertThat(again.path("restoredEvents").asLong()).as("a second import changes nothing").isZero();
      assertRefused(server, write(server, "flipped-held", flipped), 400, "ArchiveSignatureMismatch");
      assertThat(Answers.read(server, registration, stack.operator())).isEqualTo(before);

      TestClient.Response stillHeld = server.client(EndpointRole.STACK_ADMIN_ARM).post(ARCHIVES,
          "{\"before\":\"2027-03\"}");
      assertThat(stillHeld.status()).as("February is neither final nor older than the newest batch").isEqualTo(409);
    }
  }

  private static List<Path> segmentFiles(Path folder, String partition) throws java.io.IOException {
    try (var files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith("." + partition + ".seg")).toList();
    }
  }

  /** What the deployment and the cloud answer about October; equal before and after the archive. */
  record Answers(JsonNode lines, BigDecimal total, JsonNode explanation, String reconciliation,
      Map<String, BigDecimal> usage) {
    static Answers read(TestServer server, RegisteredDeployment registration, String operatorSubscription)
        throws Exception {
      String billing = registration.csp().subscriptionId();
      TestClient csp = csp(server, registration);
      TestClient.Response invoice = csp.get("/subscriptions/" + billing
          + "/providers/Stackledger.Billing/invoices/2026-10" + V);
      assertThat(invoice.status()).as(invoice.body()).isEqualTo(200);
      JsonNode lines = invoice.json().path("properties").path("lines");
      assertThat(lines.size()).isPositive();
      TestClient.Response explanation = csp.get("/subscriptions/" + billing
          + "/providers/Stackledger.Billing/invoices/2026-10/lines/" + lines.get(0).path("line").asInt() + V);
      assertThat(explanation.status()).as(explanation.body()).isEqualTo(200);
      TestClient.Response reconciliation = operator(server).get("/providers/Stackledger.Billing/reconciliation" + V
          + "&month=2026-10");
      assertThat(reconciliation.status()).as(reconciliation.body()).isEqualTo(200);
      return new Answers(lines, invoice.json().path("properties").path("total").decimalValue(), explanation.json(),
          reconciliation.body(), UsageTotals.reported(server.client(EndpointRole.STACK_ADMIN_ARM), operatorSubscription, OCT,
          Instant.parse("2026-10-02T00:00:00Z"), "Daily"));
    }
  }

  /** Posts each simulated hour's events when it is over, as resource providers do. */
  static List<UsageEvent> sendHours(TestServer server, SettableClock clock, List<String> subscriptions, int hours)
      throws Exception {
    List<Simulation.Tenant> tenants = subscriptions.stream().map(s -> new Simulation.Tenant(s, "local")).toList();
    Iterator<List<UsageEvent>> simulated = Simulation.of(7, tenants, OCT, OCT.plus(Duration.ofHours(hours)),
        Simulation.Sizing.standard()).hours();
    List<UsageEvent> sent = new ArrayList<>();
    Instant hour = OCT;
    while (simulated.hasNext()) {
      List<UsageEvent> events = simulated.next();
      hour = hour.plus(Duration.ofHours(1));
      clock.set(hour.plus(Duration.ofMinutes(7)));
      TestClient intake = server.client(EndpointRole.STACK_ADMIN_ARM);
      for (int from = 0; from < events.size(); from += 1000) {
        TestClient.Response r = intake.post(INTAKE, new String(UsageEvent.toJson(
            events.subList(from, Math.min(events.size(), from + 1000))), StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
      }
      sent.addAll(events);
    }
    clock.set(hour.plus(Duration.ofHours(3)));
    return sent;
  }

  static void shipAll(TestServer server) throws Exception {
    JsonNode status = null;
    for (int i = 0; i < 10 && (status == null || status.path("pendingHours").asLong() > 0); i++) {
      status = server.client(EndpointRole.STACK_ADMIN_ARM).post("/providers/Stackledger.Bridge/ship" + V, null).json();
    }
    assertThat(status.path("pendingHours").asLong()).as(status.toString()).isZero();
  }

  static JsonNode importFile(TestServer server, Path file) throws Exception {
    TestClient.Response r = server.client(EndpointRole.STACK_ADMIN_ARM).post("/providers/Stackledger.Usage/archives/import"
        + V, Json.text(Json.object().put("file", file.toString())));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static void assertRefused(TestServer server, Path file, int status, String code) throws Exception {
    TestClient.Response r = server.client(EndpointRole.STACK_ADMIN_ARM).post("/providers/Stackledger.Usage/archives/import"
        + V, Json.text(Json.object().put("file", file.toString())));
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.errorCode()).as(r.body()).isEqualTo(code);
  }

  static Path write(TestServer server, String name, byte[] bytes) throws Exception {
    Path file = server.dataDir().toAbsolutePath().resolve(name + ".slua");
    Files.write(file, bytes);
    return file;
  }

  static TestClient csp(TestServer server, RegisteredDeployment registration) {
    TestServer.TestTenant t = registration.csp();
    return server.client().anonymous().withToken(server.token(t.clientId(), t.clientSecret(), t.tenantId(),
        Stackledger.CLOUD_AUDIENCE));
  }

  static TestClient operator(TestServer server) {
    return server.client().anonymous().withToken(server.token(server.admin().clientId(), server.admin().clientSecret(),
        server.app().homeTenantId(), Stackledger.CLOUD_AUDIENCE));
  }
}
