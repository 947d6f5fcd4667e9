package org.stackledger.registration;

import java.util.Optional;

/** How a deployment is licensed, as its registration token says. */
public enum BillingModel {
  /** Connected, metered: usage is reported and billed; the only model that accepts customer subscriptions. */
  PayAsYouUse,
  /** Yearly capacity licence (EA), usually disconnected; needs an agreement number. */
  Capacity,
  /** Development kit (ASDK) and test deployments. */
  Development;

  /** The model named case-insensitively, or empty. */
  public static Optional<BillingModel> parse(String text) {
    for (BillingModel m : values()) {
      if (m.name().equalsIgnoreCase(text)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
