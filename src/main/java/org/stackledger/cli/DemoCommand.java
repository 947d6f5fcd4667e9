package org.stackledger.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.app.StartRefused;
import org.stackledger.app.StartupConfig;
import org.stackledger.commerce.Invoice;
import org.stackledger.simulate.DemoMonth;
import org.stackledger.simulate.SimulatedCloud;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stackledger demo}: a month of a CSP's Azure Stack billing on a fresh embedded store, then the
 * service keeps running so the newcomer can explore it with the CLI (see {@link DemoMonth}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Start the service on a fresh store with a CSP "
    + "partner, three customers, a registered deployment and last month's usage billed; then keep serving.")
final class DemoCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", description = "A fresh (absent or empty) data folder. Default: a new folder under the "
      + "system's temporary folder.")
  Path dataDir;

  @Option(names = "--port", defaultValue = "8443", description = "Port of the cloud ARM endpoint; the other endpoints "
      + "take the next four. 0 picks free ports. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the simulated usage. Default: ${DEFAULT-VALUE}.")
  long seed;

  @picocli.CommandLine.Mixin
  LogOptions logs = new LogOptions();

  @Option(names = "--exit", description = "Stop once the month is billed instead of serving (for scripts and tests).")
  boolean exit;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    LogOptions.Settings logging;
    try {
      logging = logs.resolve(StartupConfig.environment(System.getenv()));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
    Path dir = dataDir != null ? dataDir : java.nio.file.Files.createTempDirectory("stackledger-demo-");
    if (!DemoMonth.fresh(dir)) {
      spec.commandLine().getErr().println("error: the demo needs a fresh data folder; " + dir + " is not empty "
          + "(pass --data-dir with a new folder)");
      spec.commandLine().getErr().flush();
      return 1;
    }
    // The month makes thousands of requests: their lines go to the folder's log, not to this terminal.
    AutoCloseable logFile = logging.open(dir);
    DemoMonth.Result r;
    // Progress on stderr, the summary on stdout: `demo --exit > summary.txt` keeps only the summary.
    Progress progress = Progress.to(spec.commandLine().getErr());
    try {
      r = DemoMonth.run(dir, port, seed, progress::update);
      progress.done(String.format("demo: %s billed, %,d usage events", r.month(), r.events()));
    } catch (StartRefused e) {
      progress.clear();
      logFile.close();
      // The folder was fresh: the log folder opened above is all this run left in it.
      try (java.util.stream.Stream<Path> made = java.nio.file.Files.walk(dir.resolve("logs"))) {
        made.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    } catch (Exception | Error e) {
      progress.clear();
      logFile.close();
      throw e;
    }
    Stackledger app = r.app();
    try {
      summary(out, dir, r);
      if (exit) {
        return 0;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          app.close();
          logFile.close();
        } catch (Exception ignored) {
          // Shutting down anyway.
        }
        stopped.countDown();
      }, "shutdown"));
      stopped.await();
      return 0;
    } finally {
      if (exit) {
        try {
          app.close();
        } finally {
          logFile.close();
        }
      }
    }
  }

  private static void summary(PrintWriter out, Path dir, DemoMonth.Result r) {
    Stackledger app = r.app();
    SimulatedCloud w = r.world();
    String month = r.month().toString();
    out.printf("%nstackledger demo: %s billed (%,d usage events)%n%n", month, r.events());
    for (EndpointRole role : EndpointRole.values()) {
      out.printf("  %-15s %s%n", role.key(), app.url(role));
    }
    out.printf("  %-15s %s%n", "certificate", app.certificate());
    out.printf("  %-15s %s%n", "logs", dir.resolve("logs").resolve("stackledger.log").toAbsolutePath());
    out.printf("%nOperator (home tenant %s): client id %s, secret %s%n", app.homeTenantId(), r.admin().clientId(),
        r.admin().clientSecret());
    SimulatedCloud.Partner p = w.partner();
    out.printf("CSP partner (tenant %s, %s): client id %s, secret %s%n", p.tenantId(), p.domain(), p.clientId(),
        p.clientSecret());
    out.printf("Deployment CloudId %s, registered and activated: registration %s%n  registration subscription %s%n", w.cloudId(),
        w.registration().id(), w.registration().subscriptionId());
    for (SimulatedCloud.Customer c : w.customers()) {
      String mapped = switch (c.number()) {
        case 1 -> "mapped all month";
        case 2 -> "mapped from " + DateTimeFormatter.ISO_INSTANT.format(r.mappedMidMonth());
        default -> "never mapped: billed to the registration subscription";
      };
      out.printf("Customer %d (%s, %s): CSP subscription %s, user subscription %s; owner %s / %s%n", c.number(),
          c.domain(), mapped, c.cspSubscriptionId(), c.localSubscriptionId(), c.ownerUpn(), c.ownerPassword());
    }
    out.printf("%nInvoices of %s (final):%n", month);
    for (Invoice i : r.invoices()) {
      out.printf("  %s  %s %s  %d lines%n", i.billingSubscriptionId(), i.total().toPlainString(), i.currency(),
          i.lines().size());
    }
    SimulatedCloud.Customer second = w.customers().get(1);
    out.printf("%nOpen the console in a browser (it uses the certificate above; accept it or trust it):%n  %s%n",
        app.url(EndpointRole.CONSOLE));
    out.printf("  as the operator:  %s / %s%n", app.adminUser(),
        app.generatedAdminUser().map(ServerOptions.AdminCredentials::clientSecret).orElse("(its password, shown at its first start)"));
    out.printf("  as the partner:   %s / %s%n", p.adminUpn(), p.adminPassword());
    SimulatedCloud.Customer first = w.customers().get(0);
    out.printf("  as a customer:    %s / %s   (%s/signin?tenant=%s)%n", first.ownerUpn(), first.ownerPassword(),
        app.url(EndpointRole.CONSOLE).replaceAll("/$", ""), first.domain());
    out.printf("%nExplore it (another terminal):%n");
    out.printf("  export STACKLEDGER_HOME=%s%n", dir.toAbsolutePath());
    out.printf("  ./stackledger login --service-principal -u %s -p %s%n", r.admin().clientId(), r.admin().clientSecret());
    out.printf("  ./stackledger invoice list --month %s%n", month);
    out.printf("  ./stackledger invoice show --subscription %s --month %s%n", w.customers().get(0).cspSubscriptionId(),
        month);
    out.printf("  ./stackledger reconciliation export --month %s%n", month);
    out.printf("  ./stackledger chargeback markup set --customer default --percent 15%n");
    out.printf("  ./stackledger chargeback --month %s%n", month);
    out.printf("  ./stackledger invoice explain --cloud-id %s --subscription %s --hour %s%n", w.cloudId(),
        second.localSubscriptionId(), DateTimeFormatter.ISO_INSTANT.format(r.mappedMidMonth()));
    out.printf("  ./stackledger stack bridge status%n");
    out.printf("  ./stackledger usage subscribers --from %s-01T00:00:00Z --to %s-01T00:00:00Z --granularity Daily%n",
        month, r.month().plusMonths(1));
    out.printf("  ./stackledger price-sheet export --at %s-15T00:00:00Z%n", month);
    out.printf("%nServing until Ctrl-C.%n");
    out.flush();
  }
}
