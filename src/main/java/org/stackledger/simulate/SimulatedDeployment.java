package org.stackledger.simulate;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.directory.Principal;
import org.stackledger.directory.TokenIssuer;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.usage.UsageEvent;

/**
 * A deployment's resource providers played over a past time range: opens the deployment in this
 * process on its data folder with a clock the simulator sets, makes the seed's customers (see
 * {@link SimulatedTenants}), and for every hour sets the clock shortly after the hour's end and posts
 * that hour's {@link Simulation} events to the HTTPS intake, so the usage is reported as a real
 * deployment would report it — only a month passes in seconds.
 *
 * <p>Two rules protect the store: the range must be reported by now (no reported time in the future,
 * which a running server would later fold as the present), and an hour reported before the latest
 * reported time the store holds is sent only if the store already holds every one of its events
 * (a replay of the same seed, all duplicates): a closed reported period never changes.
 */
public final class SimulatedDeployment {
  /** How long after a usage hour ends its events are reported. */
  public static final Duration REPORTING_DELAY = Duration.ofMinutes(7);
  /** Client secrets live two years; a longer range would outlive the simulator's sign-in. */
  public static final Duration MAX_RANGE = Duration.ofDays(366);
  static final int BATCH = 1000;
  static final String INTAKE = "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01";

  /**
   * @param jdbcUrl  the store, or {@code null} for the data folder's embedded one
   * @param location the tenants' region, or {@code null} for the deployment's
   * @param admin    the operator admin a first start creates (as {@code serve} takes it from the
   *                 environment), or {@code null} to generate one
   */
  public record Options(Path dataDir, String jdbcUrl, int tenants, int vmsPerTenant, Instant from, Instant to,
      long seed, String location, ServerOptions.AdminCredentials admin) {}

  /** One simulated customer: its directory, its user subscription and its owner's sign-in. */
  public record Customer(String domain, String tenantId, String subscriptionId, String ownerUpn, String ownerPassword) {}

  /**
   * What a run did. {@code sending} is the time the hours took, start-up and set-up aside;
   * {@code quantities} are the totals of the events sent, by meter name; {@code generatedAdmin} is set
   * when this run was the deployment's first start.
   */
  public record Result(List<Customer> customers, long hours, long eventsSent, long accepted, long duplicates,
      Duration sending, Map<String, BigDecimal> quantities, Optional<ServerOptions.AdminCredentials> generatedAdmin) {}

  /** A run the simulator will not start; the message is one line for the operator. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private SimulatedDeployment() {}

  /** The default end of a range: the last whole hour whose usage is already reported by now. */
  public static Instant latestEnd(Clock real) {
    return real.instant().minus(REPORTING_DELAY).truncatedTo(ChronoUnit.HOURS);
  }

  /** The sizing for {@code vms} VMs a tenant, the other resources as {@link Simulation.Sizing#standard()}. */
  public static Simulation.Sizing sizing(int vms) {
    Simulation.Sizing s = Simulation.Sizing.standard();
    return new Simulation.Sizing(vms, s.storageAccountsPerTenant(), s.publicIpsPerTenant(), s.appServicePlansPerTenant(),
        s.databasesPerTenant());
  }

  /** When an hour's usage is reported. */
  public static Instant reportedTime(Instant usageHour) {
    return usageHour.plus(Duration.ofHours(1)).plus(REPORTING_DELAY);
  }

  public static Result run(Options o, Clock real) throws Refused, Exception {
    return run(o, real, line -> {});
  }

  /**
   * As {@link #run(Options, Clock)}, telling {@code progress} each step as it starts and each hour as it
   * is sent, as lines for a person to watch.
   */
  public static Result run(Options o, Clock real, Consumer<String> progress) throws Refused, Exception {
    if (o.tenants() < 1) {
      throw new Refused("--tenants must be at least 1");
    }
    Simulation.Sizing sizing = sizing(o.vmsPerTenant());
    if (reportedTime(o.to().minus(Duration.ofHours(1))).isAfter(real.instant())) {
      throw new Refused("the range must be reported by now: it ends at " + o.to() + ", whose last hour is reported at "
          + reportedTime(o.to().minus(Duration.ofHours(1))) + "; use --to " + latestEnd(real) + " or earlier");
    }
    if (Duration.between(o.from(), o.to()).compareTo(MAX_RANGE) > 0) {
      throw new Refused("the range is longer than " + MAX_RANGE.toDays() + " days; simulate it in parts");
    }
    // The deployment starts at the range's start: the background fold then never sees a later time
    // than the simulated present, and the fold at the end (at the real present) has all to do.
    SettableClock clock = new SettableClock(o.from());
    // Our start rewrites endpoints.json with this run's ephemeral ports; the folder's own is put back after.
    Path endpoints = o.dataDir().resolve("endpoints.json");
    byte[] kept = Files.exists(endpoints) ? Files.readAllBytes(endpoints) : null;
    progress.accept("opening the deployment in " + o.dataDir());
    Stackledger app = open(o, clock);
    try {
      String location = o.location() != null ? o.location() : app.stamp().region();
      List<Simulation.Tenant> tenants = Simulation.Tenant.generate(o.seed(), o.tenants(), location);
      Simulation sim = Simulation.of(o.seed(), tenants, o.from(), o.to(), sizing);
      checkReplay(app, clock, sim);
      clock.set(o.from());
      // Tokens come from the issuer behind the identity endpoint, in process: a token lives one hour of
      // the moving clock, so a client-credentials round trip every simulated hour would cost more
      // than the hour's intake. The intake still checks each token over HTTPS like any caller's.
      Principal simulator = SimulatedTenants.principal(app);
      AdminClient admin = new AdminClient(app.certificate(), app.url(EndpointRole.STACK_ADMIN_ARM),
          () -> app.tokenIssuer().issue(simulator, app.homeTenantId(), Stackledger.STACK_ADMIN_AUDIENCE,
              SimulatedTenants.SIMULATOR_APP_ID, TokenIssuer.Version.V2).accessToken(), clock);
      progress.accept("making " + o.tenants() + " simulated tenants");
      List<Customer> customers = SimulatedTenants.ensure(app, admin, o.seed(), tenants, location);
      MeterCatalogue catalogue = MeterCatalogue.standard();
      Map<String, BigDecimal> quantities = new TreeMap<>();
      long[] counts = new long[3];
      long started = System.nanoTime();
      Instant hour = o.from();
      long done = 0;
      for (Iterator<List<UsageEvent>> it = sim.hours(); it.hasNext(); hour = hour.plus(Duration.ofHours(1))) {
        progress.accept(Simulation.hourLine(++done, sim.hourCount(), counts[0]));
        List<UsageEvent> events = it.next();
        clock.set(reportedTime(hour));
        for (int at = 0; at < events.size(); at += BATCH) {
          send(admin, events.subList(at, Math.min(events.size(), at + BATCH)), counts);
        }
        for (UsageEvent e : events) {
          String name = catalogue.find(e.meterId()).map(Meter::name).orElse(e.meterId());
          quantities.merge(name, e.quantity(), BigDecimal::add);
        }
      }
      Duration sending = Duration.ofNanos(System.nanoTime() - started);
      // Back to the present: every period that has closed by now is folded, none that is still open.
      clock.set(real.instant());
      progress.accept("folding the closed periods");
      app.usage().aggregator().foldClosed();
      return new Result(customers, sim.hourCount(), counts[0], counts[1], counts[2],
          sending, quantities, app.generatedAdmin());
    } finally {
      app.close();
      if (kept != null) {
        Files.write(endpoints, kept);
      } else {
        Files.deleteIfExists(endpoints);
      }
    }
  }

  private static Stackledger open(Options o, Clock clock) throws Exception {
    try {
      return Stackledger.start(ServerOptions.defaults(o.dataDir()).withPort(0).withJdbcUrl(o.jdbcUrl()).withClock(clock)
          .withAdmin(o.admin()));
    } catch (Exception e) {
      // The folder's lock (a stackledger server holds it), or H2's own refusal for a store opened otherwise.
      if (e instanceof org.stackledger.app.StartRefused || inUse(e)) {
        throw new Refused("the data folder " + o.dataDir().toAbsolutePath() + " is in use by a running server; "
            + "stop it first (the simulator opens the deployment itself)");
      }
      throw e;
    }
  }

  /** H2 refuses a file another process holds with error 90020, "Database may be already in use". */
  private static boolean inUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() == 90020) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses the run if an hour it would report before the store's latest reported time holds an
   * event the store does not: that event would land in a period that may be closed.
   */
  private static void checkReplay(Stackledger app, SettableClock clock, Simulation sim) throws Refused {
    Optional<Instant> closed = app.usage().aggregator().closedUntil();
    if (closed.isEmpty() || !reportedTime(sim.from()).isBefore(closed.get())) {
      return;
    }
    String refusal = "the range starts at " + sim.from() + ", before the latest reported time the deployment holds ("
        + closed.get() + "), and is not a replay of usage it already holds; start at " + closed.get()
        .minus(REPORTING_DELAY).truncatedTo(ChronoUnit.HOURS) + " or later";
    for (Simulation.Tenant t : sim.tenants()) {
      if (app.userSubscriptions().find(t.subscriptionId()).isEmpty()) {
        throw new Refused(refusal);
      }
    }
    for (Instant hour = sim.from(); hour.isBefore(sim.to()) && reportedTime(hour).isBefore(closed.get());
        hour = hour.plus(Duration.ofHours(1))) {
      clock.set(reportedTime(hour));
      List<UsageEvent> events = sim.hour(hour);
      if (!events.isEmpty() && app.usage().held(events) != events.size()) {
        throw new Refused(refusal);
      }
    }
  }

  private static void send(AdminClient admin, List<UsageEvent> batch, long[] counts) throws IOException,
      InterruptedException {
    AdminClient.Answer answer = admin.send("POST", INTAKE, new String(UsageEvent.toJson(batch), java.nio.charset.StandardCharsets.UTF_8));
    if (answer.status() != 200) {
      throw new IOException("the intake refused a batch (" + answer.status() + "): " + answer.body());
    }
    counts[0] += batch.size();
    counts[1] += answer.json().path("accepted").asLong();
    counts[2] += answer.json().path("duplicates").asLong();
  }
}
