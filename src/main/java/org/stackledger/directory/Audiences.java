package org.stackledger.directory;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The resource a token is asked for — {@code scope=<resource>/.default} on v2.0 endpoints,
 * {@code resource=} on v1 — matched against the audiences this process issues (the ARM endpoints'
 * and Partner Center's), trailing slashes and case aside.
 */
final class Audiences {
  private final Supplier<Set<String>> resources;

  Audiences(Supplier<Set<String>> resources) {
    this.resources = resources;
  }

  /** The audience as the endpoint spells it; {@code invalid_scope} or {@code invalid_resource} otherwise. */
  String requested(Map<String, String> form, TokenIssuer.Version version) {
    String resource;
    if (version == TokenIssuer.Version.V1) {
      resource = IdentityRoutes.required(form, "resource");
    } else {
      String scope = IdentityRoutes.required(form, "scope");
      resource = null;
      for (String s : scope.trim().split("\\s+")) {
        if (s.endsWith("/.default")) {
          resource = s.substring(0, s.length() - "/.default".length());
          break;
        }
      }
      if (resource == null) {
        throw OAuthErrors.invalid("invalid_scope", 1002012, "The provided value for scope '" + scope
            + "' is not valid. Ask for '<resource>/.default'.");
      }
    }
    String wanted = resource;
    return resources.get().stream().filter(r -> IdentityRoutes.trim(r).equals(IdentityRoutes.trim(wanted))).findFirst()
        .orElseThrow(() -> OAuthErrors.invalid("invalid_resource", 500011, "The resource principal named '"
            + wanted + "' was not found in the tenant."));
  }

}
