package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
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

  /** The bridge's status as labelled lines; its lag humanized ({@code 28d 5h 11m}), exact in JSON. */
  static final View STATUS = View.record(List.of("State", "Reason", "CloudId", "Registration", "Oldest unshipped hour",
      "Lag", "Pending hours", "Shipped hours", "Shipped records", "Last shipped at", "Last error", "Next attempt at",
      "Aggregation lag"),
      s -> List.of(s.path("state").asText(), s.path("reason").asText("-"), s.path("cloudId").asText(),
          s.path("registrationId").asText("-"), s.path("oldestUnshippedHour").asText("-"),
          elapsed(s.path("lagSeconds").asLong()), s.path("pendingHours").asText(), s.path("shippedHours").asText(),
          s.path("shippedRecords").asText(), s.path("lastShippedAt").asText("-"), s.path("lastError").isObject()
              ? s.path("lastError").path("code").asText() + ": " + s.path("lastError").path("message").asText() : "-",
          s.path("nextAttemptAt").asText("-"), aggregationLag(s.path("aggregationLag"))));

  /**
   * The aggregation group's lag (a usage log on Kafka) in a line: the values not folded yet over all
   * partitions, and each partition that has any; every partition's offsets are in the JSON.
   */
  static String aggregationLag(com.fasterxml.jackson.databind.JsonNode partitions) {
    if (!partitions.isArray() || partitions.isEmpty()) {
      return "-";
    }
    long total = 0;
    List<String> behind = new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode p : partitions) {
      long lag = p.path("lag").asLong();
      total += lag;
      if (lag > 0) {
        behind.add("p" + p.path("partition").asInt() + " " + lag);
      }
    }
    return total + " values not folded, " + partitions.size() + (partitions.size() == 1 ? " partition" : " partitions")
        + (behind.isEmpty() ? ""
        : " (" + String.join(", ", behind) + ")");
  }

  /** A duration for a person: {@code 28d 5h 11m}, {@code 3h 0m}, {@code 42s}; minutes are its finest unit past one. */
  static String elapsed(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    long days = seconds / 86_400;
    long hours = seconds % 86_400 / 3_600;
    long minutes = seconds % 3_600 / 60;
    return (days > 0 ? days + "d " + hours + "h " : hours > 0 ? hours + "h " : "") + minutes + "m";
  }

  /** A verb that sends one call to the bridge and shows the status it answers. */
  abstract static class Verb implements Callable<Integer> {
    @Mixin
    StackCommand.Stack stack;

    @Mixin
    Output output;

    private final String method;
    private final String path;

    Verb(String method, String path) {
      this.method = method;
      this.path = path;
    }

    @Override
    public Integer call() throws Exception {
      Connection conn = stack.conn();
      return conn.show(conn.send(method, PROVIDER + path, API, null), output, STATUS);
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
      Progress progress = Progress.to(conn.err());
      progress.update("exporting the usage hours " + from + " to " + to + " …");
      ArmClient.Answer answer = conn.send("GET", PROVIDER + "/usageFile", API, "&from=" + UsageQueryCommands.encode(from)
          + "&to=" + UsageQueryCommands.encode(to), null);
      progress.clear();
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
