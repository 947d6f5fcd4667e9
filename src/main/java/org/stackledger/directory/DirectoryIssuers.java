package org.stackledger.directory;

import java.util.Optional;
import java.util.function.Supplier;
import org.stackledger.http.Guids;
import org.stackledger.identity.TrustedIssuers;

/**
 * The issuers the built-in directory vouches for: {@code {identity}/{tenantId}/} and
 * {@code {identity}/{tenantId}/v2.0} for each of its tenants, verified with its signing keys.
 */
public final class DirectoryIssuers implements TrustedIssuers {
  private final Directory directory;
  private final SigningKeys keys;
  private final Supplier<String> identityUrl;

  public DirectoryIssuers(Directory directory, SigningKeys keys, Supplier<String> identityUrl) {
    this.directory = directory;
    this.keys = keys;
    this.identityUrl = identityUrl;
  }

  @Override
  public Optional<Issuer> find(String issuer) {
    String base = identityUrl.get();
    if (issuer == null || !issuer.startsWith(base)) {
      return Optional.empty();
    }
    String rest = issuer.substring(base.length());
    String tenantId;
    if (rest.endsWith("/v2.0")) {
      tenantId = rest.substring(0, rest.length() - "/v2.0".length());
    } else if (rest.endsWith("/")) {
      tenantId = rest.substring(0, rest.length() - 1);
    } else {
      return Optional.empty();
    }
    if (!Guids.isGuid(tenantId) || !tenantId.equals(tenantId.toLowerCase(java.util.Locale.ROOT))) {
      return Optional.empty();
    }
    return directory.tenant(tenantId).map(t -> new Issuer(t.tenantId(), keys));
  }
}
