package org.stackledger.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code stackledger usage …}: usage on the deployment, through its ARM endpoints as the signed-in
 * profile. A plain parent command; each verb is a nested class listed in {@code subcommands}.
 */
@Command(name = "usage", description = "Usage on the deployment: its meters, the usage APIs and a CSV export (stack ARM endpoints).",
    subcommands = {UsageCommand.Meters.class, UsageQueryCommands.Get.class, UsageQueryCommands.Subscribers.class,
        UsageQueryCommands.Export.class})
final class UsageCommand extends IdentityCommand.Group {
  /** The api-version of the deployment's {@code Stackledger.Usage} routes. */
  static final String API = "2026-11-01";
  static final String PROVIDER = "/providers/Stackledger.Usage";

  /**
   * A meter's name from the standard meter catalogue (the one every deployment reports against), or
   * empty for a meter it does not hold; the table formats show it beside the meter's GUID.
   */
  static String meterName(String meterId) {
    return org.stackledger.meters.MeterCatalogue.standard().find(meterId).map(org.stackledger.meters.Meter::name)
        .orElse("");
  }

  /** Points a connection at the stack admin endpoint unless {@code --endpoint} names another. */
  static Connection stackAdmin(Connection conn) {
    conn.endpointKey = "stackAdminArm";
    return conn;
  }

  @Command(name = "meters", description = "The deployment's meter catalogue: id, name, unit and resource provider.")
  static final class Meters implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      Connection c = stackAdmin(conn);
      return c.listTable(output, PROVIDER + "/meters", API, List.of("ID", "NAME", "UNIT", "PROVIDER"),
          m -> List.of(Connection.prop(m, "meterId"), Connection.prop(m, "meterName"), Connection.prop(m, "unit"),
              Connection.prop(m, "resourceProvider")));
    }
  }
}
