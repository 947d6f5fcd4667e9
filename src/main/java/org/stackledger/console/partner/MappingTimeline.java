package org.stackledger.console.partner;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stackledger.console.web.Block;

/**
 * A registration's mapping history drawn as a timeline: one lane per directory tenant, one bar per
 * mapping from {@code effectiveFrom} to {@code effectiveTo} (or now), each customer subscription in its
 * own colour, so "who was billed to which subscription when" reads at a glance.
 */
final class MappingTimeline {
  private MappingTimeline() {}

  static Block.Timeline of(JsonNode history, Map<String, String> tenantNames, Instant now) {
    Instant start = null;
    for (JsonNode m : history) {
      Instant from = PartnerPages.instant(m.path("effectiveFrom"));
      start = start == null || from.isBefore(start) ? from : start;
    }
    if (start == null) {
      return new Block.Timeline("", "", List.of(), "No customer subscription was ever added to this registration.");
    }
    double span = Math.max(1, Duration.between(start, now).toSeconds());
    Map<String, List<Block.Bar>> lanes = new LinkedHashMap<>();
    Map<String, Integer> colours = new LinkedHashMap<>();
    for (JsonNode m : history) {
      String tenant = m.path("tenantId").asText();
      String sub = m.path("customerSubscriptionId").asText();
      Instant from = PartnerPages.instant(m.path("effectiveFrom"));
      Instant to = PartnerPages.instant(m.path("effectiveTo"));
      Instant end = to == null ? now : to;
      int colour = colours.computeIfAbsent(sub, s -> colours.size() % 6);
      String title = sub + " from " + from + (to == null ? ", in force" : " to " + to + " (" + m.path("endedBy").asText() + ")");
      lanes.computeIfAbsent(tenant, t -> new ArrayList<>()).add(new Block.Bar(sub.substring(0, Math.min(8, sub.length())),
          100 * Duration.between(start, from).toSeconds() / span,
          100 * Duration.between(from, end).toSeconds() / span, colour, title));
    }
    List<Block.Lane> out = new ArrayList<>();
    lanes.forEach((tenant, bars) -> {
      String name = tenantNames.getOrDefault(tenant, "");
      out.add(new Block.Lane(name.isEmpty() ? "Tenant " + tenant : name + " (" + tenant + ")", bars));
    });
    return new Block.Timeline(start.toString(), "now (" + now + ")", out, "");
  }
}
