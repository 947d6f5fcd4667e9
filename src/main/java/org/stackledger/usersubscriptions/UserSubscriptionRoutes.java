package org.stackledger.usersubscriptions;

import org.stackledger.arm.ApiVersions;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;

/**
 * {@code GET /subscriptions} on a stack ARM endpoint: the caller's user subscriptions on the
 * deployment. Always {@code {"value":[]}} until user subscriptions exist; it is here now so that a
 * caller can prove its token is accepted by the deployment's identity system.
 */
public final class UserSubscriptionRoutes {
  /**
   * Azure Stack's {@code Microsoft.Subscriptions} version, the one its PowerShell modules send, and
   * the public cloud's subscription versions, which the hybrid profiles and SDKs send.
   */
  static final ApiVersions VERSIONS = ApiVersions.of("Microsoft.Subscriptions/subscriptions", "2015-11-01",
      "2014-04-01", "2015-01-01", "2016-01-01", "2016-06-01", "2018-06-01", "2019-06-01", "2019-11-01",
      "2020-01-01", "2021-01-01", "2022-01-01", "2022-12-01");

  private UserSubscriptionRoutes() {}

  public static void register(Router router) {
    router.get("/subscriptions", ex -> {
      VERSIONS.require(ex);
      var out = Json.object();
      out.putArray("value");
      return Reply.json(200, out);
    });
  }
}
