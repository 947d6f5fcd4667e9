package org.stackledger.resources;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.arm.ProviderCatalogue;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * Resource provider registration per subscription ({@code Register-AzureRmResourceProvider}):
 * {@code POST .../providers/{namespace}/register|unregister}, {@code GET .../providers[/{namespace}]}.
 * A subscription must register a namespace before it creates that provider's resources;
 * {@link ProviderRegistrations#isRegistered} is how a provider asks.
 */
public final class ProviderRoutes {
  private final Arm arm;
  private final ProviderRegistrations registrations;

  private ProviderRoutes(Arm arm, ProviderRegistrations registrations) {
    this.arm = arm;
    this.registrations = registrations;
  }

  public static void register(Router router, Arm arm, ProviderRegistrations registrations) {
    ProviderRoutes routes = new ProviderRoutes(arm, registrations);
    String item = "/subscriptions/{subscriptionId}/providers/{resourceProviderNamespace}";
    router.get("/subscriptions/{subscriptionId}/providers", routes::list);
    router.get(item, routes::get);
    router.post(item + "/register", ex -> routes.change(ex, true));
    router.post(item + "/unregister", ex -> routes.change(ex, false));
  }

  private ProviderCatalogue.Provider provider(Exchange ex) {
    String namespace = ex.pathParam("resourceProviderNamespace");
    return arm.providers().find(namespace).orElseThrow(() -> Problem.notFound("InvalidResourceNamespace",
        "The resource namespace '" + namespace + "' is invalid: no such resource provider is offered here."));
  }

  private Reply get(Exchange ex) {
    ResourcesApi.PROVIDERS.require(ex);
    String subscription = arm.authorize(ex, ResourceId.subscription(ex.pathParam("subscriptionId")),
        "Microsoft.Resources/subscriptions/providers/read").subscriptionId();
    ProviderCatalogue.Provider provider = provider(ex);
    return Reply.json(200, render(subscription, provider, registrations.state(subscription, provider.namespace())));
  }

  private Reply change(Exchange ex, boolean register) {
    ResourcesApi.PROVIDERS.require(ex);
    String subscription = ResourceId.checkSubscription(ex.pathParam("subscriptionId"));
    arm.authorize(ex, ResourceId.subscription(subscription), ex.pathParam("resourceProviderNamespace")
        + (register ? "/register/action" : "/unregister/action"));
    ProviderCatalogue.Provider provider = provider(ex);
    String state = register ? "Registered" : "Unregistered";
    registrations.set(subscription, provider.namespace(), state,
        OffsetDateTime.now(arm.clock()).withOffsetSameInstant(ZoneOffset.UTC));
    return Reply.json(200, render(subscription, provider, state));
  }

  private Reply list(Exchange ex) {
    ResourcesApi.PROVIDERS.require(ex);
    String subscription = arm.authorize(ex, ResourceId.subscription(ex.pathParam("subscriptionId")),
        "Microsoft.Resources/subscriptions/providers/read").subscriptionId();
    Map<String, String> states = registrations.states(subscription);
    Paging.Cursor cursor = arm.paging().cursor(ex);
    List<ProviderCatalogue.Provider> page = new ArrayList<>();
    for (ProviderCatalogue.Provider p : arm.providers().all()) {
      String key = p.namespace().toLowerCase(Locale.ROOT);
      if (key.compareTo(cursor.afterKey().orElse("")) > 0 && page.size() <= cursor.limit()) {
        page.add(p);
      }
    }
    return Reply.json(200, arm.paging().page(ex, cursor, page, p -> p.namespace().toLowerCase(Locale.ROOT),
        p -> render(subscription, p, states.getOrDefault(p.namespace().toLowerCase(Locale.ROOT), "NotRegistered"))));
  }

  private static ObjectNode render(String subscription, ProviderCatalogue.Provider provider, String state) {
    ObjectNode out = Json.object();
    out.put("id", "/subscriptions/" + subscription + "/providers/" + provider.namespace());
    out.put("namespace", provider.namespace());
    out.put("registrationState", state);
    out.put("registrationPolicy", "RegistrationRequired");
    ArrayNode types = out.putArray("resourceTypes");
    for (ProviderCatalogue.ResourceType type : provider.resourceTypes()) {
      ObjectNode t = types.addObject();
      t.put("resourceType", type.name());
      ArrayNode locations = t.putArray("locations");
      type.locations().forEach(locations::add);
      ArrayNode versions = t.putArray("apiVersions");
      List<String> newestFirst = new ArrayList<>(type.apiVersions().list());
      java.util.Collections.reverse(newestFirst);
      newestFirst.forEach(versions::add);
      t.put("capabilities", "None");
    }
    return out;
  }
}
