package org.stackledger.identity;

import java.util.Optional;

/**
 * Decides whether an issuer is trusted by an endpoint and, if so, whose keys verify its tokens and
 * which directory tenant it stands for. The built-in directory answers for its own tenants; an
 * external OIDC issuer (Entra ID, AD FS, Keycloak) answers for itself ({@link OidcIssuer}).
 */
@FunctionalInterface
public interface TrustedIssuers {
  /** How an issuer's tokens name their tenant and principal. */
  enum ClaimRules {
    /** Entra ID and the built-in directory: {@code tid} and {@code oid} are always present, so both are required. */
    ENTRA,
    /**
     * Other OIDC issuers: AD FS and Keycloak send neither {@code tid} nor {@code oid}. A missing
     * {@code tid} means the issuer's own tenant (one is then required), and {@code sub} stands in
     * for a missing {@code oid}.
     */
    OIDC
  }

  /**
   * An issuer the endpoint trusts: the tenant it stands for and the keys that verify it.
   *
   * @param tenantId the directory tenant the issuer stands for; {@code null} (only with
   *                 {@link ClaimRules#OIDC}) when it is not known, so every token must carry {@code tid}
   */
  record Issuer(String tenantId, KeySource keys, ClaimRules rules) {
    public Issuer(String tenantId, KeySource keys) {
      this(tenantId, keys, ClaimRules.ENTRA);
    }
  }

  Optional<Issuer> find(String issuer);

  /** Trusts the issuers of either source, the first one first. */
  default TrustedIssuers or(TrustedIssuers other) {
    return iss -> find(iss).or(() -> other.find(iss));
  }
}
