package org.stackledger.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routes of one endpoint role, matched segment by segment. Literal segments compare
 * case-insensitively (ARM clients send both {@code resourceGroups} and {@code resourcegroups});
 * when several templates match, the one with the most literal segments wins, so a typed route such
 * as {@code .../providers/Microsoft.Authorization/locks/{name}} beats a generic one.
 */
public final class Router {
  /** A route's work. */
  @FunctionalInterface
  public interface Handler {
    Reply handle(Exchange exchange) throws Exception;
  }

  record Route(String method, String template, String[] segments, int literals, boolean anonymous,
      Handler handler) {
    Map<String, String> match(String[] path) {
      if (path.length != segments.length) {
        return null;
      }
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 0; i < segments.length; i++) {
        String s = segments[i];
        if (s.startsWith("{") && s.endsWith("}")) {
          if (path[i].isEmpty()) {
            return null;
          }
          params.put(s.substring(1, s.length() - 1), path[i]);
        } else if (!s.equalsIgnoreCase(path[i])) {
          return null;
        }
      }
      return params;
    }
  }

  /** The outcome of matching a request: the route and its path parameters. */
  record Match(Route route, Map<String, String> params) {}

  private final List<Route> routes = new ArrayList<>();

  public Router get(String template, Handler handler) {
    return add("GET", template, false, handler);
  }

  public Router put(String template, Handler handler) {
    return add("PUT", template, false, handler);
  }

  public Router patch(String template, Handler handler) {
    return add("PATCH", template, false, handler);
  }

  public Router post(String template, Handler handler) {
    return add("POST", template, false, handler);
  }

  public Router delete(String template, Handler handler) {
    return add("DELETE", template, false, handler);
  }

  public Router head(String template, Handler handler) {
    return add("HEAD", template, false, handler);
  }

  /** A route that needs no credential, such as discovery documents and health checks. */
  public Router anonymous(String method, String template, Handler handler) {
    return add(method, template, true, handler);
  }

  public Router add(String method, String template, boolean anonymous, Handler handler) {
    String[] segments = split(template);
    int literals = 0;
    for (String s : segments) {
      if (!s.startsWith("{")) {
        literals++;
      }
    }
    routes.add(new Route(method.toUpperCase(Locale.ROOT), template, segments, literals, anonymous, handler));
    return this;
  }

  private static String[] split(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }

  /**
   * What the API description says of a route: its operation, the api-versions it accepts (empty when it
   * takes none) and who may call it ({@code anonymous}, {@code authenticated}, {@code operator},
   * {@code tenant}, {@code partner}, {@code deployment}). The description is the one source of these.
   */
  public record Operation(String operationId, List<String> apiVersions, String access) {}

  /** Finds the operation of a route of this router by method and template. */
  @FunctionalInterface
  public interface Catalogue {
    Optional<Operation> find(String method, String template);
  }

  private Catalogue catalogue = (method, template) -> Optional.empty();

  /** Where {@link #describe()} reads each route's operation; set once the routes are registered. */
  public void catalogue(Catalogue catalogue) {
    this.catalogue = catalogue;
  }

  /**
   * A registered route as tests and documentation see it.
   *
   * @param operation its operation in the API description, empty while the route is not described
   */
  public record Description(String method, String template, boolean anonymous, Optional<Operation> operation) {}

  /** Every route, in registration order, with its operation. */
  public List<Description> describe() {
    return routes.stream().map(r -> new Description(r.method(), r.template(), r.anonymous(),
        catalogue.find(r.method(), r.template()))).toList();
  }

  /**
   * Finds the route for a method and normalised path.
   *
   * @throws ApiException 404 when no template matches, 405 when templates match but not the method
   */
  Match match(String method, String path) {
    String[] parts = split(path);
    Match best = null;
    Set<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Map<String, String> params = route.match(parts);
      if (params == null) {
        continue;
      }
      allowed.add(route.method());
      if (route.method().equals(method) && (best == null || route.literals() > best.route().literals())) {
        best = new Match(route, params);
      }
    }
    if (best != null) {
      return best;
    }
    if (method.equals("HEAD") && allowed.contains("GET")) {
      // HEAD is GET without a body (HttpServer drops it), as clients' existence checks expect.
      return match("GET", path);
    }
    if (!allowed.isEmpty()) {
      throw new ApiException(405, "MethodNotAllowed",
          "The method '" + method + "' is not allowed on '" + path + "'. Allowed: " + String.join(", ", allowed) + ".");
    }
    throw new ApiException(404, "NotFound", "No route serves '" + path + "'.");
  }
}
