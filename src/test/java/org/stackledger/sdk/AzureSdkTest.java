package org.stackledger.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelay;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.Region;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.resources.models.GenericResource;
import com.azure.resourcemanager.resources.models.ResourceGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestServer;

/**
 * The official Azure SDK for Java ({@code azure-resourcemanager-resources}) as a real client of our
 * cloud ARM endpoint: HTTPS with the server's own certificate, and the SDK's own bearer-token policy
 * in the pipeline, fed by the Azure Identity library's ClientSecretCredential signing in at our
 * identity endpoint.
 */
@Tag("storage")
class AzureSdkTest {
  private static final String LOCK_API = "2017-04-01";
  /** A request line whose Authorization header carries a JWT (three base64url parts). */
  private static final String JWT_AUTH = "(?s).* auth=Bearer ey[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+";

  /** The SDK asks its credential for a token; counting the calls shows the bearer policy ran. */
  private final AtomicInteger tokenRequests = new AtomicInteger();

  /** What the SDK put on the wire, seen after its own policies (auth included) have run. */
  private final List<String> sent = new CopyOnWriteArrayList<>();

  private ResourceManager sdk(TestServer server, String subscriptionId) throws Exception {
    return sdk(server, subscriptionId, server.app().homeTenantId(), server.admin().clientId(), server.admin().clientSecret());
  }

  private ResourceManager sdk(TestServer server, String subscriptionId, String tenantId, String clientId,
      String clientSecret) throws Exception {
    String base = server.app().url(EndpointRole.CLOUD_ARM);
    SslContext tls = trusting(server.app().certificate());
    HttpClient http = new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
        .secure(spec -> spec.sslContext(tls)))
        .responseTimeout(Duration.ofSeconds(30))
        .build();
    AzureEnvironment environment = new AzureEnvironment(Map.of(
        "resourceManagerEndpointUrl", base,
        "managementEndpointUrl", base,
        "activeDirectoryEndpointUrl", base));
    // The official Azure Identity library signs in at our identity endpoint (no instance discovery:
    // it is not a Microsoft cloud), over the same HTTPS client.
    TokenCredential signIn = new ClientSecretCredentialBuilder()
        .authorityHost(server.app().url(EndpointRole.IDENTITY))
        .tenantId(tenantId)
        .clientId(clientId)
        .clientSecret(clientSecret)
        .disableInstanceDiscovery()
        .httpClient(http)
        .build();
    TokenCredential credential = request -> {
      tokenRequests.incrementAndGet();
      return signIn.getToken(request);
    };
    return ResourceManager.configure()
        .withHttpClient(http)
        .withRetryPolicy(new RetryPolicy(new FixedDelay(1, Duration.ofMillis(50))))
        .withPolicy((context, next) -> {
          HttpRequest request = context.getHttpRequest();
          sent.add(request.getHttpMethod() + " " + request.getUrl() + " auth="
              + request.getHeaders().getValue(HttpHeaderName.AUTHORIZATION));
          return next.process();
        })
        .authenticate(credential, new AzureProfile(tenantId, subscriptionId, environment))
        .withSubscription(subscriptionId);
  }

  private static String base(TestServer server) {
    return server.app().url(EndpointRole.CLOUD_ARM);
  }

  private static SslContext trusting(Path pem) throws Exception {
    try (var in = java.nio.file.Files.newInputStream(pem)) {
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      return SslContextBuilder.forClient().trustManager(cert).build();
    }
  }

  /** The SDK hands a generic resource's properties back as the JSON object it read, a map. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(GenericResource resource) {
    assertThat(resource.properties()).isInstanceOf(Map.class);
    return (Map<String, Object>) resource.properties();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theSdkCreatesReadsListsChecksAndDeletesAResourceGroup(Engine engine) throws Exception {
    try (TestServer server = TestServer.start(engine)) {
      String sub = server.newSubscription();
      ResourceManager rm = sdk(server, sub);

      ResourceGroup created = rm.resourceGroups().define("sdk-rg").withRegion(Region.US_WEST)
          .withTags(Map.of("owner", "sdk")).create();
      assertThat(created.id()).isEqualToIgnoringCase("/subscriptions/" + sub + "/resourceGroups/sdk-rg");
      assertThat(created.provisioningState()).isEqualTo("Succeeded");
      assertThat(tokenRequests.get()).as("the SDK's bearer policy asked the credential").isPositive();
      assertThat(sent).first().asString()
          .startsWith("PUT " + base(server) + "subscriptions/" + sub + "/resourcegroups/sdk-rg?api-version=")
          .matches(JWT_AUTH);

      ResourceGroup read = rm.resourceGroups().getByName("SDK-RG");
      assertThat(read.name()).isEqualTo("sdk-rg");
      assertThat(read.regionName()).isEqualTo("westus");
      assertThat(read.tags()).containsEntry("owner", "sdk");

      rm.resourceGroups().define("sdk-rg-2").withRegion(Region.US_EAST).create();
      assertThat(rm.resourceGroups().list().stream().map(ResourceGroup::name))
          .containsExactlyInAnyOrder("sdk-rg", "sdk-rg-2");

      assertThat(rm.resourceGroups().contain("sdk-rg")).isTrue();
      assertThat(rm.resourceGroups().contain("no-such-rg")).isFalse();
      assertThat(rm.serviceClient().getResourceGroups().checkExistence("sdk-rg")).isTrue();

      rm.resourceGroups().deleteByName("sdk-rg");

      assertThat(rm.resourceGroups().contain("sdk-rg")).isFalse();
      // Deleting it again is Azure's 404 ResourceGroupNotFound; the published ResourceGroups_Delete lists
      // 200 and 202 only, so the 204 of our other DELETEs would reach the caller as a bare status error.
      ManagementException again = catchThrowableOfType(ManagementException.class,
          () -> rm.resourceGroups().deleteByName("sdk-rg"));
      assertThat(again.getResponse().getStatusCode()).isEqualTo(404);
      assertThat(again.getValue().getCode()).isEqualTo("ResourceGroupNotFound");
      ManagementException gone = catchThrowableOfType(ManagementException.class,
          () -> rm.resourceGroups().getByName("sdk-rg"));
      assertThat(gone.getResponse().getStatusCode()).isEqualTo(404);
      assertThat(gone.getValue().getCode()).isEqualTo("ResourceGroupNotFound");
      assertThat(rm.resourceGroups().list().stream().map(ResourceGroup::name)).containsExactly("sdk-rg-2");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theSdkCreatesReadsListsAndDeletesALockAsAGenericResource(Engine engine) throws Exception {
    try (TestServer server = TestServer.start(engine)) {
      String sub = server.newSubscription();
      ResourceManager rm = sdk(server, sub);
      rm.resourceGroups().define("locked-rg").withRegion(Region.US_EAST).create();

      GenericResource lock = rm.genericResources().define("keep")
          .withRegion(Region.US_EAST)
          .withExistingResourceGroup("locked-rg")
          .withResourceType("locks")
          .withProviderNamespace("Microsoft.Authorization")
          .withoutPlan()
          .withApiVersion(LOCK_API)
          .withProperties(Map.of("level", "CanNotDelete", "notes", "registration lives here"))
          .create();
      String id = "/subscriptions/" + sub + "/resourceGroups/locked-rg/providers/Microsoft.Authorization/locks/keep";
      assertThat(lock.id()).isEqualToIgnoringCase(id);
      assertThat(properties(lock)).containsEntry("level", "CanNotDelete");

      GenericResource read = rm.genericResources().getById(id, LOCK_API);
      assertThat(read.name()).isEqualTo("keep");
      assertThat(read.resourceProviderNamespace()).isEqualTo("Microsoft.Authorization");
      assertThat(read.resourceType()).isEqualTo("locks");
      assertThat(properties(read))
          .containsEntry("level", "CanNotDelete")
          .containsEntry("notes", "registration lives here");

      // Without an api-version the SDK looks it up in the provider's registration document.
      assertThat(rm.genericResources().getById(id).id()).isEqualToIgnoringCase(id);

      List<GenericResource> inGroup = rm.genericResources().listByResourceGroup("locked-rg").stream().toList();
      assertThat(inGroup).extracting(GenericResource::id).anySatisfy(i -> assertThat(i).isEqualToIgnoringCase(id));
      assertThat(rm.genericResources().checkExistenceById(id, LOCK_API)).isTrue();

      // The lock does its job: the SDK sees ARM's error when it tries to delete the group.
      ManagementException refused = catchThrowableOfType(ManagementException.class,
          () -> rm.resourceGroups().deleteByName("locked-rg"));
      assertThat(refused.getResponse().getStatusCode()).isEqualTo(409);
      assertThat(refused.getValue().getCode()).isEqualTo("ScopeLocked");

      // Every lock call carried the bearer token; the version-less getById took the newest
      // api-version our provider document lists. (The SDK's PUT path reads
      // ".../Microsoft.Authorization//locks/keep" and its GETs start with "//subscriptions": the
      // server must fold repeated slashes anywhere in the path.)
      assertThat(sent).filteredOn(line -> line.contains("/locks/keep?"))
          .allSatisfy(line -> assertThat(line).matches(JWT_AUTH))
          .extracting(line -> line.replaceAll(".*[?&]api-version=([^& ]*).*", "$1"))
          .containsExactly(LOCK_API, LOCK_API, "2020-05-01", LOCK_API);

      rm.genericResources().deleteById(id, LOCK_API);

      ManagementException gone = catchThrowableOfType(ManagementException.class,
          () -> rm.genericResources().getById(id, LOCK_API));
      assertThat(gone.getResponse().getStatusCode()).isEqualTo(404);
      assertThat(gone.getValue().getCode()).isEqualTo("LockNotFound");
      assertThat(rm.genericResources().checkExistenceById(id, LOCK_API)).isFalse();
      assertThat(rm.genericResources().listByResourceGroup("locked-rg").stream()).isEmpty();

      rm.resourceGroups().deleteByName("locked-rg");
      assertThat(rm.resourceGroups().contain("locked-rg")).isFalse();
    }
  }

  /**
   * The seed doc's {@code New-AzureRmResource -ResourceId "subscriptions/{registrationSubscriptionId}/
   * resourceGroups/{resourceGroup}/providers/Microsoft.AzureStack/registrations/{registrationName}/
   * customerSubscriptions/{customerSubscriptionId}" -ApiVersion 2017-06-01}: the SDK's generic PUT by
   * id, signed in with azure-identity as the partner's own principal.
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void theSdkAddsListsAndRemovesACustomerSubscriptionAtTheSeedsResourceId(Engine engine) throws Exception {
    var partnerCenter = new org.stackledger.testing.FakePartnerCenter();
    try (TestServer server = TestServer.start(engine, o -> o.withCspSubscriptions(partnerCenter))) {
      TestServer.TestTenant partner = server.newTenant("csp-sdk.onmicrosoft.local");
      TestServer.TestTenant customer = server.newTenant("customer-sdk.onmicrosoft.local");
      partnerCenter.csp(partner.subscriptionId(), partner.tenantId(), "partner-1");
      partnerCenter.csp(customer.subscriptionId(), customer.tenantId(), "partner-1");
      ResourceManager rm = sdk(server, partner.subscriptionId(), partner.tenantId(), partner.clientId(),
          partner.clientSecret());
      rm.providers().register("Microsoft.AzureStack");
      rm.resourceGroups().define("azurestack").withRegion("westcentralus").create();
      String registration = "/subscriptions/" + partner.subscriptionId()
          + "/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/AzureStackRegistration";
      var resources = rm.genericResources().manager().serviceClient().getResources();
      String token = new org.stackledger.registration.RegistrationToken(java.util.UUID.randomUUID().toString(),
          org.stackledger.registration.BillingModel.PayAsYouUse, true, true, null, null).encode();
      resources.createOrUpdateById(registration, "2017-06-01", new com.azure.resourcemanager.resources.fluent.models
          .GenericResourceInner().withLocation("global").withProperties(Map.of("registrationToken", token)));
      assertThat(server.client().post(registration + "/approveMultiTenancy?api-version=2017-06-01", null).status())
          .isEqualTo(200);

      String id = registration + "/customerSubscriptions/" + customer.subscriptionId();
      var created = resources.createOrUpdateById(id, "2017-06-01",
          new com.azure.resourcemanager.resources.fluent.models.GenericResourceInner().withProperties(Map.of()));
      assertThat(created.id()).isEqualTo(id);
      assertThat(created.type()).isEqualTo("Microsoft.AzureStack/registrations/customerSubscriptions");
      @SuppressWarnings("unchecked")
      Map<String, Object> props = (Map<String, Object>) created.properties();
      assertThat(props).containsEntry("tenantId", customer.tenantId());
      GenericResource read = rm.genericResources().getById(id, "2017-06-01");
      assertThat(read.name()).isEqualTo(customer.subscriptionId());
      assertThat(sent).filteredOn(line -> line.startsWith("PUT ") && line.contains("/customerSubscriptions/"))
          .singleElement().asString().contains("api-version=2017-06-01").matches(JWT_AUTH);

      rm.genericResources().deleteById(id, "2017-06-01");
      ManagementException gone = catchThrowableOfType(ManagementException.class,
          () -> rm.genericResources().getById(id, "2017-06-01"));
      assertThat(gone.getResponse().getStatusCode()).isEqualTo(404);
      assertThat(gone.getValue().getCode()).isEqualTo("CustomerSubscriptionNotFound");
    }
  }

  /**
   * The seed document end to end, as a CSP drives it, with every part real: the operator makes a
   * partner and its shared-services subscription; the partner makes a customer and orders its CSP
   * subscription in Partner Center; signs in with azure-identity; registers the deployment from its
   * token; the operator approves multi-tenancy; the partner adds the customer subscription with the
   * SDK's generic PUT at the seed's resource id (api-version 2017-06-01); lists; replaces; removes —
   * and the mapping history, which billing reads, shows each step.
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void theSeedWalkthroughRunsEndToEndAgainstPartnerCenter(Engine engine) throws Exception {
    try (TestServer server = TestServer.start(engine)) {
      org.stackledger.testing.TestPartner csp = org.stackledger.testing.TestPartner.create(server, "Direct", null);
      String registrationSubscription = java.util.UUID.randomUUID().toString();
      var shared = server.client().put(org.stackledger.testing.TestPartner.BASE + "/subscriptions/" + registrationSubscription
          + org.stackledger.testing.TestPartner.API, "{\"properties\":{\"offerId\":\"MS-AZR-0145P-SS\",\"tenantId\":\""
          + csp.tenantId() + "\",\"partnerId\":\"" + csp.partnerId() + "\",\"ownerObjectId\":\"" + csp.objectId()
          + "\",\"displayName\":\"CSP shared services\"}}");
      assertThat(shared.status()).as(shared.body()).isEqualTo(201);

      var customer = csp.newCustomer("Fabrikam");
      assertThat(customer.status()).as(customer.body()).isEqualTo(201);
      String customerTenant = customer.json().path("companyProfile").path("tenantId").asText();
      assertThat(customer.json().path("id").asText()).isEqualTo(customerTenant);
      String first = csp.orderCsp(customerTenant, "Fabrikam on Azure Stack").json().path("lineItems").get(0)
          .path("subscriptionId").asText();
      String second = csp.orderCsp(customerTenant, "Fabrikam, second").json().path("lineItems").get(0)
          .path("subscriptionId").asText();
      assertThat(first).isNotBlank().isNotEqualTo(second);

      ResourceManager rm = sdk(server, registrationSubscription, csp.tenantId(), csp.clientId(), csp.clientSecret());
      rm.providers().register("Microsoft.AzureStack");
      rm.resourceGroups().define("azurestack").withRegion("westcentralus").create();
      String registration = "/subscriptions/" + registrationSubscription
          + "/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/AzureStackRegistration";
      var resources = rm.genericResources().manager().serviceClient().getResources();
      String cloudId = java.util.UUID.randomUUID().toString();
      String token = new org.stackledger.registration.RegistrationToken(cloudId,
          org.stackledger.registration.BillingModel.PayAsYouUse, true, true, null, null).encode();
      var registered = resources.createOrUpdateById(registration, "2017-06-01", new com.azure.resourcemanager.resources
          .fluent.models.GenericResourceInner().withLocation("global").withProperties(Map.of("registrationToken", token)));
      @SuppressWarnings("unchecked")
      Map<String, Object> registrationProperties = (Map<String, Object>) registered.properties();
      assertThat(registrationProperties).containsEntry("cloudId", cloudId).containsEntry("billingModel", "PayAsYouUse")
          .containsKey("objectId");

      String firstId = registration + "/customerSubscriptions/" + first;
      ManagementException notApproved = catchThrowableOfType(ManagementException.class, () ->
          resources.createOrUpdateById(firstId, "2017-06-01", new com.azure.resourcemanager.resources.fluent.models
              .GenericResourceInner().withProperties(Map.of())));
      assertThat(notApproved.getValue().getCode()).isEqualTo("UnauthorizedCspRegistration");
      assertThat(server.client().post(registration + "/approveMultiTenancy?api-version=2017-06-01", null).status())
          .isEqualTo(200);

      var added = resources.createOrUpdateById(firstId, "2017-06-01",
          new com.azure.resourcemanager.resources.fluent.models.GenericResourceInner().withProperties(Map.of()));
      @SuppressWarnings("unchecked")
      Map<String, Object> addedProperties = (Map<String, Object>) added.properties();
      assertThat(addedProperties).as("the tenant comes from Partner Center").containsEntry("tenantId", customerTenant);
      var armClient = csp.arm(csp.tenantId());
      String list = registration + "/customerSubscriptions?api-version=2017-06-01";
      assertThat(armClient.get(list).json().path("value").findValuesAsText("name")).containsExactly(first);

      resources.createOrUpdateById(registration + "/customerSubscriptions/" + second, "2017-06-01",
          new com.azure.resourcemanager.resources.fluent.models.GenericResourceInner()
              .withProperties(Map.of("tenantId", customerTenant)));
      assertThat(armClient.get(list).json().path("value").findValuesAsText("name"))
          .as("one subscription per tenant: the second replaced the first").containsExactly(second);

      rm.genericResources().deleteById(registration + "/customerSubscriptions/" + second, "2017-06-01");
      assertThat(armClient.get(list).json().path("value")).isEmpty();

      var history = armClient.get(registration + "/customerSubscriptionHistory?api-version=2017-06-01&tenantId="
          + customerTenant).json().path("value");
      assertThat(history).hasSize(2);
      var was = history.get(0);
      var then = history.get(1);
      assertThat(was.toString()).contains(first).contains("Replaced");
      assertThat(then.toString()).contains(second).contains("Removed");
      assertThat(was.path("effectiveTo").asText()).as("the replacement began as the first mapping ended")
          .isEqualTo(then.path("effectiveFrom").asText());
      var store = server.app().azureStack().store();
      java.time.Instant during = java.time.Instant.parse(was.path("effectiveFrom").asText());
      java.time.Instant after = java.time.Instant.parse(then.path("effectiveTo").asText());
      assertThat(store.billedSubscription(cloudId, customerTenant, during)).contains(first);
      assertThat(store.billedSubscription(cloudId, customerTenant, after)).as("no mapping: the registration pays")
          .contains(registrationSubscription);
    }
  }
}
