package org.stackledger.simulate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.commerce.Invoice;
import org.stackledger.usage.UsageEvent;

/**
 * {@code stackledger demo}: a newcomer's first month. On a fresh embedded store it starts the service,
 * builds a CSP partner with three customers and a registered, activated deployment whose guest
 * directories and user subscriptions belong to them (over HTTPS, as {@link SimulatedCloud} does), maps
 * customer 1 for the whole month and customer 2 from its middle, plays the last calendar month of
 * simulated usage through the deployment's intake hour by hour, lets the bridge ship it, finalizes the
 * month's invoices and then lets the clock catch up with the present, leaving the service running for
 * the CLI to explore.
 */
public final class DemoMonth {
  static final Duration REPORTING_DELAY = Duration.ofMinutes(7);
  private static final int BATCH = 1000;

  /** What the demo made, for the summary it prints. */
  public record Result(Stackledger app, ServerOptions.AdminCredentials admin, SimulatedCloud world, YearMonth month,
      long events, List<Invoice> invoices, Instant mappedMidMonth) {}

  private DemoMonth() {}

  /** A folder the demo may use: absent or empty. */
  public static boolean fresh(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return true;
    }
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /**
   * Runs the demo month. {@code progress} hears what it is doing — each phase as it starts and each
   * hour of the usage played — as lines for a person to watch; the results are in the {@link Result}.
   */
  public static Result run(Path dataDir, int port, long seed, Consumer<String> progress) throws Exception {
    YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
    Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    SettableClock clock = new SettableClock(from);
    ServerOptions.AdminCredentials admin = new ServerOptions.AdminCredentials(UUID.randomUUID().toString(),
        "demo-" + UUID.randomUUID().toString().replace("-", ""));
    progress.accept("starting the service");
    Stackledger app = Stackledger.start(ServerOptions.defaults(dataDir).withPort(port).withAdmin(admin).withClock(clock));
    try {
      SimulatedCloud.Plane plane = SimulatedCloud.Plane.of(app, admin);
      SimulatedCloud world = SimulatedCloud.build(plane, plane, SimulatedCloud.Options.of(3), clock, progress);
      progress.accept("mapping customer 1");
      world.map(world.customers().get(0));
      Instant midMonth = from.plus(Duration.ofDays(14));

      List<Simulation.Tenant> tenants = world.customers().stream()
          .map(c -> new Simulation.Tenant(c.localSubscriptionId(), app.stamp().region())).toList();
      AdminClient intake = plane.client(EndpointRole.STACK_ADMIN_ARM, Stackledger.STACK_ADMIN_AUDIENCE, clock);
      long events = 0;
      long hours = Duration.between(from, to).toHours();
      long played = 0;
      Instant hour = from;
      for (Iterator<List<UsageEvent>> it = Simulation.of(seed, tenants, from, to, Simulation.Sizing.standard()).hours();
          it.hasNext(); hour = hour.plus(Duration.ofHours(1))) {
        if (hour.equals(midMonth)) {
          clock.set(midMonth);
          world.map(world.customers().get(1));
        }
        List<UsageEvent> batch = it.next();
        clock.set(hour.plus(Duration.ofHours(1)).plus(REPORTING_DELAY));
        for (int at = 0; at < batch.size(); at += BATCH) {
          AdminClient.Answer a = intake.send("POST", "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01",
              new String(UsageEvent.toJson(batch.subList(at, Math.min(batch.size(), at + BATCH))), StandardCharsets.UTF_8));
          if (a.status() != 200) {
            throw new IOException("the intake refused simulated usage: " + a.status() + " " + a.body());
          }
        }
        events += batch.size();
        played++;
        if (hour.atOffset(ZoneOffset.UTC).getHour() == 23) {
          app.bridge().ship();
        }
        progress.accept(String.format("usage of %s: hour %d of %d, %,d events", month, played, hours, events));
      }
      progress.accept("shipping the last hours through the bridge");
      clock.set(to.plus(Duration.ofHours(2)));
      for (int i = 0; i < 50 && app.bridge().ship().pendingHours() > 0; i++) {
        // Each pass ships what is due; the last day's hours go in a pass or two.
      }
      progress.accept("finalizing the invoices of " + month);
      Set<String> payers = new TreeSet<>();
      payers.add(world.registration().subscriptionId());
      world.customers().forEach(c -> payers.add(c.cspSubscriptionId()));
      List<Invoice> invoices = new ArrayList<>();
      for (String payer : payers) {
        app.commerce().finalizeWithoutCaller(payer, month.toString(), "demo").ifPresent(invoices::add);
      }
      clock.release();
      return new Result(app, admin, world, month, events, invoices, midMonth);
    } catch (Exception | Error e) {
      app.close();
      throw e;
    }
  }
}
