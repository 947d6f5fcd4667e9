package org.stackledger.identity;

import java.util.Optional;

/**
 * Decides whether an issuer is trusted by an endpoint and, if so, whose keys verify its tokens and
 * which directory tenant it stands for. The built-in directory answers for its own tenants; an
 * external OIDC issuer (Entra ID, AD FS, Keycloak) answers for itself.
 */
@FunctionalInterface
public interface TrustedIssuers {
  /** An issuer the endpoint trusts: the tenant it stands for and the keys that verify it. */
  record Issuer(String tenantId, KeySource keys) {}

  Optional<Issuer> find(String issuer);

  /** Trusts the issuers of either source, the first one first. */
  default TrustedIssuers or(TrustedIssuers other) {
    return iss -> find(iss).or(() -> other.find(iss));
  }
}
