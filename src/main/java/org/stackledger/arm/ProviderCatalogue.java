package org.stackledger.arm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The resource providers an ARM endpoint offers and, for each, its resource types with their
 * api-versions and locations: what {@code GET /subscriptions/{id}/providers/{namespace}} shows and
 * what {@code register} accepts. Features add their types at wiring time.
 */
public final class ProviderCatalogue {
  /** One resource type of a provider. */
  public record ResourceType(String name, ApiVersions apiVersions, List<String> locations) {}

  /** One provider namespace and its types. */
  public record Provider(String namespace, List<ResourceType> resourceTypes) {}

  private final Map<String, Provider> providers = new ConcurrentSkipListMap<>();

  /** Adds a type; {@code typeName} is the part after the namespace, e.g. {@code registrations/customerSubscriptions}. */
  public ProviderCatalogue add(String namespace, String typeName, ApiVersions versions, List<String> locations) {
    providers.compute(namespace.toLowerCase(Locale.ROOT), (k, existing) -> {
      List<ResourceType> types = existing == null ? new ArrayList<>() : new ArrayList<>(existing.resourceTypes());
      types.add(new ResourceType(typeName, versions, List.copyOf(locations)));
      return new Provider(existing == null ? namespace : existing.namespace(), List.copyOf(types));
    });
    return this;
  }

  public Optional<Provider> find(String namespace) {
    return Optional.ofNullable(providers.get(namespace.toLowerCase(Locale.ROOT)));
  }

  public Collection<Provider> all() {
    return providers.values();
  }
}
