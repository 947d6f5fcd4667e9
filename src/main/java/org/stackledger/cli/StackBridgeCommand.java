package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackledger stack bridge status|ship|disconnect|connect|export}: the deployment's usage bridge to the cloud
 * ({@code Stackledger.Bridge} on the stack admin ARM endpoint) — whether it ships, why not, how far
 * behind it is — and a shipping pass on demand.
 */
@Command(name = "bridge", description = "The usage bridge: what the deployment has shipped to the cloud, what waits and why.",
    subcommands = {StackBridgeCommand.Status.class, StackBridgeCommand.Ship.class, StackBridgeCommand.Disconnect.class,
        StackBridgeCommand.Connect.class, StackBridgeCommand.Export.class})
final class StackBridgeCommand extends IdentityCommand.Group {
  static final String API = "2026-11-01";
  static final String PROVIDER = "/providers/Stackledger.Bridge";

  /** Prints a status answer as lines, or as JSON when asked or when it is an error. */
  private static int show(Connection conn, ArmClient.Answer answer, boolean json) throws Exception {
    if (json || answer.status() != 200) {
      return conn.print(answer);
    }
    JsonNode s = Json.MAPPER.readTree(answer.body());
    var out = conn.out();
    out.printf("State:                 %s%n", s.path("state").asText());
    if (s.hasNonNull("reason")) {
      out.printf("Reason:                %s%n", s.path("reason").asText());
    }
    out.printf("CloudId:               %s%n", s.path("cloudId").asText());
    out.printf("Registration:          %s%n", s.path("registrationId").asText("-"));
    out.printf("Oldest unshipped hour: %s%n", s.path("oldestUnshippedHour").asText("-"));
    out.printf("Lag:                   %d s%n", s.path("lagSeconds").asLong());
    out.printf("Pending hours:         %d%n", s.path("pendingHours").asLong());
    out.printf("Shipped hours:         %d%n", s.path("shippedHours").asLong());
    out.printf("Shipped records:       %d%n", s.path("shippedRecords").asLong());
    out.printf("Last shipped at:       %s%n", s.path("lastShippedAt").asText("-"));
    if (s.path("lastError").isObject()) {
      out.printf("Last error:            %s: %s%n", s.path("lastError").path("code").asText(),
          s.path("lastError").path("message").asText());
    }
    out.printf("Next attempt at:       %s%n", s.path("nextAttemptAt").asText("-"));
    out.flush();
    return 0;
  }

  /** A verb that sends one call to the bridge and shows the status it answers. */
  abstract static class Verb implements Callable<Integer> {
    @Mixin
    StackCommand.Stack stack;

    @Option(names = "--json", description = "Print the JSON answer instead of lines.")
    boolean json;

    private final String method;
    private final String path;

    Verb(String method, String path) {
      this.method = method;
      this.path = path;
    }

    @Override
    public Integer call() throws Exception {
      Connection conn = stack.conn();
      return show(conn, conn.send(method, PROVIDER + path, API, null), json);
    }
  }

  @Command(name = "status", description = "Show whether the bridge ships, why not, and how far behind it is.")
  static final class Status extends Verb {
    Status() {
      super("GET", "/status");
    }
  }

  @Command(name = "ship", description = "Run a shipping pass now (the oldest waiting hour is tried even inside its "
      + "backoff) and show the status after it.")
  static final class Ship extends Verb {
    Ship() {
      super("POST", "/ship");
    }
  }

  @Command(name = "disconnect", description = "Stop shipping: the deployment is cut off from the cloud; its usage "
      + "leaves by signed file (stack bridge export). Kept across restarts.")
  static final class Disconnect extends Verb {
    Disconnect() {
      super("POST", "/disconnect");
    }
  }

  @Command(name = "connect", description = "Ship again: every hour not yet shipped goes, oldest first.")
  static final class Connect extends Verb {
    Connect() {
      super("POST", "/connect");
    }
  }

  @Command(name = "export", description = "Write the closed usage hours in [--from, --to) as a usage file signed with "
      + "the deployment's bridge key, for the cloud to import (stackledger commerce import).")
  static final class Export implements Callable<Integer> {
    @Mixin
    StackCommand.Stack stack;

    @Option(names = "--from", required = true, description = "First reported hour, e.g. 2026-10-01T00:00:00Z.")
    String from;

    @Option(names = "--to", required = true, description = "End of the last reported hour (exclusive).")
    String to;

    @Option(names = "--out", required = true, description = "The file to write.")
    java.nio.file.Path out;

    @Override
    public Integer call() throws Exception {
      Connection conn = stack.conn();
      ArmClient.Answer answer = conn.send("GET", PROVIDER + "/usageFile", API, "&from=" + UsageQueryCommands.encode(from)
          + "&to=" + UsageQueryCommands.encode(to), null);
      if (answer.status() != 200) {
        return conn.print(answer);
      }
      java.nio.file.Files.writeString(out, answer.body(), java.nio.charset.StandardCharsets.UTF_8);
      JsonNode d = Json.MAPPER.readTree(answer.body()).path("description");
      conn.out().printf("wrote %s: %d records in %d batches of CloudId %s, %s to %s%n", out, d.path("records").asLong(),
          d.path("batches").asLong(), d.path("cloudId").asText(), d.path("from").asText(), d.path("to").asText());
      conn.out().flush();
      return 0;
    }
  }
}
