package org.stackledger.arm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.stackledger.http.Guids;
import org.stackledger.problem.Problem;

/**
 * A Resource Manager resource id, parsed case-insensitively:
 * {@code /subscriptions/{id}[/resourceGroups/{name}][/providers/{namespace}/{type}/{name}[/{type}/{name}]...]}.
 * {@link #toString()} gives the canonical spelling (fixed case for the keywords, names as given);
 * {@link #key()} is the lower-case form used to compare and store ids, since ARM ids are
 * case-insensitive.
 */
public final class ResourceId {
  private static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\w._()]{1,90}");
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)+");
  private static final Pattern TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");
  private static final Pattern NAME = Pattern.compile("[^<>%&:\\\\?/*#\\p{Cntrl}]{1,260}");

  private final String subscriptionId;
  private final String resourceGroup;
  private final String namespace;
  private final List<String> types;
  private final List<String> names;

  private ResourceId(String subscriptionId, String resourceGroup, String namespace, List<String> types, List<String> names) {
    this.subscriptionId = subscriptionId;
    this.resourceGroup = resourceGroup;
    this.namespace = namespace;
    this.types = List.copyOf(types);
    this.names = List.copyOf(names);
  }

  public static ResourceId subscription(String subscriptionId) {
    return new ResourceId(checkSubscription(subscriptionId), null, null, List.of(), List.of());
  }

  public static ResourceId resourceGroup(String subscriptionId, String resourceGroup) {
    return new ResourceId(checkSubscription(subscriptionId), checkResourceGroup(resourceGroup), null, List.of(), List.of());
  }

  /** Parses an id; a malformed one is a 400 {@code InvalidResourceId} naming what is wrong. */
  public static ResourceId parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid(text, "the id is empty");
    }
    String[] parts = text.replaceAll("/{2,}", "/").replaceAll("^/|/$", "").split("/");
    if (parts.length < 2 || !parts[0].equalsIgnoreCase("subscriptions")) {
      throw invalid(text, "an id starts with /subscriptions/{subscriptionId}");
    }
    String subscription = checkSubscription(parts[1]);
    int i = 2;
    String group = null;
    if (i < parts.length && parts[i].equalsIgnoreCase("resourceGroups")) {
      if (i + 1 >= parts.length) {
        throw invalid(text, "resourceGroups needs a name");
      }
      group = checkResourceGroup(parts[i + 1]);
      i += 2;
    }
    if (i == parts.length) {
      return new ResourceId(subscription, group, null, List.of(), List.of());
    }
    if (!parts[i].equalsIgnoreCase("providers") || i + 1 >= parts.length) {
      throw invalid(text, "expected /providers/{namespace}/{type}/{name} after the scope");
    }
    String namespace = parts[i + 1];
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw invalid(text, "'" + namespace + "' is not a resource provider namespace");
    }
    List<String> rest = List.of(parts).subList(i + 2, parts.length);
    if (rest.isEmpty() || rest.size() % 2 != 0) {
      throw invalid(text, "types and names must come in pairs");
    }
    List<String> types = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int k = 0; k < rest.size(); k += 2) {
      if (!TYPE.matcher(rest.get(k)).matches()) {
        throw invalid(text, "'" + rest.get(k) + "' is not a resource type");
      }
      types.add(rest.get(k));
      names.add(checkName(rest.get(k + 1), "name"));
    }
    return new ResourceId(subscription, group, namespace, types, names);
  }

  /** Checks a subscription id is a GUID; a bad one is a 400 {@code InvalidSubscriptionId}. */
  public static String checkSubscription(String id) {
    if (id == null || !Guids.isGuid(id)) {
      throw Problem.invalid("InvalidSubscriptionId", "subscriptionId",
          "The provided subscription identifier '" + id + "' is malformed or invalid.");
    }
    return id.toLowerCase(Locale.ROOT);
  }

  /** Checks a resource group name: 1–90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'. */
  public static String checkResourceGroup(String name) {
    if (name == null || !RESOURCE_GROUP.matcher(name).matches() || name.endsWith(".")) {
      throw Problem.invalid("InvalidResourceGroupName", "resourceGroupName",
          "Resource group name '" + name + "' is invalid. It must be 1-90 letters, digits, '-', '_', '.', '(' or ')', "
              + "and must not end with '.'.");
    }
    return name;
  }

  /** Checks a resource name: 1–260 characters, none of {@code <>%&:\?/*#} or control characters. */
  public static String checkName(String name, String target) {
    if (name == null || !NAME.matcher(name).matches() || name.endsWith(".") || name.endsWith(" ")) {
      throw Problem.invalid("InvalidResourceName", target,
          "The resource name '" + name + "' is invalid. It must be 1-260 characters without <>%&:\\?/*# or control "
              + "characters, and must not end with '.' or a space.");
    }
    return name;
  }

  private static Problem invalid(String text, String why) {
    return Problem.invalid("InvalidResourceId", "resourceId",
        "The resource id '" + text + "' is invalid: " + why + ".");
  }

  public String subscriptionId() {
    return subscriptionId;
  }

  public Optional<String> resourceGroup() {
    return Optional.ofNullable(resourceGroup);
  }

  /** True for {@code /subscriptions/{id}} and {@code /subscriptions/{id}/resourceGroups/{name}}. */
  public boolean isScope() {
    return namespace == null;
  }

  public String namespace() {
    return namespace;
  }

  /** The full type, e.g. {@code Microsoft.AzureStack/registrations/customerSubscriptions}. */
  public String type() {
    if (namespace == null) {
      return resourceGroup == null ? "Microsoft.Resources/subscriptions" : "Microsoft.Resources/resourceGroups";
    }
    return namespace + "/" + String.join("/", types);
  }

  public String name() {
    if (namespace == null) {
      return resourceGroup == null ? subscriptionId : resourceGroup;
    }
    return names.get(names.size() - 1);
  }

  /** The id of the resource group, or of the subscription when the resource is not in a group. */
  public ResourceId scope() {
    return new ResourceId(subscriptionId, resourceGroup, null, List.of(), List.of());
  }

  /** The parent: the enclosing resource for a child type, else the scope. */
  public ResourceId parent() {
    if (namespace == null) {
      return resourceGroup == null ? this : subscription(subscriptionId);
    }
    if (types.size() == 1) {
      return scope();
    }
    return new ResourceId(subscriptionId, resourceGroup, namespace,
        types.subList(0, types.size() - 1), names.subList(0, names.size() - 1));
  }

  /** A child of this resource or scope. */
  public ResourceId child(String childNamespace, String type, String name) {
    if (namespace == null) {
      return new ResourceId(subscriptionId, resourceGroup, childNamespace, List.of(type), List.of(name));
    }
    List<String> t = new ArrayList<>(types);
    List<String> n = new ArrayList<>(names);
    t.add(type);
    n.add(name);
    return new ResourceId(subscriptionId, resourceGroup, namespace, t, n);
  }

  /** The lower-case form under which ids are compared and stored. */
  public String key() {
    return toString().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("/subscriptions/").append(subscriptionId);
    if (resourceGroup != null) {
      b.append("/resourceGroups/").append(resourceGroup);
    }
    if (namespace != null) {
      b.append("/providers/").append(namespace);
      for (int i = 0; i < types.size(); i++) {
        b.append('/').append(types.get(i)).append('/').append(names.get(i));
      }
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceId other && other.key().equals(key());
  }

  @Override
  public int hashCode() {
    return key().hashCode();
  }
}
