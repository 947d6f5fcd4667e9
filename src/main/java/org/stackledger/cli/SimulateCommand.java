package org.stackledger.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stackledger.simulate.SimulatedDeployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code stackledger simulate}: plays the deployment's resource providers over a past range; see {@link SimulatedDeployment}. */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = "Report simulated usage for simulated "
    + "tenants over a past time range, hour by hour, into the deployment in the data folder (no server may be running on it).")
final class SimulateCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", description = "Data folder. Default: $STACKLEDGER_HOME or ~/.stackledger.")
  Path dataDir;

  @Option(names = "--db", description = "PostgreSQL JDBC URL, as for serve. Default: the embedded store in the data folder.")
  String db;

  @Option(names = "--tenants", description = "Simulated tenants. Default: ${DEFAULT-VALUE}.", defaultValue = "5")
  int tenants;

  @Option(names = "--vms-per-tenant", description = "VMs per tenant. Default: ${DEFAULT-VALUE}.", defaultValue = "4")
  int vms;

  @Option(names = "--days", description = "Days ending with the last hour already reported by now. Default: ${DEFAULT-VALUE}.",
      defaultValue = "30")
  int days;

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
    Instant end = to != null ? instant("--to", to) : SimulatedDeployment.latestEnd(real);
    Instant start = from != null ? instant("--from", from) : end.minus(Duration.ofDays(days));
    if (days < 1 || tenants < 1 || vms < 0 || !start.isBefore(end) || start.getEpochSecond() % 3600 != 0
        || end.getEpochSecond() % 3600 != 0) {
      throw new ParameterException(spec.commandLine(), "need --days, --tenants >= 1, --vms-per-tenant >= 0, and "
          + "--from before --to, both on whole hours");
    }
    SimulatedDeployment.Result r;
    try {
      r = SimulatedDeployment.run(new SimulatedDeployment.Options(dataDir != null ? dataDir
          : StackledgerCommand.defaultDataDir(), db, tenants, vms, start, end, seed, location), real);
    } catch (SimulatedDeployment.Refused e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
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
    out.append("quantity by meter:\n");
    for (Map.Entry<String, java.math.BigDecimal> q : r.quantities().entrySet()) {
      out.append(String.format("  %-50s %s%n", q.getKey(), q.getValue().stripTrailingZeros().toPlainString()));
    }
    spec.commandLine().getOut().print(out);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private Instant instant(String option, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ParameterException(spec.commandLine(), option + " must be an ISO instant such as 2026-11-01T00:00:00Z");
    }
  }
}
