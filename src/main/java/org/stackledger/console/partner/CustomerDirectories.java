package org.stackledger.console.partner;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.stackledger.console.api.ApiClient;
import org.stackledger.console.api.ApiRefusal;
import org.stackledger.console.web.Choices;
import org.stackledger.console.web.Visit;

/**
 * Which directory a partner's customer's CSP subscription lives in, as Partner Center tells the
 * partner: the customer whose {@code /subscriptions/{id}} answers, and that subscription's
 * {@code tenantId}. A partner's person reads a customer's subscription with a token of that directory,
 * where it is a guest (admin on behalf of), as Azure's portal switches to the customer's directory.
 */
public final class CustomerDirectories {
  /** Customers asked at once; a partner with more asks them a wave at a time until one answers. */
  static final int WAVE = 50;

  private CustomerDirectories() {}

  /** The directory tenant id of {@code subscriptionId}, or empty when none of the partner's customers has it. */
  public static Optional<String> of(Visit v, String subscriptionId) {
    List<JsonNode> customers = new ArrayList<>();
    v.get(v.apis().partnerCenter(), "/v1/customers").path("items").forEach(customers::add);
    for (int from = 0; from < customers.size(); from += WAVE) {
      List<CompletableFuture<ApiClient.Answer>> asked = new ArrayList<>();
      for (JsonNode c : customers.subList(from, Math.min(customers.size(), from + WAVE))) {
        asked.add(v.start(v.apis().partnerCenter(), "/v1/customers/" + Choices.encode(c.path("id").asText())
            + "/subscriptions/" + Choices.encode(subscriptionId)));
      }
      for (int i = 0; i < asked.size(); i++) {
        try {
          JsonNode s = v.json(asked.get(i));
          // Ours names the directory it lives in; a customer's first directory stands in where it does not.
          String tenant = s.path("tenantId").asText(customers.get(from + i).path("companyProfile").path("tenantId")
              .asText());
          return tenant.isBlank() ? Optional.empty() : Optional.of(tenant);
        } catch (ApiRefusal notTheirs) {
          if (notTheirs.status() != 404) {
            throw notTheirs;
          }
        }
      }
    }
    return Optional.empty();
  }
}
