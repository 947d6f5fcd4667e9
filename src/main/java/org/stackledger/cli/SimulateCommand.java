package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stackledger.app.ServerOptions;
import org.stackledger.simulate.RunningDeployment;
import org.stackledger.simulate.SimulatedDeployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code stackledger simulate}: plays the deployment's resource providers over a range of hours. Without
 * {@code --subscription} it opens the data folder's deployment in process with simulated tenants (see
 * {@link SimulatedDeployment}); with it, it posts usage for those existing user subscriptions to a
 * running deployment's intake as the signed-in operator (see {@link RunningDeployment}).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = {"Report simulated usage hour by hour.",
    "Without --subscription: for simulated tenants, into the deployment in the data folder (no server may be "
        + "running on it).",
    "With --subscription: for those existing user subscriptions, to the running deployment's intake, as the "
        + "signed-in operator."})
final class SimulateCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  Connection conn;

  @Option(names = "--subscription", split = ",", paramLabel = "ID", description = "Existing user subscriptions of a "
      + "running deployment to report usage for (comma-separated or repeated).")
  List<String> subscriptions;

  @Option(names = "--db", description = "PostgreSQL JDBC URL, as for serve. Default: the embedded store in the data folder.")
  String db;

  @Option(names = "--tenants", description = "Simulated tenants. Default: ${DEFAULT-VALUE}.", defaultValue = "5")
  int tenants;

  @Option(names = "--vms-per-tenant", description = "VMs per tenant. Default: ${DEFAULT-VALUE}.", defaultValue = "4")
  int vms;

  @Option(names = "--days", description = "Days ending with the last hour already reported by now. Default: ${DEFAULT-VALUE}.",
      defaultValue = "30")
  int days;

  @Option(names = "--month", paramLabel = "yyyy-MM", description = "A calendar month (UTC), up to the deployment's "
      + "present, instead of --days.")
  String month;

  @Option(names = "--from", paramLabel = "INSTANT", description = "Start of the range (ISO instant on an hour), instead of --days.")
  String from;

  @Option(names = "--to", paramLabel = "INSTANT", description = "End of the range (ISO instant on an hour). "
      + "Default: the last hour already reported by now.")
  String to;

  @Option(names = "--seed", description = "Seed of tenants, resources and events. Default: ${DEFAULT-VALUE}.", defaultValue = "1")
  long seed;

  @Option(names = "--location", description = "The tenants' region. Default: the deployment's region.")
  String location;

  /** The real present; tests may hold it still. */
  Clock real = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    boolean running = subscriptions != null && !subscriptions.isEmpty();
    Instant[] range = range(running);
    Instant start = range[0];
    Instant end = range[1];
    if (days < 1 || tenants < 1 || vms < 0 || !start.isBefore(end) || start.getEpochSecond() % 3600 != 0
        || end.getEpochSecond() % 3600 != 0) {
      throw new ParameterException(spec.commandLine(), "need --days, --tenants >= 1, --vms-per-tenant >= 0, and "
          + "--from before --to, both on whole hours");
    }
    if (running && db != null) {
      throw new ParameterException(spec.commandLine(), "--db opens a store in process; with --subscription the "
          + "usage goes to the running server's intake instead");
    }
    // Progress on stderr, the result on stdout: `simulate … > out.txt` holds the result alone.
    Progress progress = Progress.to(spec.commandLine().getErr());
    try {
      String out = running ? toRunningServer(start, end, progress) : inProcess(start, end, progress);
      spec.commandLine().getOut().print(out);
      spec.commandLine().getOut().flush();
      return 0;
    } catch (SimulatedDeployment.Refused e) {
      progress.clear();
      return conn.fail(e.getMessage());
    } catch (Exception | Error e) {
      progress.clear();
      throw e;
    }
  }

  /**
   * {@code [start, end)} from {@code --month}, {@code --from}/{@code --to} or {@code --days}. In process,
   * the end is at most the last hour reported by now; against a running server the deployment's own
   * clock cuts the range where its present is.
   */
  private Instant[] range(boolean running) {
    Instant latest = running ? real.instant().truncatedTo(ChronoUnit.HOURS) : SimulatedDeployment.latestEnd(real);
    if (month != null) {
      if (from != null || to != null) {
        throw new ParameterException(spec.commandLine(), "--month is instead of --from and --to");
      }
      YearMonth m;
      try {
        m = YearMonth.parse(month);
      } catch (DateTimeParseException e) {
        throw new ParameterException(spec.commandLine(), "--month must be a calendar month such as 2026-11");
      }
      Instant monthStart = m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      Instant monthEnd = m.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      // The running deployment decides where its present is; in process, this machine's clock does.
      Instant end = running || monthEnd.isBefore(latest) ? monthEnd : latest;
      if (!monthStart.isBefore(end)) {
        throw new ParameterException(spec.commandLine(), "--month " + m + " has no hour reported by now (" + latest
            + ")");
      }
      return new Instant[] {monthStart, end};
    }
    Instant end = to != null ? instant("--to", to) : latest;
    return new Instant[] {from != null ? instant("--from", from) : end.minus(Duration.ofDays(days)), end};
  }

  private String inProcess(Instant start, Instant end, Progress progress) throws Exception {
    SimulatedDeployment.Result r = SimulatedDeployment.run(new SimulatedDeployment.Options(conn.dataDir(), db, tenants,
        vms, start, end, seed, location, adminFromEnvironment()), real, progress::update);
    progress.done(String.format("simulate: %,d of %,d hours, %,d events sent", r.hours(),
        Duration.between(start, end).toHours(), r.eventsSent()));
    StringBuilder out = new StringBuilder("simulated " + start + " to " + end + " (seed " + seed + ")\n");
    r.generatedAdmin().ifPresent(a -> out.append(String.format(
        "  adminClientId %s%n  adminSecret   %s   <- shown this once (the deployment's first start)%n",
        a.clientId(), a.clientSecret())));
    out.append("tenants:\n");
    for (SimulatedDeployment.Customer c : r.customers()) {
      out.append(String.format("  %s  subscription %s  owner %s  password %s%n", c.domain(), c.subscriptionId(),
          c.ownerUpn(), c.ownerPassword()));
    }
    double seconds = Math.max(1, r.sending().toMillis()) / 1000.0;
    out.append(String.format("hours %d, events sent %d (new %d, duplicates %d) in %.1f s, %.0f events/s over HTTPS%n",
        r.hours(), r.eventsSent(), r.accepted(), r.duplicates(), seconds, r.eventsSent() / seconds));
    quantities(out, r.quantities());
    return out.toString();
  }

  private String toRunningServer(Instant start, Instant end, Progress progress) throws Exception {
    conn.endpointKey = "stackAdminArm";
    String base = conn.base();
    Path cert = conn.caCert;
    String provider = null;
    if (conn.endpoint == null) {
      JsonNode endpoints = ArmClient.endpoints(conn.dataDir());
      cert = cert != null ? cert : endpoints.path("certificate").isTextual()
          ? Path.of(endpoints.path("certificate").asText()) : null;
      provider = endpoints.path("operatorSubscriptionId").asText(null);
    }
    ArmClient signIn = ArmClient.create(cert);
    String given = System.getenv("STACKLEDGER_TOKEN");
    RunningDeployment.Target target = new RunningDeployment.Target(base, cert, () -> {
      try {
        return given != null && !given.isBlank() ? given : conn.profile().token(signIn, base);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, provider);
    RunningDeployment.Result r;
    try {
      r = RunningDeployment.run(new RunningDeployment.Options(subscriptions, start, end, seed, vms, location), target,
          progress::update);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    long ofHours = Duration.between(start, end).toHours();
    progress.done(String.format("simulate: %,d of %,d hours sent%s, %,d events", r.hours(), ofHours,
        r.hoursTooOld() > 0 ? String.format(" (%,d too old for the intake)", r.hoursTooOld()) : "", r.eventsSent()));
    StringBuilder out = new StringBuilder("simulated " + r.from() + " to " + r.until() + " (seed " + seed + ") for "
        + subscriptions.size() + " subscription" + (subscriptions.size() == 1 ? "" : "s") + " on " + base + "\n");
    if (r.until().isBefore(end)) {
      out.append("  stopped at the deployment's present").append(r.deploymentTime() == null ? ""
          : " (its clock: " + r.deploymentTime() + ")").append("; a later run with the same seed sends the rest\n");
    }
    if (r.hoursTooOld() > 0) {
      out.append(String.format("  %d hours skipped: the intake refuses usage that old (%s)%n", r.hoursTooOld(),
          r.tooOldReason()));
    }
    out.append(String.format("hours %d, events sent %d (new %d, duplicates %d)%n", r.hours(), r.eventsSent(),
        r.accepted(), r.duplicates()));
    quantities(out, r.quantities());
    return out.toString();
  }

  /** Totals by meter name, exact: sums of the events' decimal quantities, never a binary floating point. */
  private static void quantities(StringBuilder out, Map<String, BigDecimal> quantities) {
    out.append("quantity by meter:\n");
    for (Map.Entry<String, BigDecimal> q : quantities.entrySet()) {
      BigDecimal v = q.getValue().stripTrailingZeros();
      out.append(String.format("  %-50s %s%n", q.getKey(), (v.scale() < 0 ? v.setScale(0) : v).toPlainString()));
    }
  }

  /** The admin credentials a first start creates, from the environment exactly as {@code serve} reads them. */
  private static ServerOptions.AdminCredentials adminFromEnvironment() {
    return ServerOptions.AdminCredentials.fromEnvironment(System.getenv());
  }

  private Instant instant(String option, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ParameterException(spec.commandLine(), option + " must be an ISO instant such as 2026-11-01T00:00:00Z");
    }
  }
}
