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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.stackledger.app.EndpointRole;
import org.stackledger.http.Json;
import org.stackledger.simulate.SettableClock;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.simulate.Simulation;
import org.stackledger.usage.Usage;
import org.stackledger.usage.UsageEvent;

/**
 * {@code stackledger bench year}: months of an operator's usage through the real paths, and what the
 * store takes on disk for it. A throw-away server holds a CSP world ({@link SimulatedCloud}) whose
 * customers are all mapped; each customer's user subscription gets the simulator's standard-size
 * resources ({@link Simulation.Sizing#standard()}), whose events go to the HTTPS intake an hour at a
 * time, with the clock set to the hour's end plus a reporting delay; at each day's end the closed
 * hours and days are folded into the usage aggregates and the bridge ships; after each month the bridge ships the rest and the month's invoices are finalized. Then the
 * store's size by table and in all is printed with the events it holds, so growth month on month
 * shows (and, to tell growth from a fixed cost, what the store took before its first event), and at
 * the end the server is restarted on the store and one batch re-sent, which must come
 * back all duplicates.
 *
 * <p>The clock is a {@link SettableClock}: nothing waits for time to pass.
 */
public final class YearRun {
  /** What to run. */
  public record Settings(String jdbcUrl, int tenants, int months, long seed) {}

  static final YearMonth FIRST = YearMonth.of(2026, 1);
  static final Duration REPORTING_DELAY = Duration.ofMinutes(7);
  private static final String INTAKE = "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01";

  private YearRun() {}

  /** Runs the benchmark: results on {@code out}, the stage and hour to {@code progress}. */
  public static void run(Settings s, PrintWriter out, Consumer<String> progress) throws Exception {
    progress.accept("starting a throw-away deployment");
    Instant start = FIRST.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    SettableClock clock = new SettableClock(start.minus(Duration.ofDays(1)));
    try (BenchDeployment d = BenchDeployment.start(s.jdbcUrl(), clock)) {
      SimulatedCloud world = d.world(s.tenants(), "year-" + s.seed(), clock, progress);
      progress.accept("mapping the customers");
      for (SimulatedCloud.Customer c : world.customers()) {
        world.map(c);
      }
      List<Simulation.Tenant> tenants = world.customers().stream()
          .map(c -> new Simulation.Tenant(c.localSubscriptionId(), d.app.stamp().region())).toList();
      Set<String> payers = new TreeSet<>();
      payers.add(world.registration().subscriptionId());
      world.customers().forEach(c -> payers.add(c.cspSubscriptionId()));

      out.printf("engine %s, %s; %d tenants of standard size, %d months from %s%n", d.app.database().engine(),
          Runtime.version(), s.tenants(), s.months(), FIRST);
      out.printf("%-7s  %12s  %12s  %14s  %9s  %8s  %8s  %8s  %8s%n", "month", "events sent", "events held",
          "bytes on disk", "bytes/evt", "invoices", "seconds", "intake", "bridge");
      out.flush();
      Intake intake = new Intake(d, clock);
      // What the store takes before its first event (schema, catalogue, the world): fixed, not growth.
      long empty = StoreSize.of(d.app.database(), d.dataDir).total();
      out.printf("before the first event: %,d bytes on disk%n", empty);
      long sent = 0;
      List<StoreSize> sizes = new ArrayList<>();
      List<UsageEvent> lastBatch = List.of();
      for (int m = 0; m < s.months(); m++) {
        long t0 = System.nanoTime();
        long intakeNanos = 0;
        long bridgeNanos = 0;
        YearMonth month = FIRST.plusMonths(m);
        Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        long hours = Duration.between(from, to).toHours();
        Iterator<List<UsageEvent>> it = Simulation.of(s.seed(), tenants, from, to, Simulation.Sizing.standard()).hours();
        Instant hour = from;
        for (long played = 1; it.hasNext(); played++, hour = hour.plus(Duration.ofHours(1))) {
          List<UsageEvent> events = it.next();
          clock.set(hour.plus(Duration.ofHours(1)).plus(REPORTING_DELAY));
          long i0 = System.nanoTime();
          lastBatch = intake.send(events);
          long i1 = System.nanoTime();
          intakeNanos += i1 - i0;
          sent += events.size();
          if (hour.atOffset(ZoneOffset.UTC).getHour() == 23) {
            // A server folds closed periods every minute and the bridge ships each hour; a day's worth at once here.
            d.app.usage().aggregator().foldClosed();
            d.app.bridge().ship();
            bridgeNanos += System.nanoTime() - i1;
          }
          progress.accept(String.format("%s: hour %d of %d, %,d events sent", month, played, hours, sent));
        }
        progress.accept("shipping the rest of " + month + " and finalizing its invoices");
        clock.set(to.plus(Duration.ofHours(2)));
        long b0 = System.nanoTime();
        d.app.usage().aggregator().foldClosed();
        for (int i = 0; i < 50 && d.app.bridge().ship().pendingHours() > 0; i++) {
          // Each pass ships what is due; the month's last hours go in a pass or two.
        }
        bridgeNanos += System.nanoTime() - b0;
        int invoices = 0;
        for (String payer : payers) {
          invoices += d.app.commerce().finalizeWithoutCaller(payer, month.toString(), "bench").isPresent() ? 1 : 0;
        }
        StoreSize size = StoreSize.of(d.app.database(), d.dataDir);
        sizes.add(size);
        long held = held(d);
        out.printf("%-7s  %,12d  %,12d  %,14d  %,9d  %8d  %8.1f  %8.1f  %8.1f%n", month, sent, held, size.total(),
            size.total() / Math.max(1, held), invoices, (System.nanoTime() - t0) / 1e9, intakeNanos / 1e9,
            bridgeNanos / 1e9);
        tables(out, size, held);
        out.flush();
      }
      StoreSize first = sizes.get(0);
      StoreSize last = sizes.get(sizes.size() - 1);
      long held = held(d);
      out.printf("at the end: %,d events held, %,d bytes on disk, %,d bytes an event everything included "
          + "(tables alone %,d)%n", held, last.total(), last.total() / Math.max(1, held), last.tablesTotal() / Math.max(1, held));
      out.printf("month %d vs %d x month 1: %,d / %,d bytes = %.3f%n", s.months(), s.months(), last.total(),
          s.months() * first.total(), last.total() / (double) (s.months() * first.total()));
      long grown = last.total() - empty;
      long firstGrowth = first.total() - empty;
      out.printf("the same beyond the empty store's %,d bytes: %,d / %,d bytes = %.3f%n", empty, grown,
          s.months() * firstGrowth, grown / (double) (s.months() * Math.max(1, firstGrowth)));
      progress.accept("restarting the server on the store");
      long r0 = System.nanoTime();
      d.stop();
      d.startAgain();
      double serving = (System.nanoTime() - r0) / 1e9;
      // In process: the new server's own intake, with the idempotency index it read back from the store.
      var receipt = d.app.usage().intake().accept(lastBatch);
      double answered = (System.nanoTime() - r0) / 1e9;
      out.printf("restart: serving in %.2f s; the last hour's %,d events re-sent in process answered in %.2f s from "
          + "the start: %d accepted, %d duplicates%n", serving, lastBatch.size(), answered, receipt.accepted(),
          receipt.duplicates());
      out.flush();
    }
  }

  /** Per table, largest first: bytes and bytes an event, and what the engine holds beyond them. */
  private static void tables(PrintWriter out, StoreSize size, long held) {
    size.tables().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .filter(e -> e.getValue() > 0)
        .forEach(e -> out.printf("         %-34s %,14d  %,9.1f%n", e.getKey(), e.getValue(),
            e.getValue() / (double) Math.max(1, held)));
    out.printf("         %-34s %,14d  %,9.1f%n", "(beyond the tables)", size.total() - size.tablesTotal(),
        (size.total() - size.tablesTotal()) / (double) Math.max(1, held));
  }

  /** The raw usage events the store holds: the sum over the intake's batches. */
  private static long held(BenchDeployment d) {
    return d.app.database().jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(SUM(event_count), 0) FROM usage_batches")
        .mapTo(Long.class).one());
  }

  /** The operator's HTTPS intake, in batches as large as it takes, signing in again as the clock moves. */
  private static final class Intake {
    private final BenchDeployment d;
    private final SettableClock clock;
    private Instant signedIn;

    Intake(BenchDeployment d, SettableClock clock) {
      this.d = d;
      this.clock = clock;
    }

    /** Sends an hour's events; returns the last batch sent. */
    List<UsageEvent> send(List<UsageEvent> events) throws IOException, InterruptedException {
      if (signedIn == null || !clock.instant().isBefore(signedIn.plus(Duration.ofMinutes(30)))) {
        d.signOut();
        signedIn = clock.instant();
      }
      URI uri = URI.create(d.app.url(EndpointRole.STACK_ADMIN_ARM).replaceAll("/$", "") + INTAKE);
      List<UsageEvent> batch = List.of();
      for (int at = 0; at < events.size(); at += Usage.MAX_EVENTS) {
        batch = events.subList(at, Math.min(events.size(), at + Usage.MAX_EVENTS));
        HttpResponse<String> r = d.http.send(HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + d.token(EndpointRole.STACK_ADMIN_ARM))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(UsageEvent.toJson(batch))).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("the intake refused simulated usage (" + r.statusCode() + "): " + r.body());
        }
        JsonNode ack = Json.MAPPER.readTree(r.body());
        if (ack.path("accepted").asInt() != batch.size()) {
          throw new IllegalStateException("a batch of " + batch.size() + " new events had " + ack.path("accepted")
              + " accepted: " + r.body());
        }
      }
      return List.copyOf(batch);
    }
  }
}
