package org.stackledger.directory;

import java.util.Optional;

/**
 * A user or a service principal of one directory tenant. Service principals have an application
 * (client) id; users a user principal name.
 */
public record Principal(String objectId, String tenantId, Kind kind, Optional<String> appId, Optional<String> upn,
    String displayName, boolean enabled) {
  /** What a principal is; the names are those of role assignments' {@code principalType}. */
  public enum Kind { User, ServicePrincipal }
}
