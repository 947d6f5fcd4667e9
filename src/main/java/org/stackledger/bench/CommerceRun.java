package org.stackledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.commerce.Commerce;
import org.stackledger.commerce.UsageRecord;
import org.stackledger.commerce.UsageReport;
import org.stackledger.http.Json;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.simulate.SettableClock;
import org.stackledger.simulate.SimulatedCloud;

/**
 * {@code stackledger bench commerce}: the time to attribute, rate and store a month of one deployment's
 * usage records. A throw-away server holds a CSP world ({@link SimulatedCloud}) whose customers' mappings
 * change during the month — a third mapped all month, a third from mid-month, some of those replaced by
 * another subscription or removed, a third never mapped — and the records go through
 * {@link Commerce#ingest} in process and through the bridge's HTTPS upload, in batches of
 * {@link UsageReport#MAX_RECORDS}, one batch at a time as a bridge ships them.
 *
 * <p>Every round takes records no round took before (the round is in the resource names) into the same
 * store, as a cloud plane takes deployment after deployment: round 2 meets round 1's rows in the indexes.
 * A warm-up of a tenth of a round a path comes first and is not counted. Only the ingest calls and the
 * POSTs are timed; making the records and encoding the bodies happens between the timed stretches.
 */
public final class CommerceRun {
  /** What to run. */
  public record Settings(String jdbcUrl, long records, int customers, int rounds, long seed) {}

  static final YearMonth MONTH = YearMonth.of(2026, 10);
  static final List<String> METERS = List.of("FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5", "9CD92D4C-BAFD-4492-B278-BEDC2DE8232A",
      "09F8879E-87E9-4305-A572-4B7BE209F857");
  /** Batches made and encoded ahead of one timed stretch: bounds the memory a round takes. */
  private static final int CHUNK = 40;

  private CommerceRun() {}

  /**
   * Runs the benchmark: results on {@code out}, and {@code progress} hears the records done of the run's
   * total (warm-up included) as lines for a person to watch.
   */
  public static void run(Settings s, PrintWriter out, Consumer<String> progress) throws Exception {
    progress.accept("starting a throw-away deployment");
    Instant start = MONTH.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant end = MONTH.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    SettableClock clock = new SettableClock(start.minus(Duration.ofDays(1)));
    try (BenchDeployment d = BenchDeployment.start(s.jdbcUrl(), clock)) {
      SimulatedCloud world = d.world(s.customers(), "bench-" + s.seed(), clock, progress);
      progress.accept("mapping customers over the month");
      String timeline = timeline(world, clock, start);
      clock.set(end.plus(Duration.ofHours(3)));
      SimulatedCloud.Registration reg = world.registration();
      Commerce.Reporter reporter = new Commerce.Reporter(reg.id(), reg.subscriptionId(), reg.cloudId(),
          reg.billingModel().name());
      List<CommerceLoad.Subscription> subs = world.customers().stream()
          .map(c -> new CommerceLoad.Subscription(c.localSubscriptionId(), c.tenantId())).toList();
      List<String> meters = METERS.stream().map(id -> MeterCatalogue.standard().find(id).map(Meter::id).orElseThrow())
          .toList();
      int hours = (int) Duration.between(start, end).toHours();
      long warm = Math.max(UsageReport.MAX_RECORDS, s.records() / 10);
      Tally tally = new Tally(progress, 2 * (warm + s.records() * s.rounds()), "records");
      Paths paths = new Paths(d, reporter, reg, world.partner().tenantId(), tally, clock.instant());

      CommerceLoad shape = new CommerceLoad(reg.cloudId(), subs, meters, start, hours, s.records(), s.seed(), "0");
      out.printf("engine %s, %s%n", d.app.database().engine(), Runtime.version());
      out.printf("%d customers: %s%n", s.customers(), timeline);
      out.printf("%,d records a round over %s (%d hours x %d local subscriptions x %d meters x %d resources, %s), "
              + "batches of %,d%n", s.records(), MONTH, hours, subs.size(), meters.size(), shape.resources(),
          "each record a distinct place", UsageReport.MAX_RECORDS);
      paths.inProcess("warm-up, in-process", new CommerceLoad(reg.cloudId(), subs, meters, start, hours, warm, s.seed(),
          "warm-in"));
      paths.https("warm-up, HTTPS", new CommerceLoad(reg.cloudId(), subs, meters, start, hours, warm, s.seed(),
          "warm-https"));
      out.printf("each round distinct records into the same store, after a warm-up of %,d records a path%n", warm);
      // The plain insert counts its own progress: the run's total is that of the two commerce paths.
      Tally plainTally = new Tally(progress, warm + s.records() * s.rounds(), "records (plain insert)");
      String plainCloud = java.util.UUID.nameUUIDFromBytes(("plain-" + s.seed()).getBytes(
          java.nio.charset.StandardCharsets.UTF_8)).toString();
      paths.plain(plainTally, "warm-up, plain insert", new CommerceLoad(plainCloud, subs, meters, start, hours, warm, s.seed(),
          "warm-plain"));
      out.printf("%5s  %-12s  %12s  %9s  %11s%n", "round", "path", "records", "seconds", "records/s");
      List<Double> inProcess = new ArrayList<>();
      List<Double> https = new ArrayList<>();
      List<Double> plain = new ArrayList<>();
      for (int round = 1; round <= s.rounds(); round++) {
        String of = "round " + round + " of " + s.rounds();
        Timed p = paths.plain(plainTally, of + ", plain insert", new CommerceLoad(plainCloud, subs, meters, start,
            hours, s.records(), s.seed(), "plain" + round));
        Timed l = paths.inProcess(of + ", in-process", new CommerceLoad(reg.cloudId(), subs, meters, start, hours, s.records(), s.seed(),
            "in" + round));
        line(out, round, "in-process", l);
        Timed h = paths.https(of + ", HTTPS", new CommerceLoad(reg.cloudId(), subs, meters, start, hours, s.records(), s.seed(),
            "https" + round));
        line(out, round, "HTTPS", h);
        line(out, round, "plain insert", p);
        inProcess.add(l.perSecond());
        https.add(h.perSecond());
        plain.add(p.perSecond());
      }
      double mi = IntakeRun.median(inProcess);
      double mh = IntakeRun.median(https);
      double mp = IntakeRun.median(plain);
      median(out, "in-process", mi);
      median(out, "HTTPS", mh);
      median(out, "plain insert", mp);
      out.printf("in-process/plain %.2f, HTTPS/plain %.2f (plain: the same records' compact rows, made ahead, written "
          + "a batch a transaction with no attribution, rating, exactly-once check or invoice)%n", mi / mp, mh / mp);
      out.printf("stored: %s%n", stored(d, reg.cloudId()));
      out.printf("on disk: %s%n", onDisk(d, records(d)));
      out.flush();
    }
  }

  /**
   * The mappings over the month: customers of the first third mapped before it, of the second third at
   * day 10 12:30, every third one of the first third moved to another subscription at day 20, every
   * fourth one of the second third removed at day 25; the last third never mapped.
   */
  private static String timeline(SimulatedCloud world, SettableClock clock, Instant start)
      throws IOException, InterruptedException {
    List<SimulatedCloud.Customer> customers = world.customers();
    int third = customers.size() / 3;
    int replaced = 0;
    int removed = 0;
    for (int i = 0; i < third; i++) {
      world.map(customers.get(i));
    }
    clock.set(start.plus(Duration.ofDays(9)).plus(Duration.ofHours(12)).plus(Duration.ofMinutes(30)));
    for (int i = third; i < 2 * third; i++) {
      world.map(customers.get(i));
    }
    clock.set(start.plus(Duration.ofDays(19)));
    for (int i = 0; i < third; i += 3) {
      world.map(customers.get(i), world.anotherSubscription(customers.get(i)));
      replaced++;
    }
    clock.set(start.plus(Duration.ofDays(24)));
    for (int i = third; i < 2 * third; i += 4) {
      world.unmap(customers.get(i));
      removed++;
    }
    return String.format("%d mapped all month (%d of them replaced at day 20), %d from day 10 (%d of them removed at "
        + "day 25), %d never mapped", third, replaced, third, removed, customers.size() - 2 * third);
  }

  /** How long a path took for a number of records. */
  record Timed(long records, long nanos) {
    double seconds() {
      return nanos / 1e9;
    }

    double perSecond() {
      return records / seconds();
    }
  }

  /** The two ways records reach commerce, each timed over the calls alone. */
  private record Paths(BenchDeployment d, Commerce.Reporter reporter, SimulatedCloud.Registration reg,
      String bridgeTenant, Tally tally, Instant received) {
    Timed inProcess(String stage, CommerceLoad load) {
      Commerce commerce = d.app.commerce();
      long records = 0;
      long nanos = 0;
      int batch = 0;
      while (load.hasNext()) {
        tally.at(stage, records);
        List<UsageReport> reports = new ArrayList<>(CHUNK);
        for (int i = 0; i < CHUNK && load.hasNext(); i++) {
          reports.add(new UsageReport("bench-" + (++batch) + "-" + System.nanoTime(), reg.cloudId(),
              load.next(UsageReport.MAX_RECORDS)));
        }
        long t0 = System.nanoTime();
        for (UsageReport r : reports) {
          Commerce.Ack ack = commerce.ingestAsBridge(reporter, r, "Bench");
          expectAllNew(ack.accepted(), r.records().size());
          records += ack.records();
        }
        nanos += System.nanoTime() - t0;
      }
      tally.finished(stage, records);
      return new Timed(records, nanos);
    }

    Timed plain(Tally tally, String stage, CommerceLoad load) {
      long records = 0;
      long nanos = 0;
      int batch = 0;
      while (load.hasNext()) {
        tally.at(stage, records);
        List<org.stackledger.commerce.PlainRows> rows = new ArrayList<>(CHUNK);
        List<Integer> sizes = new ArrayList<>(CHUNK);
        for (int i = 0; i < CHUNK && load.hasNext(); i++) {
          List<UsageRecord> next = load.next(UsageReport.MAX_RECORDS);
          if (next.isEmpty()) {
            continue;
          }
          rows.add(org.stackledger.commerce.PlainRows.of(next.get(0).cloudId(), next, "plain-" + (++batch),
              received));
          sizes.add(next.size());
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < rows.size(); i++) {
          rows.get(i).insert(d.app.database().jdbi());
          records += sizes.get(i);
        }
        nanos += System.nanoTime() - t0;
      }
      tally.finished(stage, records);
      return new Timed(records, nanos);
    }

    Timed https(String stage, CommerceLoad load) throws IOException, InterruptedException {
      URI upload = URI.create(d.app.url(EndpointRole.CLOUD_ARM).replaceAll("/$", "") + reg.id()
          + "/usage?api-version=2017-06-01");
      String token = d.signIn(reg.bridgeAppId(), reg.bridgeSecret(), bridgeTenant, Stackledger.CLOUD_AUDIENCE);
      long records = 0;
      long nanos = 0;
      int batch = 0;
      while (load.hasNext()) {
        tally.at(stage, records);
        List<byte[]> bodies = new ArrayList<>(CHUNK);
        List<Integer> sizes = new ArrayList<>(CHUNK);
        for (int i = 0; i < CHUNK && load.hasNext(); i++) {
          List<UsageRecord> next = load.next(UsageReport.MAX_RECORDS);
          bodies.add(CommerceLoad.json("bench-" + (++batch) + "-" + System.nanoTime(), reg.cloudId(), next));
          sizes.add(next.size());
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < bodies.size(); i++) {
          HttpResponse<String> r = d.http.send(HttpRequest.newBuilder(upload).header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)))
              .build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("the upload was refused (" + r.statusCode() + "): " + r.body());
          }
          JsonNode ack = Json.MAPPER.readTree(r.body());
          expectAllNew(ack.path("accepted").asInt(), sizes.get(i));
          records += ack.path("records").asLong();
        }
        nanos += System.nanoTime() - t0;
      }
      tally.finished(stage, records);
      return new Timed(records, nanos);
    }

    /** Every record of a round is new: fewer accepted would time duplicates, not attribution and rating. */
    private static void expectAllNew(int accepted, int sent) {
      if (accepted != sent) {
        throw new IllegalStateException("a batch of " + sent + " new records had " + accepted + " accepted");
      }
    }
  }

  private static void line(PrintWriter out, int round, String path, Timed t) {
    out.printf("%5d  %-12s  %,12d  %9.2f  %,11.0f%n", round, path, t.records(), t.seconds(), t.perSecond());
    out.flush();
  }

  private static void median(PrintWriter out, String path, double perSecond) {
    out.printf("median %-13s %,11.0f records/s, %7.1f s per 1,000,000 records%n", path + ":", perSecond,
        1_000_000 / perSecond);
  }

  /** What the store holds of the deployment after the run, by attribution rule: the check that every record landed once. */
  private static String stored(BenchDeployment d, String cloudId) {
    Map<String, Object> row = d.app.database().jdbi().withHandle(h -> h.createQuery(
        "SELECT SUM(mapped_records) AS mapped, COUNT(DISTINCT CASE WHEN mapped_records > 0 THEN billing_subscription_id "
            + "END) AS mapped_payers, SUM(records - mapped_records) AS by_default, COUNT(DISTINCT CASE WHEN "
            + "records > mapped_records THEN billing_subscription_id END) AS default_payers "
            + "FROM commerce_record_blocks WHERE cloud_id = :c").bind("c", cloudId).mapToMap().one());
    return String.format("%,d records by CustomerSubscription to %s billing subscriptions; %,d records by "
            + "RegistrationDefault to %s billing subscriptions", ((Number) row.get("mapped")).longValue(),
        row.get("mapped_payers"), ((Number) row.get("by_default")).longValue(), row.get("default_payers"));
  }

  /** Every record in the store, the plain insert's included. */
  private static long records(BenchDeployment d) {
    return d.app.database().jdbi().withHandle(h -> h.createQuery("SELECT SUM(records) FROM commerce_record_blocks")
        .mapTo(Long.class).one());
  }

  private static final List<String> TABLES = List.of("commerce_record_blocks", "commerce_record_keys",
      "commerce_record_hours", "invoices");

  /**
   * Bytes the commerce tables take, each and per record: on PostgreSQL each table with its indexes and
   * TOAST; on the embedded store H2's estimate of each table (indexes not counted by H2), the segment
   * files that hold the blocks' records and keys, and the size of the whole database folder, which is
   * what the disk sees.
   */
  private static String onDisk(BenchDeployment d, long records) {
    boolean h2 = d.app.database().engine() == org.stackledger.store.Database.Engine.H2;
    List<String> parts = new ArrayList<>();
    long sum = 0;
    for (String table : TABLES) {
      long bytes = d.app.database().jdbi().withHandle(h -> h.createQuery(h2 ? "SELECT DISK_SPACE_USED(:t)"
          : "SELECT pg_total_relation_size(CAST(:t AS regclass))").bind("t", table).mapTo(Long.class).one());
      sum += bytes;
      parts.add(String.format("%s %,d bytes (%.1f a record)", table, bytes, (double) bytes / records));
    }
    if (d.app.database().blobs().segmented()) {
      // The embedded store keeps the blocks' records and keys in segment files beside H2 (store/Blobs).
      long bytes = d.app.database().blobs().bytes();
      sum += bytes;
      parts.add(String.format("segment files %,d bytes (%.1f a record)", bytes, (double) bytes / records));
    }
    String total = String.format("%,d records, commerce tables %,d bytes (%.1f a record)", records, sum,
        (double) sum / records);
    if (h2) {
      long folder = folderBytes(d.dataDir.resolve("db"));
      total += String.format("; database folder %,d bytes (%.1f a record, the rest of the store included)", folder,
          (double) folder / records);
    }
    return total + ": " + String.join(", ", parts);
  }

  private static long folderBytes(java.nio.file.Path dir) {
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
      return files.filter(java.nio.file.Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException e) {
      return -1;
    }
  }
}
