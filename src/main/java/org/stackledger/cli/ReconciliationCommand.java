package org.stackledger.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stackledger reconciliation export --month M}: the month's reconciliation file (CSV). */
@Command(name = "reconciliation", description = "The reconciliation file of a month (CSV).",
    subcommands = ReconciliationCommand.Export.class)
final class ReconciliationCommand extends IdentityCommand.Group {

  @Command(name = "export", description = "One row per invoice line and resource, of every invoice of the month you "
      + "may read.")
  static final class Export implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Option(names = {"-m", "--month"}, required = true, description = "The invoice month, yyyy-MM.")
    String month;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      return InvoiceCommand.download(conn, output, "reconciliation " + month, InvoiceCommand.PROVIDER + "/reconciliation",
          "&month=" + UsageQueryCommands.encode(month));
    }
  }
}
