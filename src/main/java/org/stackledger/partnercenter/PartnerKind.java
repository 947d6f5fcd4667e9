package org.stackledger.partnercenter;

/** The kinds of CSP partner. */
public enum PartnerKind {
  /** Invoiced by Microsoft directly; bills its customers itself. */
  Direct,
  /** Holds the billing relationship with Microsoft for its resellers. */
  IndirectProvider,
  /** Sells through an indirect provider, which answers for its customers' subscriptions. */
  IndirectReseller
}
