package org.stackledger.app;

/**
 * The hosts of the original system, each served here on its own port so that their overlapping
 * paths ({@code /subscriptions/...} on both the cloud and the stack ARM endpoints) never meet and any
 * SDK can take each one as a base URL. The key is the one in {@code endpoints.json}.
 */
public enum EndpointRole {
  CLOUD_ARM("cloudArm", 0),
  IDENTITY("identity", 1),
  PARTNER_CENTER("partnerCenter", 2),
  STACK_ADMIN_ARM("stackAdminArm", 3),
  STACK_TENANT_ARM("stackTenantArm", 4),
  /** The web console (Azure Stack's admin and user portals): HTML pages, not an API. */
  CONSOLE("console", 5);

  private final String key;
  private final int portOffset;

  EndpointRole(String key, int portOffset) {
    this.key = key;
    this.portOffset = portOffset;
  }

  public String key() {
    return key;
  }

  int port(int basePort) {
    return basePort == 0 ? 0 : basePort + portOffset;
  }
}
