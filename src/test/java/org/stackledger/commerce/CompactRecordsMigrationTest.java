package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.store.Database;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestDatabases;

/**
 * A store written by the release before the compact form (one row per record, migration 13) keeps
 * its records, invoices, explanations and exactly-once memory once this release has opened it.
 */
@Tag("storage")
class CompactRecordsMigrationTest {
  private static final String CLOUD = "6f1e2d3c-0000-4000-8000-0000000000c1";
  private static final String MAPPED_SUB = "aaaaaaaa-0000-4000-8000-000000000001";
  private static final String DEFAULT_SUB = "bbbbbbbb-0000-4000-8000-000000000002";
  private static final String CUSTOMER_PAYER = "cccccccc-0000-4000-8000-000000000003";
  private static final String REGISTRATION_PAYER = "dddddddd-0000-4000-8000-000000000004";
  private static final String REGISTRATION = "/subscriptions/" + REGISTRATION_PAYER
      + "/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/reg1";
  private static final Instant MAPPED_FROM = Instant.parse("2026-09-15T00:00:00Z");
  private static final Instant FIRST_HOUR = Instant.parse("2026-10-03T00:00:00Z");
  private static final List<String> METERS = List.of("FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5",
      "9CD92D4C-BAFD-4492-B278-BEDC2DE8232A");
  private static final BigDecimal PRICE = new BigDecimal("0.0123");
  private static final int DIVISOR = 1;

  @TempDir
  Path tempDir;

  @ParameterizedTest
  @EnumSource(Engine.class)
  void recordsStoredOneRowEachAreFoundOnTheirInvoicesAndInTheirHoursAfterTheMove(Engine engine) throws Exception {
    String url = TestDatabases.fresh(engine);
    String jdbcUrl = url != null ? url : "jdbc:h2:file:" + tempDir.resolve("db").resolve("stackledger").toAbsolutePath()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    Flyway.configure().dataSource(jdbcUrl, null, null).locations("classpath:db/migration").target("13").load().migrate();
    List<UsageRecord> written = writeOldRows(jdbcUrl);

    try (Database db = url != null ? Database.open(url, null, null) : Database.embedded(tempDir)) {
      var jdbi = db.jdbi();
      assertThat(LegacyRecords.move(jdbi)).isEqualTo((long) written.size());
      long left = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM commerce_usage_records").mapTo(Long.class)
          .one());
      assertThat(left).as("old rows left behind").isZero();
      assertThat(LegacyRecords.move(jdbi)).as("a second start moves nothing").isZero();

      // The invoices: per (local subscription, meter) the quantities sent, each line's amount rounded once.
      Invoices invoices = new Invoices(jdbi, Clock.fixed(Instant.parse("2026-10-20T00:00:00Z"), ZoneOffset.UTC));
      for (String payer : List.of(CUSTOMER_PAYER, REGISTRATION_PAYER)) {
        String sub = payer.equals(CUSTOMER_PAYER) ? MAPPED_SUB : DEFAULT_SUB;
        Map<String, BigDecimal> sent = new TreeMap<>();
        Map<String, Long> count = new TreeMap<>();
        for (UsageRecord r : written) {
          if (r.subscriptionId().equals(sub)) {
            sent.merge(r.meterId(), r.quantity(), BigDecimal::add);
            count.merge(r.meterId(), 1L, Long::sum);
          }
        }
        Invoice invoice = invoices.find(payer, "2026-10").orElseThrow();
        assertThat(invoice.lines()).hasSize(sent.size());
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        for (Invoice.Line l : invoice.lines()) {
          assertThat(l.localSubscriptionId()).isEqualTo(sub);
          assertThat(l.quantity()).isEqualByComparingTo(sent.get(l.meterId()));
          assertThat(l.records()).isEqualTo(count.get(l.meterId()));
          BigDecimal amount = sent.get(l.meterId()).multiply(PRICE).setScale(2, RoundingMode.HALF_EVEN);
          assertThat(l.amount()).isEqualTo(amount);
          total = total.add(amount);
        }
        assertThat(invoice.total()).isEqualTo(total);
      }

      // The explanation's look-up: the records of one local subscription's hour, as attributed then.
      List<StoredRecord> hour = jdbi.withHandle(h -> RecordStore.ofDay(h, CLOUD, FIRST_HOUR));
      assertThat(hour).filteredOn(r -> r.usage().subscriptionId().equals(MAPPED_SUB)
              && r.usage().usageHour().equals(FIRST_HOUR))
          .hasSize((int) written.stream().filter(r -> r.subscriptionId().equals(MAPPED_SUB)
              && r.usageHour().equals(FIRST_HOUR)).count())
          .allSatisfy(r -> {
            assertThat(r.rule()).isEqualTo(Attribution.Rule.CustomerSubscription);
            assertThat(r.mappedFrom()).isEqualTo(MAPPED_FROM);
            assertThat(r.billingSubscriptionId()).isEqualTo(CUSTOMER_PAYER);
          });

      // Exactly-once: every old key is known, with its quantity.
      Map<RecordStore.Key, BigDecimal> known = jdbi.inTransaction(h -> RecordStore.known(h, CLOUD,
          written.stream().map(r -> RecordStore.Key.of(r.key())).toList()));
      assertThat(known).hasSize(written.size());
      for (UsageRecord r : written) {
        assertThat(known.get(RecordStore.Key.of(r.key()))).isEqualByComparingTo(r.quantity());
      }
    }
  }

  @org.junit.jupiter.api.Test
  void aRecordKeepsTheKeyThePreviousReleaseStoredForIt() throws Exception {
    UsageRecord r = new UsageRecord(CLOUD, FIRST_HOUR.plusSeconds(3600), FIRST_HOUR.plusSeconds(60),
        FIRST_HOUR.plusSeconds(3600), MAPPED_SUB, "eeeeeeee-0000-4000-8000-000000000005", METERS.get(0).toLowerCase(),
        "/subscriptions/" + MAPPED_SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm0", "Local",
        BigDecimal.ONE);
    // The key as release 13 computed it: the reported hour, then 88 bits of a digest of the joined identity.
    String identity = String.join("\n", CLOUD, r.reportedHour().toString(), MAPPED_SUB, METERS.get(0), r.resourceUri(),
        "local", FIRST_HOUR.toString());
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
        .digest(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String expected = "2026100301" + java.util.HexFormat.of().formatHex(digest, 0, 11);
    assertThat(r.key()).isEqualTo(expected);
    assertThat(new UsageRecord.Keys().of(r)).isEqualTo(expected);
  }

  /** Records of two local subscriptions over ten hours, stored as the previous release did, with their drafts. */
  private static List<UsageRecord> writeOldRows(String jdbcUrl) throws Exception {
    SplittableRandom random = new SplittableRandom(13);
    List<UsageRecord> records = new ArrayList<>();
    for (int hour = 0; hour < 10; hour++) {
      Instant start = FIRST_HOUR.plusSeconds(3600L * hour);
      for (String sub : List.of(MAPPED_SUB, DEFAULT_SUB)) {
        for (String meter : METERS) {
          for (int vm = 0; vm < 3; vm++) {
            records.add(new UsageRecord(CLOUD, start.plusSeconds(3600), start, start.plusSeconds(3600), sub,
                sub.equals(MAPPED_SUB) ? "eeeeeeee-0000-4000-8000-000000000005" : "ffffffff-0000-4000-8000-000000000006",
                meter, "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm" + vm,
                "local", BigDecimal.valueOf(random.nextLong(1, 10_000_000), 4)));
          }
        }
      }
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO invoices (billing_subscription_id, invoice_month, "
          + "currency, state, created_at) VALUES (?, '2026-10', 'USD', 'Draft', ?)")) {
        for (String payer : List.of(CUSTOMER_PAYER, REGISTRATION_PAYER)) {
          ps.setString(1, payer);
          ps.setObject(2, at(FIRST_HOUR));
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO commerce_usage_records (record_key, cloud_id, "
          + "reported_hour, usage_hour, usage_start, usage_end, local_subscription_id, tenant_id, meter_id, resource_uri, "
          + "location, quantity, registration_id, billing_subscription_id, attribution_rule, customer_mapped_from, "
          + "billing_model, commerce_meter_id, currency, unit_price, unit_divisor, usage_month, invoice_month, adjustment, "
          + "source, batch_id, received_at, origin_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          + "?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (UsageRecord r : records) {
          boolean mapped = r.subscriptionId().equals(MAPPED_SUB);
          int i = 1;
          ps.setString(i++, r.key());
          ps.setString(i++, r.cloudId());
          ps.setObject(i++, at(r.reportedHour()));
          ps.setObject(i++, at(r.usageHour()));
          ps.setObject(i++, at(r.usageStart()));
          ps.setObject(i++, at(r.usageEnd()));
          ps.setString(i++, r.subscriptionId());
          ps.setString(i++, r.tenantId());
          ps.setString(i++, r.meterId());
          ps.setString(i++, r.resourceUri());
          ps.setString(i++, r.location());
          ps.setBigDecimal(i++, r.quantity());
          ps.setString(i++, REGISTRATION);
          ps.setString(i++, mapped ? CUSTOMER_PAYER : REGISTRATION_PAYER);
          ps.setString(i++, mapped ? "CustomerSubscription" : "RegistrationDefault");
          ps.setObject(i++, mapped ? at(MAPPED_FROM) : null, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
          ps.setString(i++, "PayAsYouUse");
          ps.setString(i++, r.meterId());
          ps.setString(i++, "USD");
          ps.setBigDecimal(i++, PRICE);
          ps.setInt(i++, DIVISOR);
          ps.setString(i++, "2026-10");
          ps.setString(i++, "2026-10");
          ps.setBoolean(i++, false);
          ps.setString(i++, "Bridge");
          ps.setString(i++, "batch-" + r.usageHour());
          ps.setObject(i++, at(r.reportedHour()));
          ps.setLong(i, r.originKey());
          ps.executeUpdate();
        }
      }
    }
    return records;
  }

  private static OffsetDateTime at(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
