package org.stackledger.commerce;

/**
 * What a deployment's billing model (spec §4.5) means for its records: PayAsYouUse is rated with the
 * price sheet; Development is reported at price zero (lines of zero amount); Capacity reports only for
 * product improvement and is never billed (its records are kept but land on no invoice).
 */
enum BillingModel {
  PayAsYouUse, Development, Capacity;

  static BillingModel of(String text) {
    for (BillingModel m : values()) {
      if (m.name().equalsIgnoreCase(text)) {
        return m;
      }
    }
    // A registration always holds one of the three (the provider validates its token); an unknown
    // value would be a newer model this version does not know: bill nothing rather than guess.
    return Capacity;
  }

  boolean billed() {
    return this != Capacity;
  }

  boolean priced() {
    return this == PayAsYouUse;
  }
}
