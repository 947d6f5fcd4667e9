package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.stackledger.registration.BillingModel;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestPartner;
import org.stackledger.testing.TestServer;

/**
 * A month of billed usage with Partner Center behind it: a direct partner's customer (Contoso) and an
 * indirect reseller's customer (Fabrikam), both ordered through Partner Center (so each partner holds
 * Owner on its customer's subscription, admin-on-behalf-of); a customer known only to the test's
 * Partner Center boundary (c1), and one never mapped (c3), whose usage the registration pays. The test
 * sets its own prices on the records and keeps its own expected invoice totals, computed from the
 * records it sent.
 */
final class PartnerViews implements AutoCloseable {
  static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
  static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
  static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  static final String WINDOWS_VM = "9CD92D4C-BAFD-4492-B278-BEDC2DE8232A";
  static final String BLOCK_BLOB = "09F8879E-87E9-4305-A572-4B7BE209F857";
  /** Price and divisor per meter, as spec §7 has them (blob per GB-month, over a 744-hour month). */
  static final Map<String, BigDecimal> PRICE = Map.of(BASE_VM, new BigDecimal("0.008"), WINDOWS_VM,
      new BigDecimal("0.046"), BLOCK_BLOB, new BigDecimal("0.006"));
  static final Map<String, Integer> DIVISOR = Map.of(BASE_VM, 1, WINDOWS_VM, 1, BLOCK_BLOB, 744);
  static final String CONTOSO = "Contoso, Ltd.";

  final CommerceWorld w;
  final TestPartner direct;
  final TestPartner provider;
  final TestPartner reseller;
  final String contosoId;
  final String contosoSub;
  final String fabrikamId;
  final String fabrikamSub;
  final TestServer.TestTenant c1;
  final TestServer.TestTenant c3;
  final String registrationSub;
  /** Local subscription on the deployment per directory tenant. */
  final Map<String, String> localSubOf = new TreeMap<>();
  /** Expected invoice total per billing subscription, from the records sent. */
  final Map<String, BigDecimal> expectedTotals = new TreeMap<>();
  /** Expected line amount per billing subscription and meter ({@code sub|METER}), from the records sent. */
  final Map<String, BigDecimal> expectedLineAmounts = new TreeMap<>();
  /** The quantity sent per billing subscription and meter ({@code sub|METER}). */
  final Map<String, BigDecimal> sentQuantities = new TreeMap<>();
  /** Who pays for each directory tenant's usage. */
  final Map<String, String> payerOf;

  PartnerViews(Engine engine, int hourStep) throws Exception {
    w = new CommerceWorld(engine, OCT, BillingModel.PayAsYouUse);
    direct = TestPartner.create(w.server, "Direct", null);
    provider = TestPartner.create(w.server, "IndirectProvider", null);
    reseller = TestPartner.create(w.server, "IndirectReseller", provider.partnerId());
    contosoId = customer(direct, CONTOSO);
    contosoSub = order(direct, contosoId);
    fabrikamId = customer(reseller, "Fabrikam");
    fabrikamSub = order(reseller, fabrikamId);
    c1 = w.customer();
    c3 = w.customer();
    registrationSub = w.registration.subscriptionId();
    // The registration's partner may map these: the boundary says they roll up to it.
    w.partnerCenter.csp(contosoSub, contosoId, w.registration.partnerId());
    w.partnerCenter.csp(fabrikamSub, fabrikamId, w.registration.partnerId());
    w.map(contosoSub, contosoId);
    w.map(fabrikamSub, fabrikamId);
    w.map(c1.subscriptionId(), c1.tenantId());
    payerOf = Map.of(contosoId, contosoSub, fabrikamId, fabrikamSub, c1.tenantId(),
        c1.subscriptionId(), c3.tenantId(), registrationSub);
    for (String tenant : payerOf.keySet()) {
      localSubOf.put(tenant, UUID.randomUUID().toString());
    }
    w.at(NOV.plus(Duration.ofHours(2)));

    Random random = new Random(20261126L);
    List<CommerceWorld.Rec> month = new ArrayList<>();
    for (Instant h = OCT; h.isBefore(NOV); h = h.plus(Duration.ofHours(hourStep))) {
      for (String tenant : payerOf.keySet()) {
        for (String meter : PRICE.keySet()) {
          if (random.nextInt(3) == 0) {
            continue;
          }
          month.add(new CommerceWorld.Rec(localSubOf.get(tenant), tenant, meter, "Microsoft.Compute/virtualMachines/vm"
              + random.nextInt(3), h, h.plus(Duration.ofHours(1)), BigDecimal.valueOf(random.nextInt(4_000_000), 4)));
        }
      }
    }
    for (int from = 0; from < month.size(); from += 2000) {
      var r = w.upload(w.cloudId() + ":" + from, month.subList(from, Math.min(month.size(), from + 2000)));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
    // The test's own prices on the records, whatever the price sheet said, so that its expected totals
    // depend on nothing the server computed.
    reprice(w.server.app().database().jdbi());
    // The totals, independently: quantities summed per line (local subscription, meter), rounded once per line.
    Map<String, BigDecimal> lineQuantity = new TreeMap<>();
    for (CommerceWorld.Rec r : month) {
      lineQuantity.merge(payerOf.get(r.tenantId()) + "|" + r.meterId(), r.quantity(), BigDecimal::add);
    }
    lineQuantity.forEach((k, q) -> {
      String meter = k.substring(k.indexOf('|') + 1);
      BigDecimal amount = q.multiply(PRICE.get(meter)).divide(BigDecimal.valueOf(DIVISOR.get(meter)), 2,
          RoundingMode.HALF_EVEN);
      expectedTotals.merge(k.substring(0, k.indexOf('|')), amount, BigDecimal::add);
      expectedLineAmounts.put(k, amount);
      sentQuantities.put(k, q);
    });
  }

  /** Puts the test's prices on every stored record of its meters, block by block. */
  private static void reprice(org.jdbi.v3.core.Jdbi jdbi) {
    jdbi.useTransaction(h -> {
      org.stackledger.store.Blobs blobs = org.stackledger.store.Blobs.of(h);
      h.createQuery("SELECT block_seq, cloud_id, billing_subscription_id, invoice_month, body, body_ref "
            + "FROM commerce_record_blocks").map((rs, ctx) -> {
          List<StoredRecord> records = new ArrayList<>();
          for (StoredRecord r : RecordCodec.decode(blobs.get(rs, 5, 6), rs.getString(2), rs.getString(3),
              rs.getString(4))) {
            String meter = r.usage().meterId().toUpperCase(java.util.Locale.ROOT);
            records.add(!PRICE.containsKey(meter) ? r : new StoredRecord(r.usage(), r.registrationId(),
                r.billingSubscriptionId(), r.rule(), r.mappedFrom(), r.billingModel(), r.commerceMeterId(), r.currency(),
                PRICE.get(meter), DIVISOR.get(meter), r.usageMonth(), r.invoiceMonth(), r.adjustment()));
          }
          return Map.entry(rs.getLong(1), RecordCodec.encode(records));
        }).list().forEach(e -> {
          // Wherever the store keeps a block's body (the row, or a segment file beside the embedded store).
          org.stackledger.store.Blobs.Stored body = blobs.put("commerce-repriced", e.getValue());
          h.createUpdate("UPDATE commerce_record_blocks SET body = :b, body_ref = :r WHERE block_seq = :s")
              .bind("b", body.inline()).bind("r", body.ref()).bind("s", e.getKey()).execute();
        });
    });
  }

  private static String customer(TestPartner partner, String company) {
    var made = partner.newCustomer(company);
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return made.json().path("id").asText();
  }

  private static String order(TestPartner partner, String customerId) {
    var order = partner.orderCsp(customerId, "azure stack " + customerId.substring(0, 8));
    assertThat(order.status()).as(order.body()).isEqualTo(201);
    return order.json().path("lineItems").path(0).path("subscriptionId").asText();
  }

  /** A minimal RFC 4180 reader: rows of cells, the header first. */
  static List<List<String>> csv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\n') {
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else if (c != '\r') {
        cell.append(c);
      }
    }
    return rows;
  }

  @Override
  public void close() throws Exception {
    w.close();
  }
}
