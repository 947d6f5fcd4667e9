package org.stackledger.stamp;

import java.util.Optional;

/** The identity system a deployment was installed with. */
public enum IdentitySystem {
  AzureAD,
  ADFS;

  public static Optional<IdentitySystem> parse(String text) {
    for (IdentitySystem s : values()) {
      if (s.name().equalsIgnoreCase(text)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
