package org.stackledger.commerce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.stackledger.store.Blobs;
import org.stackledger.store.Database;

/**
 * The stored usage records, in the compact form of V14: blocks of encoded records
 * ({@link RecordCodec}), one per upload and invoice; the keys of each CloudId's reported hour, for
 * exactly-once. Blocks are per usage day too, which is how the explanation finds a usage hour's records.
 * Runs in the caller's transaction.
 */
final class RecordStore {
  /** Bytes of a record key's digest (its 88 bits, as {@link UsageRecord#key()} writes them in hex). */
  static final int DIGEST_BYTES = 11;

  /**
   * The embedded store's segments of records and keys, a month of usage each (see {@link Blobs}); no
   * retention removes them, the month keeps a segment file to a size a file system handles well.
   */
  private static final String PARTITION = "commerce";

  private RecordStore() {}

  /** A record key in binary: the reported hour since the epoch and the digest. */
  record Key(int hour, long high, int low) {
    /** The key of a record key's text ({@link UsageRecord#key()}). */
    static Key of(String key) {
      return of(hourOf(key), HexFormat.of().parseHex(key, 10, 10 + 2 * DIGEST_BYTES), 0);
    }

    /** The digest's bytes, as {@link #of(int, byte[], int)} reads them. */
    byte[] digest() {
      byte[] d = new byte[DIGEST_BYTES];
      for (int i = 0; i < 8; i++) {
        d[i] = (byte) (high >>> (56 - 8 * i));
      }
      d[8] = (byte) (low >>> 16);
      d[9] = (byte) (low >>> 8);
      d[10] = (byte) low;
      return d;
    }

    static Key of(int hour, byte[] d, int at) {
      long high = 0;
      for (int i = 0; i < 8; i++) {
        high = high << 8 | (d[at + i] & 0xFF);
      }
      return new Key(hour, high, (d[at + 8] & 0xFF) << 16 | (d[at + 9] & 0xFF) << 8 | (d[at + 10] & 0xFF));
    }

    /** The hour a key's text starts with ({@code yyyyMMddHH}), in hours since the epoch. */
    static int hourOf(String key) {
      OffsetDateTime t = OffsetDateTime.of(Integer.parseInt(key, 0, 4, 10), Integer.parseInt(key, 4, 6, 10),
          Integer.parseInt(key, 6, 8, 10), Integer.parseInt(key, 8, 10, 10), 0, 0, 0, ZoneOffset.UTC);
      return (int) (t.toEpochSecond() / 3600);
    }
  }

  /**
   * The stored quantity of each of these keys that is already stored for the CloudId. Takes the lock
   * of every reported hour the keys name first, in hour order, and holds it for the caller's
   * transaction: a concurrent upload of the same hours waits, then finds these records.
   */
  static Map<Key, BigDecimal> known(Handle h, String cloudId, Iterable<Key> keys) {
    Map<Key, BigDecimal> wanted = new HashMap<>();
    TreeSet<Integer> hours = new TreeSet<>();
    for (Key k : keys) {
      wanted.put(k, null);
      hours.add(k.hour());
    }
    Map<Key, BigDecimal> found = new HashMap<>();
    if (hours.isEmpty()) {
      return found;
    }
    Integer[] hourList = hours.toArray(new Integer[0]);
    if (Database.isPostgreSQL(h)) {
      // One statement makes and locks the rows (ON CONFLICT DO UPDATE locks the row it meets, in the
      // order given), where the embedded store takes two; its text never changes, so the server plans it once.
      h.createUpdate("INSERT INTO commerce_record_hours (cloud_id, reported_hour) SELECT :c, h FROM unnest(:h) AS h "
          + "ORDER BY h ON CONFLICT (cloud_id, reported_hour) DO UPDATE SET reported_hour = EXCLUDED.reported_hour")
          .bind("c", cloudId).bindArray("h", Integer.class, (Object[]) hourList).execute();
    } else {
      PreparedBatch lock = h.prepareBatch("INSERT INTO commerce_record_hours (cloud_id, reported_hour) VALUES (:c, :h) "
          + "ON CONFLICT DO NOTHING");
      for (int hour : hours) {
        lock.bind("c", cloudId).bind("h", hour).add();
      }
      lock.execute();
      h.createQuery("SELECT reported_hour FROM commerce_record_hours WHERE cloud_id = :c AND reported_hour IN (<h>) "
          + "ORDER BY reported_hour FOR UPDATE").bind("c", cloudId).bindList("h", List.copyOf(hours))
          .mapTo(Integer.class).list();
    }
    Blobs blobs = Blobs.of(h);
    h.createQuery("SELECT reported_hour, record_keys, record_keys_ref FROM commerce_record_keys WHERE cloud_id = :c "
            + "AND reported_hour = ANY(:h)").bind("c", cloudId).bindArray("h", Integer.class, (Object[]) hourList)
        .map((rs, ctx) -> {
          int hour = rs.getInt(1);
          RecordCodec.In in = new RecordCodec.In(blobs.get(rs, 2, 3));
          byte[] digest = new byte[DIGEST_BYTES];
          while (in.more()) {
            in.read(digest, 0, DIGEST_BYTES);
            BigDecimal quantity = in.decimal();
            Key k = Key.of(hour, digest, 0);
            if (wanted.containsKey(k)) {
              found.put(k, quantity);
            }
          }
          return hour;
        }).list();
    return found;
  }

  /**
   * Adds the records: a block per invoice and usage day they go on, the keys of each reported hour
   * the explanation looks up.
   */
  static void insert(Handle h, String cloudId, List<RatedRecord> records, String source, String batchId, Instant now) {
    List<StoredRecord> stored = new ArrayList<>(records.size());
    List<Key> keys = new ArrayList<>(records.size());
    for (RatedRecord r : records) {
      stored.add(StoredRecord.of(r));
      keys.add(r.key());
    }
    insert(h, cloudId, stored, keys, source, batchId, now);
  }

  /** @param keys each record's key, in the order of the records */
  static void insert(Handle h, String cloudId, List<StoredRecord> records, List<Key> keys, String source,
      String batchId, Instant received) {
    Rows.of(cloudId, records, keys, source, batchId, received).write(h);
  }

  /**
   * The rows a set of records is stored as, made before any is written: a block per invoice the records
   * go on and usage day; the keys of each reported hour.
   */
  record Rows(String cloudId, String source, String batchId, Instant received, List<Block> blocks,
      Map<Integer, byte[]> keysOfHour) {
    /** One block's row: its invoice and usage day, how many of its records a mapping attributed, its records encoded. */
    record Block(String billingSubscriptionId, String invoiceMonth, int usageDay, int mappedRecords, int records,
        byte[] body) {}

    static Rows of(String cloudId, List<StoredRecord> records, List<Key> keys, String source, String batchId,
        Instant received) {
      record Place(String billingSubscriptionId, String month, int day) {}
      Map<Place, List<StoredRecord>> byPlace = new LinkedHashMap<>();
      Map<Integer, RecordCodec.Out> keysOfHour = new TreeMap<>();
      for (int i = 0; i < records.size(); i++) {
        StoredRecord s = records.get(i);
        byPlace.computeIfAbsent(new Place(s.billingSubscriptionId(), s.invoiceMonth(), dayOf(s.usage().usageHour())),
            k -> new ArrayList<>()).add(s);
        Key key = keys.get(i);
        RecordCodec.Out out = keysOfHour.computeIfAbsent(key.hour(), x -> new RecordCodec.Out(1024));
        out.key(key);
        out.decimal(s.usage().quantity());
      }
      List<Block> blocks = new ArrayList<>(byPlace.size());
      byPlace.forEach((place, block) -> {
        int mapped = 0;
        for (StoredRecord s : block) {
          mapped += s.rule() == Attribution.Rule.CustomerSubscription ? 1 : 0;
        }
        blocks.add(new Block(place.billingSubscriptionId(), place.month(), place.day(), mapped, block.size(),
            RecordCodec.encode(block)));
      });
      Map<Integer, byte[]> keyRows = new TreeMap<>();
      keysOfHour.forEach((hour, out) -> keyRows.put(hour, out.toArray()));
      return new Rows(cloudId, source, batchId, received, blocks, keyRows);
    }

    /** Writes the rows in the caller's transaction. */
    void write(Handle h) {
      if (blocks.isEmpty()) {
        return;
      }
      Blobs blobs = Blobs.of(h);
      PreparedBatch blockRows = h.prepareBatch("INSERT INTO commerce_record_blocks (billing_subscription_id, "
          + "invoice_month, cloud_id, usage_day, mapped_records, records, source, batch_id, received_at, body, body_ref) "
          + "VALUES (:s, :m, :c, :day, :mapped, :n, :source, :batch, :at, :body, :bodyRef)");
      for (Block b : blocks) {
        Blobs.Stored body = blobs.put(Blobs.monthly(PARTITION, Instant.ofEpochSecond(b.usageDay() * 86_400L)), b.body(),
            true);
        blockRows.bind("s", b.billingSubscriptionId()).bind("m", b.invoiceMonth()).bind("c", cloudId)
            .bind("day", b.usageDay()).bind("mapped", b.mappedRecords()).bind("n", b.records()).bind("source", source)
            .bind("batch", batchId).bind("at", at(received)).bind("body", body.inline()).bind("bodyRef", body.ref())
            .add();
      }
      blockRows.execute();
      PreparedBatch keyRows = h.prepareBatch("INSERT INTO commerce_record_keys (cloud_id, reported_hour, record_keys, "
          + "record_keys_ref) VALUES (:c, :h, :k, :kRef)");
      keysOfHour.forEach((hour, keys) -> {
        Blobs.Stored stored = blobs.put(Blobs.monthly(PARTITION, Instant.ofEpochSecond(hour * 3_600L)), keys);
        keyRows.bind("c", cloudId).bind("h", hour).bind("k", stored.inline()).bind("kRef", stored.ref()).add();
      });
      keyRows.execute();
    }
  }

  /** The records on an invoice. */
  static List<StoredRecord> onInvoice(Handle h, String billingSubscriptionId, String month) {
    return blocks(h, h.createQuery("SELECT cloud_id, billing_subscription_id, invoice_month, body, body_ref FROM "
        + "commerce_record_blocks WHERE billing_subscription_id = :s AND invoice_month = :m ORDER BY block_seq")
        .bind("s", billingSubscriptionId).bind("m", month));
  }

  /** The records of a deployment's usage day that holds this hour (the caller picks the hour's records). */
  static List<StoredRecord> ofDay(Handle h, String cloudId, Instant usageHour) {
    return blocks(h, h.createQuery("SELECT cloud_id, billing_subscription_id, invoice_month, body, body_ref FROM "
            + "commerce_record_blocks WHERE cloud_id = :c AND usage_day = :d ORDER BY block_seq")
        .bind("c", cloudId).bind("d", dayOf(usageHour)));
  }

  private static int dayOf(Instant t) {
    return (int) Math.floorDiv(t.getEpochSecond(), 86_400L);
  }

  /** Whether some record billed to the subscription was attributed by a customer subscription mapping. */
  static boolean anyMapped(Handle h, String billingSubscriptionId) {
    return h.createQuery("SELECT 1 FROM commerce_record_blocks WHERE billing_subscription_id = :s AND mapped_records > 0 "
        + "LIMIT 1").bind("s", billingSubscriptionId).mapTo(Integer.class).findOne().isPresent();
  }

  private static List<StoredRecord> blocks(Handle h, org.jdbi.v3.core.statement.Query query) {
    List<StoredRecord> out = new ArrayList<>();
    Blobs blobs = Blobs.of(h);
    query.map((rs, ctx) -> out.addAll(RecordCodec.decode(blobs.get(rs, 4, 5), rs.getString(1), rs.getString(2),
        rs.getString(3)))).list();
    return out;
  }

  static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
