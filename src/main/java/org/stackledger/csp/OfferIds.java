package org.stackledger.csp;

/** The Azure offer ids Partner Center sells subscriptions under. */
public final class OfferIds {
  /** Microsoft Azure in the Cloud Solution Provider program. */
  public static final String CSP = "MS-AZR-0145P";
  /** Azure Partner Shared Services (formerly CSP shared services), for a partner's own use. */
  public static final String PARTNER_SHARED_SERVICES = "MS-AZR-0145P-SS";
  /** Enterprise Agreement. */
  public static final String ENTERPRISE_AGREEMENT = "MS-AZR-0017P";
  /** Pay-As-You-Go. */
  public static final String PAY_AS_YOU_GO = "MS-AZR-0003P";
  /** Visual Studio (MSDN) subscriber. */
  public static final String MSDN = "MS-AZR-0062P";
  /** Enterprise Dev/Test. */
  public static final String DEVELOPMENT = "MS-AZR-0148P";

  private OfferIds() {}
}
