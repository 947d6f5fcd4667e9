package org.stackledger.registration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.stackledger.testing.FakePartnerCenter;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The seed walkthrough's steps as test helpers: a CSP partner tenant whose CSP subscription
 * registers a deployment (provider registered, group {@code azurestack}, registration PUT with a
 * token), the operator's multi-tenancy approval, and customers with CSP subscriptions of their own.
 */
public final class Seed {
  public static final String API = "api-version=2017-06-01";

  /** A partner's registration: its tenant (an Owner of the registration subscription), ids and paths. */
  public record Registration(TestServer.TestTenant partner, String partnerId, String cloudId, String name, String path) {
    public String subscriptionId() {
      return partner.subscriptionId();
    }

    public TestClient client() {
      return partner.client();
    }

    public String url() {
      return path + "?" + API;
    }

    public String customerSubscription(String id) {
      return path + "/customerSubscriptions/" + id + "?" + API;
    }

    public String customerSubscriptions() {
      return path + "/customerSubscriptions?" + API;
    }

    public String history(String query) {
      return path + "/customerSubscriptionHistory?" + API + (query.isEmpty() ? "" : "&" + query);
    }
  }

  private Seed() {}

  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local";
  }

  public static String token(String cloudId, BillingModel model, boolean usageReporting, String agreementNumber) {
    return new RegistrationToken(cloudId, model, usageReporting, true, agreementNumber, null).encode();
  }

  public static String body(String token) {
    return "{\"location\":\"global\",\"properties\":{\"registrationToken\":\"" + token + "\"}}";
  }

  /** A partner tenant and subscription, known to Partner Center, with Microsoft.AzureStack registered and the group made. */
  public static TestServer.TestTenant partner(TestServer server, FakePartnerCenter partnerCenter, String partnerId) {
    TestServer.TestTenant t = server.newTenant(unique("csp"));
    partnerCenter.csp(t.subscriptionId(), t.tenantId(), partnerId);
    String sub = "/subscriptions/" + t.subscriptionId();
    assertThat(t.client().post(sub + "/providers/Microsoft.AzureStack/register?api-version=2025-04-01", null).status())
        .isEqualTo(200);
    assertThat(t.client().put(sub + "/resourceGroups/azurestack?api-version=2025-04-01", "{\"location\":\"westcentralus\"}")
        .status()).isEqualTo(201);
    return t;
  }

  /** A PayAsYouUse registration, approved for multi-tenancy when asked. */
  public static Registration registered(TestServer server, FakePartnerCenter partnerCenter, boolean approved) {
    return registered(server, partnerCenter, BillingModel.PayAsYouUse, approved);
  }

  public static Registration registered(TestServer server, FakePartnerCenter partnerCenter, BillingModel model, boolean approved) {
    String partnerId = UUID.randomUUID().toString();
    TestServer.TestTenant t = partner(server, partnerCenter, partnerId);
    String cloudId = UUID.randomUUID().toString();
    String path = "/subscriptions/" + t.subscriptionId()
        + "/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/AzureStackRegistration";
    TestClient.Response put = t.client().put(path + "?" + API,
        body(token(cloudId, model, true, model == BillingModel.Capacity ? "EA-1234" : null)));
    assertThat(put.status()).as(put.body()).isEqualTo(201);
    Registration r = new Registration(t, partnerId, cloudId, "AzureStackRegistration", path);
    if (approved) {
      TestClient.Response approve = server.client().post(path + "/approveMultiTenancy?" + API, null);
      assertThat(approve.status()).as(approve.body()).isEqualTo(200);
    }
    return r;
  }

  /** A customer tenant with a CSP subscription of the given partner. */
  public static TestServer.TestTenant customer(TestServer server, FakePartnerCenter partnerCenter, String partnerId) {
    TestServer.TestTenant c = server.newTenant(unique("customer"));
    partnerCenter.csp(c.subscriptionId(), c.tenantId(), partnerId);
    return c;
  }
}
