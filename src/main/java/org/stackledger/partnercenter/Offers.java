package org.stackledger.partnercenter;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.stackledger.csp.OfferIds;

/** The Azure offers Partner Center knows, by id, with their names. */
final class Offers {
  private static final Map<String, String> NAMES = new LinkedHashMap<>();

  static {
    NAMES.put(OfferIds.CSP, "Microsoft Azure");
    NAMES.put(OfferIds.PARTNER_SHARED_SERVICES, "Azure Partner Shared Services");
    NAMES.put(OfferIds.ENTERPRISE_AGREEMENT, "Enterprise Agreement");
    NAMES.put(OfferIds.PAY_AS_YOU_GO, "Pay-As-You-Go");
    NAMES.put(OfferIds.MSDN, "Visual Studio Professional subscribers (MSDN)");
    NAMES.put(OfferIds.DEVELOPMENT, "Enterprise Dev/Test");
  }

  private Offers() {}

  /** The offer id in its canonical spelling, or empty when the offer is unknown. */
  static Optional<String> canonical(String offerId) {
    if (offerId == null) {
      return Optional.empty();
    }
    return NAMES.keySet().stream().filter(k -> k.equalsIgnoreCase(offerId.trim())).findFirst();
  }

  static String name(String offerId) {
    return offerId == null ? "" : NAMES.getOrDefault(offerId.toUpperCase(Locale.ROOT), offerId);
  }

  static java.util.Set<String> ids() {
    return NAMES.keySet();
  }
}
