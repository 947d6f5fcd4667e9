package org.stackledger.console.partner;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.stackledger.console.api.ApiClient;
import org.stackledger.console.web.Visit;

/**
 * Every {@code Microsoft.AzureStack} registration the signed-in person may read in the cloud: the
 * subscriptions ARM lists for them, and each one's registrations, asked side by side (a page waits for
 * the slowest list, not for their sum). A partner's person sees the partner's; the operator, Owner at
 * the root, every deployment registered with the cloud.
 */
public final class Registrations {
  /** Subscriptions asked at most: beyond it a page would wait on hundreds of lists. */
  static final int MAX_SUBSCRIPTIONS = 500;

  /** A registration and the subscription it lives in. */
  public record Found(String subscriptionId, JsonNode registration) {}

  private Registrations() {}

  /** Starts the subscriptions' list; {@link #of} finishes it. */
  public static CompletableFuture<ApiClient.Answer> start(Visit v) {
    return v.start(v.apis().cloud(), "/subscriptions?api-version=2022-12-01");
  }

  public static List<Found> of(Visit v, CompletableFuture<ApiClient.Answer> subscriptions) {
    List<String> subs = new ArrayList<>();
    for (JsonNode s : v.json(subscriptions).path("value")) {
      if (subs.size() < MAX_SUBSCRIPTIONS) {
        subs.add(s.path("subscriptionId").asText());
      }
    }
    List<CompletableFuture<ApiClient.Answer>> lists = new ArrayList<>(subs.size());
    for (String sub : subs) {
      lists.add(v.start(v.apis().cloud(), "/subscriptions/" + sub + "/providers/Microsoft.AzureStack/registrations?"
          + PartnerPages.REGISTRATION_API));
    }
    List<Found> found = new ArrayList<>();
    for (int i = 0; i < subs.size(); i++) {
      for (JsonNode r : v.json(lists.get(i)).path("value")) {
        found.add(new Found(subs.get(i), r));
      }
    }
    return found;
  }
}
