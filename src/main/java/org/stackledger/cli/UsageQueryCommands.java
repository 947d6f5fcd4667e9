package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackledger usage get|subscribers|export}: the usage APIs as {@code Get-UsageAggregates}
 * and {@code Get-AzsSubscriberUsage} call them, and the CSV that Microsoft's Usagesummary.ps1
 * sample writes from the provider API.
 */
final class UsageQueryCommands {
  static final String USAGE_API = "2015-06-01-preview";

  private UsageQueryCommands() {}

  /** The reported window and granularity every usage query takes. */
  static final class Window {
    @Option(names = "--from", required = true, description = "reportedStartTime, e.g. 2026-11-01T00:00:00Z (inclusive).")
    String from;

    @Option(names = "--to", required = true, description = "reportedEndTime (exclusive); not in the future.")
    String to;

    @Option(names = "--granularity", defaultValue = "Daily", description = "Daily (default) or Hourly.")
    String granularity;

    String query() {
      return "&reportedStartTime=" + encode(from) + "&reportedEndTime=" + encode(to) + "&aggregationGranularity="
          + encode(granularity);
    }
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The rows of every page, or {@code null} after printing the error. */
  static ArrayNode rows(Connection conn, String path, String extra) throws IOException {
    return conn.listAll(path, USAGE_API, extra);
  }

  static int print(Connection conn, ArrayNode rows, boolean json) throws IOException {
    if (json) {
      ObjectNode out = Json.object();
      out.set("value", rows);
      conn.json(out);
      return 0;
    }
    List<List<String>> table = new ArrayList<>();
    for (JsonNode r : rows) {
      JsonNode p = r.path("properties");
      JsonNode resource = instance(p);
      table.add(List.of(p.path("usageStartTime").asText(), p.path("usageEndTime").asText(),
          p.path("subscriptionId").asText(), p.path("meterId").asText(), p.path("quantity").asText(),
          resource.path("resourceUri").asText("")));
    }
    conn.table(List.of("START", "END", "SUBSCRIPTION", "METER", "QUANTITY", "RESOURCE"), table);
    return 0;
  }

  /** instanceData's {@code Microsoft.Resources} object (instanceData is JSON inside a string). */
  static JsonNode instance(JsonNode properties) throws IOException {
    String text = properties.path("instanceData").asText("");
    return text.isEmpty() ? Json.object() : Json.MAPPER.readTree(text).path("Microsoft.Resources");
  }

  @Command(name = "get", description = "A subscription's own usage (tenant API, Microsoft.Commerce/usageAggregates).")
  static final class Get implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Mixin
    Window window;

    @Option(names = "--subscription", required = true, description = "Your subscription on the deployment.")
    String subscription;

    @Option(names = "--json", description = "Print the rows as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      conn.endpointKey = "stackTenantArm";
      ArrayNode rows = rows(conn, "/subscriptions/" + Connection.segment(subscription)
          + "/providers/Microsoft.Commerce/usageAggregates", window.query());
      return rows == null ? conn.lastStatus : print(conn, rows, json);
    }
  }

  /** The provider's subscription and the optional subscriber filter of the provider API. */
  static final class Provider {
    @Option(names = "--provider-subscription", description = "The provider's subscription. Default: "
        + "operatorSubscriptionId in endpoints.json (the Default Provider Subscription).")
    String providerSubscription;

    @Option(names = "--subscriber", description = "One direct tenant's subscription to filter on.")
    String subscriber;

    String path(Connection conn) throws IOException {
      String sub = providerSubscription != null ? providerSubscription
          : ArmClient.endpoints(conn.dataDir()).path("operatorSubscriptionId").asText();
      return "/subscriptions/" + Connection.segment(sub) + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates";
    }

    String query(Window window) {
      return window.query() + (subscriber == null ? "" : "&subscriberId=" + encode(subscriber));
    }
  }

  @Command(name = "subscribers", description = "The usage of the provider's direct tenants (provider API, "
      + "Microsoft.Commerce.Admin/subscriberUsageAggregates).")
  static final class Subscribers implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Mixin
    Window window;

    @Mixin
    Provider provider;

    @Option(names = "--json", description = "Print the rows as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      conn.endpointKey = "stackAdminArm";
      ArrayNode rows = rows(conn, provider.path(conn), provider.query(window));
      return rows == null ? conn.lastStatus : print(conn, rows, json);
    }
  }

  @Command(name = "export", description = "The provider API's rows as CSV, with the columns of Microsoft's "
      + "Usagesummary.ps1 sample (meter names and subscription owners joined in).")
  static final class Export implements Callable<Integer> {
    static final List<String> COLUMNS = List.of("UsageStartTime", "UsageEndTime", "MeterName", "Quantity",
        "resourceType", "location", "resourceGroup", "resourceName", "subowner", "tags", "MeterId", "additionalInfo",
        "subscription", "resourceUri");

    @Mixin
    Connection conn;

    @Mixin
    Window window;

    @Mixin
    Provider provider;

    @Option(names = "--format", defaultValue = "csv", description = "csv (the only format).")
    String format;

    @Option(names = "--output", description = "Write to this file instead of standard output.")
    Path output;

    @Override
    public Integer call() throws Exception {
      if (!format.equalsIgnoreCase("csv")) {
        throw new IllegalArgumentException("--format must be csv, not '" + format + "'");
      }
      conn.endpointKey = "stackAdminArm";
      ArrayNode rows = rows(conn, provider.path(conn), provider.query(window));
      if (rows == null) {
        return conn.lastStatus;
      }
      Map<String, String> meterNames = new HashMap<>();
      ArrayNode meters = conn.listAll(UsageCommand.PROVIDER + "/meters", UsageCommand.API);
      if (meters != null) {
        meters.forEach(m -> meterNames.put(Connection.prop(m, "meterId").toLowerCase(java.util.Locale.ROOT),
            Connection.prop(m, "meterName")));
      }
      Map<String, String> owners = owners(conn);
      StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
      for (JsonNode r : rows) {
        JsonNode p = r.path("properties");
        JsonNode resource = instance(p);
        String uri = resource.path("resourceUri").asText("");
        String[] parts = uri.replace('\\', '/').split("/");
        String sub = p.path("subscriptionId").asText();
        List<String> cells = List.of(p.path("usageStartTime").asText(), p.path("usageEndTime").asText(),
            meterNames.getOrDefault(p.path("meterId").asText().toLowerCase(java.util.Locale.ROOT), ""),
            p.path("quantity").asText(), part(parts, 7), resource.path("location").asText(""), part(parts, 4),
            part(parts, 8), owners.getOrDefault(sub, ""), json(resource.path("tags")), p.path("meterId").asText(),
            json(resource.path("additionalInfo")), sub, uri);
        csv.append(String.join(",", cells.stream().map(UsageQueryCommands::cell).toList())).append("\r\n");
      }
      if (output != null) {
        Files.writeString(output, csv.toString(), StandardCharsets.UTF_8);
      } else {
        PrintWriter out = conn.out();
        out.print(csv);
        out.flush();
      }
      return 0;
    }

    /** Subscription owners from the admin API; empty where the caller may not list them. */
    private Map<String, String> owners(Connection conn) throws IOException {
      Map<String, String> owners = new HashMap<>();
      String sub = provider.providerSubscription != null ? provider.providerSubscription
          : ArmClient.endpoints(conn.dataDir()).path("operatorSubscriptionId").asText();
      ArmClient.Answer answer = conn.send("GET", "/subscriptions/" + Connection.segment(sub)
          + "/providers/Microsoft.Subscriptions.Admin/subscriptions", "2015-11-01", null);
      if (answer.status() == 200) {
        Json.MAPPER.readTree(answer.body()).path("value").forEach(s -> owners.put(
            s.path("properties").path("subscriptionId").asText(s.path("subscriptionId").asText()),
            s.path("properties").path("owner").asText(s.path("owner").asText(""))));
      }
      return owners;
    }

    private static String part(String[] parts, int index) {
      return index < parts.length ? parts[index] : "";
    }

    private static String json(JsonNode node) {
      return node.isMissingNode() || node.isNull() ? "" : Json.text(node);
    }
  }

  /** A CSV cell, quoted when it holds a comma, a quote or a line break (RFC 4180). */
  static String cell(String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
