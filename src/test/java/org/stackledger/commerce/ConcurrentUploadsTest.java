package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.registration.BillingModel;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;

/**
 * Exactly-once under a race: the same batch uploaded by several connections at the same moment (a
 * bridge retrying while its first upload is still running) is stored once, whichever wins the hours'
 * locks, and the others find every record a duplicate.
 */
@Tag("storage")
class ConcurrentUploadsTest {
  private static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
  private static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theSameBatchSentFourTimesAtOnceIsStoredOnce(Engine engine) throws Exception {
    try (CommerceWorld w = new CommerceWorld(engine, OCT, BillingModel.PayAsYouUse)) {
      w.at(OCT.plus(Duration.ofDays(1)));
      String sub = UUID.randomUUID().toString();
      String tenant = UUID.randomUUID().toString();
      List<CommerceWorld.Rec> records = new ArrayList<>();
      BigDecimal sent = BigDecimal.ZERO;
      for (int hour = 0; hour < 3; hour++) {
        Instant h = OCT.plus(Duration.ofHours(hour));
        for (int vm = 0; vm < 400; vm++) {
          BigDecimal q = BigDecimal.valueOf(vm + 1, 2);
          records.add(new CommerceWorld.Rec(sub, tenant, BASE_VM, "Microsoft.Compute/virtualMachines/vm" + vm, h,
              h.plus(Duration.ofHours(1)), q));
          sent = sent.add(q);
        }
      }
      String body = CommerceWorld.body("race", w.cloudId(), records);
      String path = w.registration.path() + CommerceWorld.UPLOAD;
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<TestClient.Response>> sends = new ArrayList<>();
      try {
        // Signed in first, so that the four posts leave together.
        List<TestClient> bridges = List.of(w.bridge(), w.bridge(), w.bridge(), w.bridge());
        for (TestClient bridge : bridges) {
          Callable<TestClient.Response> send = () -> bridge.post(path, body);
          sends.add(pool.submit(send));
        }
        int accepted = 0;
        int duplicates = 0;
        for (Future<TestClient.Response> f : sends) {
          TestClient.Response r = f.get();
          assertThat(r.status()).as(r.body()).isEqualTo(200);
          accepted += r.json().path("accepted").asInt();
          duplicates += r.json().path("duplicates").asInt();
        }
        assertThat(accepted).isEqualTo(records.size());
        assertThat(duplicates).isEqualTo(3 * records.size());
      } finally {
        pool.shutdownNow();
      }
      var lines = w.operator().get("/subscriptions/" + w.registration.subscriptionId()
          + "/providers/Stackledger.Billing/invoices/2026-10?api-version=2026-11-01").json()
          .path("properties").path("lines");
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0).path("quantity").decimalValue()).isEqualByComparingTo(sent);
      assertThat(lines.get(0).path("records").asLong()).isEqualTo(records.size());
    }
  }
}
