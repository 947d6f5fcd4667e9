package org.stackledger.console.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.stackledger.console.api.ApiClient;
import org.stackledger.console.api.ApiRefusal;
import org.stackledger.console.web.Visit;

/** The meter catalogue's names by meter id, for labels; ids stand in where the catalogue cannot be read. */
public final class Meters {
  private Meters() {}

  public static CompletableFuture<ApiClient.Answer> start(Visit v) {
    return v.start(v.apis().stackTenant(), "/providers/Stackledger.Usage/meters?api-version=2026-11-01");
  }

  public static Map<String, String> names(CompletableFuture<ApiClient.Answer> call) {
    Map<String, String> names = new HashMap<>();
    try {
      for (JsonNode m : ApiClient.join(call).json().path("value")) {
        JsonNode p = m.path("properties");
        String id = p.path("meterId").asText(m.path("name").asText());
        names.put(id, p.path("meterName").asText(p.path("name").asText(id)));
      }
    } catch (ApiRefusal notAllowed) {
      // Labels only: the ids are shown instead.
    }
    return names;
  }
}
