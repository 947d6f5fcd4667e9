package org.stackledger.commerce;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The yardstick of {@code bench commerce}: the compact rows records are stored as, made ahead and then
 * written in one transaction with nothing else — no attribution, rating, exactly-once check, lock or
 * invoice. Each tenant's records are one block, as commerce makes one block per payer. Not a path
 * for usage: what it writes is billed to nobody.
 */
public final class PlainRows {
  private final RecordStore.Rows rows;

  private PlainRows(RecordStore.Rows rows) {
    this.rows = rows;
  }

  /** The rows of these records of one deployment, encoded and keyed now. */
  public static PlainRows of(String cloudId, List<UsageRecord> records, String batchId, Instant received) {
    List<UsageRecord> byTenant = new ArrayList<>(records);
    byTenant.sort(Comparator.comparing(UsageRecord::tenantId));
    List<StoredRecord> stored = new ArrayList<>(records.size());
    List<RecordStore.Key> keys = new ArrayList<>(records.size());
    UsageRecord.Keys keyOf = new UsageRecord.Keys();
    for (UsageRecord u : byTenant) {
      String month = u.usageHour().toString().substring(0, 7);
      stored.add(new StoredRecord(u, "plain", u.tenantId(), Attribution.Rule.RegistrationDefault, null, "PayAsYouUse",
          u.meterId(), "USD", BigDecimal.ONE, 1, month, month, false));
      keys.add(keyOf.binary(u));
    }
    return new PlainRows(RecordStore.Rows.of(cloudId, stored, keys, "Bench", batchId, received));
  }

  /** Writes the rows in one transaction. */
  public void insert(Jdbi jdbi) {
    jdbi.useTransaction(rows::write);
  }
}
