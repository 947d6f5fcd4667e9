package org.stackledger.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.stackledger.app.EndpointRole;

/**
 * The registration steps over HTTPS, as an operator and a CSP take them: the deployment makes a
 * registration token, a CSP tenant registers it in the cloud (provider, group {@code azurestack},
 * registration PUT) and gets the activation key, and the deployment is activated with it.
 */
public record RegisteredDeployment(TestServer.TestTenant csp, String registration, JsonNode properties) {
  public static final String BRIDGE_API = "?api-version=2016-01-01";
  public static final String API = "?api-version=2017-06-01";

  /** The registration's bridge service principal ({@code properties.objectId}). */
  public String objectId() {
    return properties.path("objectId").asText();
  }

  /** A registration token of the deployment, made by its admin API. */
  public static String token(TestServer server, String billingModel) throws Exception {
    TestClient.Response r = server.client(EndpointRole.STACK_ADMIN_ARM).post("/providers/Microsoft.AzureBridge.Admin/"
        + "registrationToken" + BRIDGE_API, "{\"billingModel\":\"" + billingModel + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().path("registrationToken").asText();
  }

  /** Registers the deployment's own PayAsYouUse token and activates it. */
  public static RegisteredDeployment register(TestServer server) throws Exception {
    return register(server, token(server, "PayAsYouUse"));
  }

  /** Registers {@code token} in a new CSP tenant's subscription and activates the deployment with its key. */
  public static RegisteredDeployment register(TestServer server, String token) throws Exception {
    TestServer.TestTenant csp = server.newTenant("csp-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
    TestClient cloud = csp.client();
    String sub = "/subscriptions/" + csp.subscriptionId();
    assertThat(cloud.post(sub + "/providers/Microsoft.AzureStack/register?api-version=2025-04-01", null).status())
        .isEqualTo(200);
    assertThat(cloud.put(sub + "/resourceGroups/azurestack?api-version=2025-04-01", "{\"location\":\"westcentralus\"}")
        .status()).isEqualTo(201);
    String registration = sub + "/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/AzureStackRegistration";
    TestClient.Response put = cloud.put(registration + API,
        "{\"location\":\"global\",\"properties\":{\"registrationToken\":\"" + token + "\"}}");
    assertThat(put.status()).as(put.body()).isEqualTo(201);
    String key = cloud.post(registration + "/getactivationkey" + API, null).json().path("activationKey").asText();
    TestClient.Response activated = server.client(EndpointRole.STACK_ADMIN_ARM).put("/subscriptions/"
        + server.app().operatorSubscriptionId() + "/resourceGroups/azurestack-activation"
        + "/providers/Microsoft.AzureBridge.Admin/activations/default" + BRIDGE_API,
        "{\"properties\":{\"activationKey\":\"" + key + "\"}}");
    assertThat(activated.status()).as(activated.body()).isIn(200, 201);
    return new RegisteredDeployment(csp, registration, put.json().path("properties"));
  }
}
