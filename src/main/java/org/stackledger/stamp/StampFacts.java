package org.stackledger.stamp;

import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.stackledger.http.Guids;
import org.stackledger.store.Settings;

/**
 * What a deployment is, fixed at its first start and kept in the settings table: later starts keep
 * the stored values, and a start that asks for another value is refused.
 */
public record StampFacts(String cloudId, String region, String externalDomain, IdentitySystem identitySystem) {
  public static final String DEFAULT_REGION = "local";
  public static final String DEFAULT_DOMAIN = "azurestack.external";
  private static final String NAME = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";

  /** A start asks for a value that differs from the one fixed at first start, or an unusable one. */
  public static final class ConflictException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ConflictException(String message) {
      super(message);
    }
  }

  /**
   * The stored facts, storing the asked-for (or default) values on first start.
   *
   * @param cloudId, region, domain, identity what the start asks for, each {@code null} for "keep / default"
   * @param externalIssuer whether the stack endpoints trust an external issuer (the identity system's default: ADFS)
   */
  public static StampFacts resolve(Settings settings, String cloudId, String region, String domain, String identity,
      boolean externalIssuer) {
    if (cloudId != null && !Guids.isGuid(cloudId)) {
      throw new ConflictException("--cloud-id must be a GUID, not '" + cloudId + "'");
    }
    if (region != null && !region.toLowerCase(Locale.ROOT).matches(NAME)) {
      throw new ConflictException("--region must be 1-63 letters, digits or '-', not '" + region + "'");
    }
    if (domain != null && !domain.toLowerCase(Locale.ROOT).matches(NAME + "(\\." + NAME + ")*")) {
      throw new ConflictException("--external-domain must be a DNS name, not '" + domain + "'");
    }
    IdentitySystem asked = identity == null ? null : IdentitySystem.parse(identity).orElseThrow(
        () -> new ConflictException("--identity-system must be AzureAD or ADFS, not '" + identity + "'"));
    String id = fixed(settings, "stampCloudId", "--cloud-id",
        cloudId == null ? null : cloudId.toLowerCase(Locale.ROOT), () -> UUID.randomUUID().toString());
    String r = fixed(settings, "stampRegion", "--region", region == null ? null : region.toLowerCase(Locale.ROOT),
        () -> DEFAULT_REGION);
    String d = fixed(settings, "stampExternalDomain", "--external-domain",
        domain == null ? null : domain.toLowerCase(Locale.ROOT), () -> DEFAULT_DOMAIN);
    String i = fixed(settings, "stampIdentitySystem", "--identity-system", asked == null ? null : asked.name(),
        () -> (externalIssuer ? IdentitySystem.ADFS : IdentitySystem.AzureAD).name());
    return new StampFacts(id, r, d, IdentitySystem.valueOf(i));
  }

  private static String fixed(Settings settings, String name, String flag, String asked, Supplier<String> initial) {
    String stored = settings.getOrCreate(name, asked != null ? () -> asked : initial);
    if (asked != null && !asked.equals(stored)) {
      throw new ConflictException(flag + " " + asked + " conflicts with the deployment's " + flag.substring(2) + " "
          + stored + ", fixed at its first start; drop the flag or give the same value");
    }
    return stored;
  }
}
