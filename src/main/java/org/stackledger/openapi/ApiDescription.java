package org.stackledger.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every operation of the OpenAPI documents, merged. The merge refuses what would make the served
 * description ambiguous or wrong: a document that is not OpenAPI 3.0, an operation without roles,
 * access class or operationId, an operationId used twice, two operations of one role on one method
 * and template, and two different definitions under one component name.
 */
public final class ApiDescription {
  static final Set<String> ROLES = Set.of("cloudArm", "identity", "partnerCenter", "stackAdminArm", "stackTenantArm");
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static volatile ApiDescription bundled;

  private final List<ApiOperation> operations;
  private final Map<String, ApiOperation> byRoute;
  /** Component section ({@code schemas}, {@code parameters}, …) → name → definition. */
  private final Map<String, Map<String, JsonNode>> components;
  private final JsonNode info;

  private ApiDescription(List<ApiOperation> operations, Map<String, ApiOperation> byRoute,
      Map<String, Map<String, JsonNode>> components, JsonNode info) {
    this.operations = List.copyOf(operations);
    this.byRoute = byRoute;
    this.components = components;
    this.info = info;
  }

  /** The description shipped in the jar ({@code openapi/*.yaml}), read once. */
  public static ApiDescription bundled() {
    ApiDescription d = bundled;
    if (d == null) {
      synchronized (ApiDescription.class) {
        d = bundled;
        if (d == null) {
          d = merge(BundledDocuments.read());
          bundled = d;
        }
      }
    }
    return d;
  }

  /** Parses one YAML (or JSON) document. */
  static ObjectNode parse(String name, InputStream in) {
    try {
      JsonNode node = YAML.readTree(in);
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalStateException(name + ": not an OpenAPI document");
      }
      return object;
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Merges documents, keyed by file name.
   *
   * @throws IllegalStateException naming the file and the rule a document breaks
   */
  public static ApiDescription merge(Map<String, ObjectNode> documents) {
    List<ApiOperation> operations = new ArrayList<>();
    Map<String, ApiOperation> byRoute = new LinkedHashMap<>();
    Map<String, String> ids = new LinkedHashMap<>();
    Map<String, Map<String, JsonNode>> components = new TreeMap<>();
    Map<String, String> componentFiles = new LinkedHashMap<>();
    JsonNode info = null;
    for (var entry : new TreeMap<>(documents).entrySet()) {
      String file = entry.getKey();
      ObjectNode doc = entry.getValue();
      if (!doc.path("openapi").asText().startsWith("3.0.")) {
        throw new IllegalStateException(file + ": 'openapi' must be 3.0.x");
      }
      if (!doc.path("info").isObject() || !doc.path("paths").isObject()) {
        throw new IllegalStateException(file + ": 'info' and 'paths' are required");
      }
      info = info == null ? doc.get("info") : info;
      doc.path("components").fields().forEachRemaining(section -> section.getValue().fields().forEachRemaining(c -> {
        String key = section.getKey() + "/" + c.getKey();
        Map<String, JsonNode> names = components.computeIfAbsent(section.getKey(), k -> new TreeMap<>());
        JsonNode before = names.putIfAbsent(c.getKey(), c.getValue());
        if (before != null && !before.equals(c.getValue())) {
          throw new IllegalStateException(file + ": components/" + key + " differs from its definition in "
              + componentFiles.get(key));
        }
        componentFiles.putIfAbsent(key, file);
      }));
      doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(m -> {
        if (!METHODS.contains(m.getKey())) {
          return;
        }
        ApiOperation op = operation(file, m.getKey().toUpperCase(Locale.ROOT), path.getKey(), path.getValue(),
            (ObjectNode) m.getValue());
        String other = ids.putIfAbsent(op.operationId(), file);
        if (other != null) {
          throw new IllegalStateException(file + ": operationId " + op.operationId() + " is also used in " + other);
        }
        for (String role : op.roles()) {
          ApiOperation twin = byRoute.putIfAbsent(key(role, op.method(), op.template()), op);
          if (twin != null) {
            throw new IllegalStateException(file + ": " + op.method() + " " + op.template() + " on " + role
                + " is also documented as " + twin.operationId() + " in " + twin.file());
          }
        }
        operations.add(op);
      }));
    }
    return new ApiDescription(operations, byRoute, components, info);
  }

  private static ApiOperation operation(String file, String method, String template, JsonNode pathItem,
      ObjectNode source) {
    String where = file + ": " + method + " " + template;
    ObjectNode node = source.deepCopy();
    // Path-level parameters become the operation's own, so that two documents may share a template.
    ArrayNode parameters = node.withArray("parameters");
    for (JsonNode p : pathItem.path("parameters")) {
      boolean overridden = false;
      for (JsonNode own : parameters) {
        overridden |= own.path("name").equals(p.path("name")) && own.path("in").equals(p.path("in"));
      }
      if (!overridden) {
        parameters.add(p.deepCopy());
      }
    }
    String id = node.path("operationId").asText("");
    if (id.isEmpty()) {
      throw new IllegalStateException(where + " has no operationId");
    }
    Set<String> roles = new LinkedHashSet<>();
    node.path("x-stackledger-roles").forEach(r -> roles.add(r.asText()));
    if (roles.isEmpty() || !ROLES.containsAll(roles)) {
      throw new IllegalStateException(where + ": x-stackledger-roles must list some of " + new java.util.TreeSet<>(ROLES)
          + "; was " + node.path("x-stackledger-roles"));
    }
    if (!node.path("responses").isObject() || node.path("responses").isEmpty()) {
      throw new IllegalStateException(where + " lists no responses");
    }
    ApiOperation.Access access;
    try {
      access = ApiOperation.Access.parse(node.path("x-stackledger-access").asText(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(where + ": " + e.getMessage());
    }
    return new ApiOperation(file, method, template, Collections.unmodifiableSet(roles), id, access, node);
  }

  private static String key(String role, String method, String template) {
    return role + " " + method + " " + template;
  }

  public List<ApiOperation> operations() {
    return operations;
  }

  /** The operation a role serves on a method and template, exactly as the router registered it. */
  public Optional<ApiOperation> operation(String role, String method, String template) {
    return Optional.ofNullable(byRoute.get(key(role, method.toUpperCase(Locale.ROOT), template)));
  }

  /** The operations of one endpoint role, as the router's routes look them up. */
  public org.stackledger.http.Router.Catalogue catalogue(String role) {
    return (method, template) -> operation(role, method, template).map(op ->
        new org.stackledger.http.Router.Operation(op.operationId(), op.apiVersions(),
            op.access().name().toLowerCase(Locale.ROOT)));
  }

  /**
   * The OpenAPI document of one endpoint role: its operations only, every component, and
   * {@code servers} set to the role's base URL.
   */
  public ObjectNode forRole(String role, String baseUrl) {
    ObjectNode doc = YAML.createObjectNode();
    doc.put("openapi", "3.0.3");
    ObjectNode roleInfo = doc.putObject("info");
    if (info != null) {
      roleInfo.setAll((ObjectNode) info.deepCopy());
    }
    roleInfo.put("title", "stackledger " + role);
    if (!roleInfo.has("version")) {
      roleInfo.put("version", "1");
    }
    doc.putArray("servers").addObject().put("url", baseUrl);
    ObjectNode paths = doc.putObject("paths");
    for (ApiOperation op : operations) {
      if (op.roles().contains(role)) {
        ObjectNode item = paths.has(op.template()) ? (ObjectNode) paths.get(op.template()) : paths.putObject(op.template());
        item.set(op.method().toLowerCase(Locale.ROOT), op.node());
      }
    }
    ObjectNode out = doc.putObject("components");
    components.forEach((section, names) -> {
      ObjectNode s = out.putObject(section);
      names.forEach(s::set);
    });
    return doc;
  }
}
