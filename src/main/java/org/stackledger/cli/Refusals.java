package org.stackledger.cli;

/**
 * What to do after the server refused a sign-in (401) or an action (403), said in terms of the
 * endpoint's role and the profile that was used: the server's own message ("The access token is
 * from an issuer this endpoint does not trust") names the cause, not the remedy.
 */
final class Refusals {
  private Refusals() {}

  /** One line of advice; {@code used} is null when the token came from the environment. */
  static String hint(int status, String endpointKey, Profile used) {
    String who = used != null ? "profile '" + used.name() + "' (" + used.describe() + ")"
        : endpointKey.equals("partnerCenter") ? "the token in $STACKLEDGER_PC_TOKEN" : "the token in $STACKLEDGER_TOKEN";
    String other = " or run it with --as PROFILE (profiles: 'stackledger account list')";
    return switch (endpointKey) {
      case "stackAdminArm" -> "this is the deployment's admin endpoint; it takes the operator of this deployment. "
          + "You used " + who + ". Sign in as the operator (stackledger login --service-principal -u ADMIN_CLIENT_ID "
          + "-p SECRET --profile operator)" + other + ".";
      case "stackTenantArm" -> "this is the deployment's tenant endpoint; it takes a user or service principal of a "
          + "directory onboarded on the deployment, with a role on the subscription. You used " + who + "."
          + " Sign in as that tenant (stackledger login -u USER@DOMAIN --tenant TENANT --profile NAME)" + other + ".";
      case "partnerCenter" -> "this is Partner Center; it takes a partner's admin (the service principal 'stackledger "
          + "partner create' printed) for partner verbs. You used " + who + ". Sign in as the partner "
          + "(stackledger login --service-principal -u ADMIN_CLIENT_ID -p SECRET --tenant PARTNER_DOMAIN --profile "
          + "partner)" + other + ".";
      default -> (status == 401 ? "the cloud did not accept the sign-in of " + who + "; sign in again (stackledger login)"
          : who + " has no role at this scope that allows it; ask an Owner of the scope for one (stackledger role "
              + "assignment create), sign in as a principal that has one,") + other + ".";
    };
  }
}
