package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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

  /** The rows of every page, or {@code null} after printing the error; the pages read so far as progress. */
  static ArrayNode rows(Connection conn, String path, String extra) throws IOException {
    Progress progress = Progress.to(conn.err());
    ArrayNode rows = conn.listAll(path, USAGE_API, extra, n -> progress.update("reading usage: " + n + " rows"));
    progress.clear();
    return rows;
  }

  /** A usage row's cells, with the meter's name beside its GUID. */
  static final View ROWS = View.list(List.of("START", "END", "SUBSCRIPTION", "METER", "METER NAME", "QUANTITY",
      "RESOURCE"), r -> {
        JsonNode p = r.path("properties");
        return List.of(p.path("usageStartTime").asText(), p.path("usageEndTime").asText(),
            p.path("subscriptionId").asText(), p.path("meterId").asText(),
            UsageCommand.meterName(p.path("meterId").asText()), View.text(p.path("quantity")),
            instance(p).path("resourceUri").asText(""));
      });

  static int print(Output output, ArrayNode rows) throws IOException {
    ObjectNode out = Json.object();
    out.set("value", rows);
    return output.show(out, ROWS);
  }

  /** instanceData's {@code Microsoft.Resources} object (instanceData is JSON inside a string). */
  static JsonNode instance(JsonNode properties) {
    String text = properties.path("instanceData").asText("");
    try {
      return text.isEmpty() ? Json.object() : Json.MAPPER.readTree(text).path("Microsoft.Resources");
    } catch (IOException notJson) {
      return Json.object();
    }
  }

  @Command(name = "get", description = "A subscription's own usage (tenant API, Microsoft.Commerce/usageAggregates).")
  static final class Get implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Mixin
    Window window;

    @Option(names = "--subscription", required = true, description = "Your subscription on the deployment.")
    String subscription;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      conn.endpointKey = "stackTenantArm";
      ArrayNode rows = rows(conn, "/subscriptions/" + Connection.segment(subscription)
          + "/providers/Microsoft.Commerce/usageAggregates", window.query());
      return rows == null ? conn.lastStatus : print(output, rows);
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

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      conn.endpointKey = "stackAdminArm";
      ArrayNode rows = rows(conn, provider.path(conn), provider.query(window));
      return rows == null ? conn.lastStatus : print(output, rows);
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

    /** Earlier releases' {@code --format csv}; {@code -o csv} (the default) now. */
    @Option(names = "--format", hidden = true)
    String format;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      if (format != null && !format.equalsIgnoreCase("csv")) {
        throw new picocli.CommandLine.ParameterException(conn.spec.commandLine(), "--format must be csv, not '" + format
            + "'; other formats are -o json|table|tsv");
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
      ArrayNode table = Json.MAPPER.createArrayNode();
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
        ObjectNode row = table.addObject();
        for (int i = 0; i < COLUMNS.size(); i++) {
          row.put(COLUMNS.get(i), cells.get(i));
        }
      }
      return output.show(table, View.columns(COLUMNS), Output.Format.CSV);
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
}
