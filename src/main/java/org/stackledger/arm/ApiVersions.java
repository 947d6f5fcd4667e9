package org.stackledger.arm;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.stackledger.http.Exchange;
import org.stackledger.problem.Problem;

/**
 * The api-versions one resource type accepts. Resource Manager requires {@code api-version} on every
 * call and checks it per resource type; so do we.
 */
public final class ApiVersions {
  private final String resourceType;
  private final Set<String> versions;

  private ApiVersions(String resourceType, Set<String> versions) {
    this.resourceType = resourceType;
    this.versions = Collections.unmodifiableSet(new TreeSet<>(versions));
  }

  public static ApiVersions of(String resourceType, String... versions) {
    return new ApiVersions(resourceType, Set.of(versions));
  }

  public String resourceType() {
    return resourceType;
  }

  /** The supported versions, oldest first. */
  public List<String> list() {
    return List.copyOf(versions);
  }

  public String newest() {
    return ((TreeSet<String>) new TreeSet<>(versions)).last();
  }

  /** Returns the request's api-version, or throws the 400 Resource Manager would. */
  public String require(Exchange exchange) {
    String version = exchange.query("api-version").orElse("");
    if (version.isBlank()) {
      throw Problem.invalid("MissingApiVersionParameter", "api-version",
          "The api-version query parameter (?api-version=) is required for all requests.");
    }
    if (!versions.contains(version)) {
      throw Problem.invalid("InvalidApiVersionParameter", "api-version",
          "The api-version '" + version + "' is invalid for resource type '" + resourceType
              + "'. The supported versions are '" + String.join(",", versions) + "'.");
    }
    return version;
  }
}
