package org.stackledger.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One documented operation: where it is written, the route it describes and the metadata the rest
 * of the program reads from it.
 *
 * @param file        the document it is written in, such as {@code azurestack.yaml}
 * @param method      the HTTP method, upper case
 * @param template    the route template, exactly as registered with the router
 * @param roles       the endpoint roles that serve it ({@code x-stackledger-roles})
 * @param operationId Microsoft's id where Microsoft publishes the operation, else ours
 * @param access      who may call it ({@code x-stackledger-access})
 * @param node        the operation object, path-level parameters folded in
 */
public record ApiOperation(String file, String method, String template, Set<String> roles, String operationId,
    Access access, ObjectNode node) {

  /** Who may call an operation; the values of {@code x-stackledger-access}. */
  public enum Access {
    ANONYMOUS, AUTHENTICATED, OPERATOR, TENANT, PARTNER, DEPLOYMENT;

    static Access parse(String text) {
      for (Access a : values()) {
        if (a.name().equalsIgnoreCase(text)) {
          return a;
        }
      }
      throw new IllegalArgumentException("x-stackledger-access must be one of anonymous, authenticated, operator, "
          + "tenant, partner, deployment; was '" + text + "'");
    }
  }

  /** The api-versions the route accepts (the {@code enum} of its {@code api-version} query parameter); empty when it takes none. */
  public List<String> apiVersions() {
    List<String> out = new ArrayList<>();
    for (JsonNode p : node.path("parameters")) {
      if ("api-version".equals(p.path("name").asText()) && "query".equals(p.path("in").asText())) {
        p.path("schema").path("enum").forEach(v -> out.add(v.asText()));
      }
    }
    return out;
  }

  /** The published spec this operation follows ({@code x-ms-published}), if Microsoft publishes it. */
  public Optional<String> published() {
    return Optional.ofNullable(node.get("x-ms-published")).map(JsonNode::asText);
  }

  /** The status codes the operation lists, as written ({@code 200}, {@code 4XX}, {@code default}). */
  public List<String> statuses() {
    List<String> out = new ArrayList<>();
    node.path("responses").fieldNames().forEachRemaining(out::add);
    return out;
  }
}
