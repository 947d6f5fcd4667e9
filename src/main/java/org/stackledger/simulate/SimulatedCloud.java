package org.stackledger.simulate;

import org.stackledger.access.RoleDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.csp.OfferIds;
import org.stackledger.http.Json;
import org.stackledger.registration.BillingModel;

/**
 * The CSP world of the seed document, made the way its actors make it: a direct CSP partner with its
 * own directory tenant and a shared-services subscription (the partner's own CSP subscription) that
 * registers a deployment; customers with their own directories and CSP subscriptions bought through
 * Partner Center, so the partner is Owner of them (admin on behalf of); the deployment's registration
 * from its registration token, the operator's multi-tenancy approval, the activation key and the
 * deployment's activation; each customer's directory onboarded onto the deployment as a guest, with an
 * owner user and a user subscription from a public offer. Then the partner's customerSubscriptions
 * verbs: {@link #map}, {@link #unmap}, {@link #anotherSubscription}.
 *
 * <p>Every step is an HTTPS call as the actor who takes it: the cloud operator at the cloud ARM endpoint
 * (partners, the shared-services subscription, users, multi-tenancy approval — the consoles Partner
 * Center and Entra ID have, as our operator APIs), the partner with its admin agent's credentials at the
 * cloud ARM and Partner Center endpoints, the deployment's operator at the stack admin endpoint. Each
 * plane is a {@link Plane} (URLs, CA, operator credentials), so the deployment may be this process's
 * stack plane or another process's ({@code serve --cloud}). Tokens are renewed as the given clock moves.
 */
public final class SimulatedCloud {
  static final String REGISTRATION_API = "?api-version=2017-06-01";
  private static final String OPERATOR_API = "?api-version=2026-11-01";
  private static final String BRIDGE_API = "?api-version=2016-01-01";
  private static final String PARTNERS = "/providers/Stackledger.PartnerCenter";
  private static final String IDENTITY = "/providers/Stackledger.Identity";
  private static final String BRIDGE = "/providers/Microsoft.AzureBridge.Admin";

  /**
   * One process's endpoints, as its {@code endpoints.json} gives them, and its operator's sign-in.
   *
   * @param ca certificates to trust for its TLS, or {@code null} for the JDK's
   */
  public record Plane(Map<EndpointRole, String> urls, String homeTenantId, String operatorSubscriptionId, Path ca,
      ServerOptions.AdminCredentials operator) {
    public Plane {
      urls = Map.copyOf(urls);
    }

    /** A server running in this process; {@code operator} is its admin service principal's credentials. */
    public static Plane of(Stackledger app, ServerOptions.AdminCredentials operator) {
      return new Plane(app.urls(), app.homeTenantId(), app.operatorSubscriptionId(), app.certificate(), operator);
    }

    /** A server running in another process, from the {@code endpoints.json} in its data folder. */
    public static Plane read(Path endpointsJson, ServerOptions.AdminCredentials operator) throws IOException {
      JsonNode e = Json.MAPPER.readTree(endpointsJson.toFile());
      Map<EndpointRole, String> urls = new EnumMap<>(EndpointRole.class);
      for (EndpointRole role : EndpointRole.values()) {
        if (e.hasNonNull(role.key())) {
          urls.put(role, e.get(role.key()).asText());
        }
      }
      String certificate = e.path("certificate").asText(null);
      return new Plane(urls, e.path("homeTenantId").asText(), e.path("operatorSubscriptionId").asText(),
          certificate == null ? null : Path.of(certificate), operator);
    }

    String url(EndpointRole role) {
      String url = urls.get(role);
      if (url == null) {
        throw new IllegalArgumentException("the plane has no " + role.key() + " endpoint");
      }
      return url;
    }

    AdminClient client(EndpointRole role, String audience, Clock clock) throws IOException {
      return as(role, homeTenantId, operator.clientId(), operator.clientSecret(), audience, clock);
    }

    AdminClient as(EndpointRole role, String tenantId, String clientId, String secret, String audience, Clock clock)
        throws IOException {
      return new AdminClient(ca, url(role), new SignIn(url(EndpointRole.IDENTITY), tenantId, clientId, secret, audience,
          ca), clock);
    }
  }

  /**
   * @param name a word that makes the world's domains unique in the cloud's directory
   */
  public record Options(int customers, BillingModel billingModel, String name) {
    /** {@code customers} customers on a PayAsYouUse deployment, under a random name. */
    public static Options of(int customers) {
      return new Options(customers, BillingModel.PayAsYouUse, UUID.randomUUID().toString().substring(0, 8));
    }

    public Options withBillingModel(BillingModel model) {
      return new Options(customers, model, name);
    }
  }

  /**
   * The CSP partner: its Partner Center id, its own directory, its admin agent's credentials, and a
   * person of its directory (Owner of its registration subscriptions) who signs in to the console.
   */
  public record Partner(String partnerId, String tenantId, String domain, String clientId, String clientSecret,
      String adminUpn, String adminPassword) {}

  /**
   * The deployment's registration in the cloud: its resource id, the partner's subscription it bills
   * by default, its CloudId, and the bridge principal the registration made, with a client secret.
   */
  public record Registration(String id, String subscriptionId, String cloudId, BillingModel billingModel,
      String bridgeObjectId, String bridgeAppId, String bridgeSecret) {}

  /**
   * A customer: its directory (also its Partner Center customer id), its CSP subscription, its user
   * subscription on the deployment and that subscription's owner, a user of the customer's directory.
   */
  public record Customer(int number, String tenantId, String domain, String cspSubscriptionId,
      String localSubscriptionId, String ownerUpn, String ownerPassword) {}

  private final AdminClient partnerArm;
  private final AdminClient partnerCenter;
  private final Partner partner;
  private final Registration registration;
  private final List<Customer> customers;

  private SimulatedCloud(AdminClient partnerArm, AdminClient partnerCenter, Partner partner, Registration registration,
      List<Customer> customers) {
    this.partnerArm = partnerArm;
    this.partnerCenter = partnerCenter;
    this.partner = partner;
    this.registration = registration;
    this.customers = List.copyOf(customers);
  }

  /** Makes the world; every instant it records (mappings, activation) is the clock's. */
  public static SimulatedCloud build(Plane cloud, Plane stack, Options options, Clock clock)
      throws IOException, InterruptedException {
    return build(cloud, stack, options, clock, step -> {});
  }

  /** Makes the world as {@link #build(Plane, Plane, Options, Clock)}, telling {@code progress} each step it starts. */
  public static SimulatedCloud build(Plane cloud, Plane stack, Options options, Clock clock, Consumer<String> progress)
      throws IOException, InterruptedException {
    if (options.customers() < 0) {
      throw new IllegalArgumentException("customers must be 0 or more");
    }
    AdminClient cloudOperator = cloud.client(EndpointRole.CLOUD_ARM, Stackledger.CLOUD_AUDIENCE, clock);
    AdminClient stackOperator = stack.client(EndpointRole.STACK_ADMIN_ARM, Stackledger.STACK_ADMIN_AUDIENCE, clock);
    progress.accept("making the CSP partner");
    Partner partner = partner(cloudOperator, options.name());
    AdminClient partnerArm = cloud.as(EndpointRole.CLOUD_ARM, partner.tenantId(), partner.clientId(),
        partner.clientSecret(), Stackledger.CLOUD_AUDIENCE, clock);
    AdminClient partnerCenter = cloud.as(EndpointRole.PARTNER_CENTER, partner.tenantId(), partner.clientId(),
        partner.clientSecret(), Stackledger.PARTNER_CENTER_AUDIENCE, clock);
    JsonNode stamp = call(stackOperator, "GET", BRIDGE + "/stampInfo" + BRIDGE_API, null).path("properties");
    progress.accept("registering and activating the deployment");
    Registration registration = register(cloudOperator, partnerArm, stackOperator, stack, stamp.path("cloudId").asText(),
        partner, options);
    String offer = SimulatedTenants.offer(stackOperator, stack.operatorSubscriptionId());
    List<Customer> customers = new ArrayList<>();
    for (int n = 1; n <= options.customers(); n++) {
      progress.accept("onboarding customer " + n + " of " + options.customers());
      Customer c = customer(cloudOperator, partnerCenter, stackOperator, stack, offer, stamp.path("region").asText(),
          options.name(), n);
      onBehalfOf(cloud, cloudOperator, partner, c, clock);
      customers.add(c);
    }
    return new SimulatedCloud(partnerArm, partnerCenter, partner, registration, customers);
  }

  /**
   * The same partner's next deployment, {@code stack} (another process's, registered with the same
   * cloud): its own registration in a new subscription of the partner, approved and activated, and
   * each of this world's customers onboarded there as a guest directory with a user subscription of
   * its own. Nothing is mapped on it: a customer added on one deployment is not added on the others.
   */
  public SimulatedCloud addDeployment(Plane cloud, Plane stack, Clock clock) throws IOException, InterruptedException {
    AdminClient cloudOperator = cloud.client(EndpointRole.CLOUD_ARM, Stackledger.CLOUD_AUDIENCE, clock);
    AdminClient stackOperator = stack.client(EndpointRole.STACK_ADMIN_ARM, Stackledger.STACK_ADMIN_AUDIENCE, clock);
    JsonNode stamp = call(stackOperator, "GET", BRIDGE + "/stampInfo" + BRIDGE_API, null).path("properties");
    Registration second = register(cloudOperator, partnerArm, stackOperator, stack, stamp.path("cloudId").asText(), partner,
        new Options(customers.size(), registration.billingModel(), UUID.randomUUID().toString().substring(0, 8)));
    String offer = SimulatedTenants.offer(stackOperator, stack.operatorSubscriptionId());
    String region = stamp.path("region").asText();
    List<Customer> there = new ArrayList<>();
    for (Customer c : customers) {
      call(stackOperator, "PUT", "/subscriptions/" + stack.operatorSubscriptionId() + "/resourceGroups/system." + region
          + "/providers/Microsoft.Subscriptions.Admin/directoryTenants/" + c.domain() + SimulatedTenants.V, "{}");
      String local = UUID.randomUUID().toString();
      call(stackOperator, "PUT", SimulatedTenants.userSubscription(stack.operatorSubscriptionId(), local),
          SimulatedTenants.userSubscriptionBody("Customer " + c.number(), c.ownerUpn(), c.tenantId(), offer));
      there.add(new Customer(c.number(), c.tenantId(), c.domain(), c.cspSubscriptionId(), local, c.ownerUpn(),
          c.ownerPassword()));
    }
    return new SimulatedCloud(partnerArm, partnerCenter, partner, second, there);
  }

  /** The partner, made by the cloud operator in Partner Center, and its admin agent's object id. */
  private static Partner partner(AdminClient operator, String name) throws IOException, InterruptedException {
    String id = UUID.randomUUID().toString();
    String domain = "csp-" + name + ".onmicrosoft.local";
    JsonNode p = call(operator, "PUT", PARTNERS + "/partners/" + id + OPERATOR_API, "{\"properties\":{\"displayName\":"
        + "\"CSP " + name + "\",\"kind\":\"Direct\",\"domain\":\"" + domain + "\"}}").path("properties");
    String upn = "admin@" + domain;
    String password = "Sim-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    call(operator, "PUT", IDENTITY + "/tenants/" + domain + "/users/" + upn + OPERATOR_API, "{\"properties\":"
        + "{\"displayName\":\"Partner admin of " + name + "\",\"password\":\"" + password + "\"}}");
    return new Partner(id, p.path("tenantId").asText(), domain, p.path("adminClientId").asText(),
        p.path("adminClientSecret").asText(), upn, password);
  }

  /**
   * The partner's shared-services subscription, then the registration of the deployment from its
   * token, its approval for multi-tenancy, the activation key, the activation and the bridge's secret.
   */
  private static Registration register(AdminClient operator, AdminClient partnerArm, AdminClient stackOperator,
      Plane stack, String cloudId, Partner partner, Options options) throws IOException, InterruptedException {
    String subscription = UUID.randomUUID().toString();
    String agent = principal(operator, partner.clientId()).path("objectId").asText();
    call(operator, "PUT", PARTNERS + "/subscriptions/" + subscription + OPERATOR_API, "{\"properties\":{\"offerId\":\""
        + OfferIds.PARTNER_SHARED_SERVICES + "\",\"tenantId\":\"" + partner.tenantId() + "\",\"partnerId\":\""
        + partner.partnerId() + "\",\"ownerObjectId\":\"" + agent + "\",\"displayName\":\"CSP shared services\"}}");
    ObjectNode ask = Json.object().put("billingModel", options.billingModel().name());
    if (options.billingModel() == BillingModel.Capacity) {
      ask.put("agreementNumber", "EA-" + options.name());
    }
    String token = call(stackOperator, "POST", BRIDGE + "/registrationToken" + BRIDGE_API, Json.text(ask))
        .path("registrationToken").asText();
    String sub = "/subscriptions/" + subscription;
    // The partner's person owns the subscription too, as the admin agent does: the console signs people in.
    String person = principal(operator, partner.adminUpn()).path("objectId").asText();
    assign(partnerArm, subscription, RoleDefinition.OWNER, person);
    call(partnerArm, "POST", sub + "/providers/Microsoft.AzureStack/register?api-version=2025-04-01", null);
    call(partnerArm, "PUT", sub + "/resourceGroups/azurestack?api-version=2025-04-01", "{\"location\":\"westcentralus\"}");
    // Set-AzsRegistration's default name.
    String path = sub + "/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/AzureStack-" + cloudId;
    JsonNode made = call(partnerArm, "PUT", path + REGISTRATION_API, "{\"location\":\"global\",\"properties\":"
        + "{\"registrationToken\":\"" + token + "\"}}");
    call(operator, "POST", path + "/approveMultiTenancy" + REGISTRATION_API, null);
    String key = call(partnerArm, "POST", path + "/getactivationkey" + REGISTRATION_API, null).path("activationKey").asText();
    call(stackOperator, "PUT", "/subscriptions/" + stack.operatorSubscriptionId() + "/resourceGroups/azurestack-activation"
        + BRIDGE + "/activations/default" + BRIDGE_API, "{\"properties\":{\"activationKey\":\"" + key + "\"}}");
    // The bridge signs in with a client secret until the deployment's own certificate sign-in exists.
    String bridge = made.path("properties").path("objectId").asText();
    String bridgeApp = principal(operator, bridge).path("appId").asText();
    String secret = call(operator, "POST", IDENTITY + "/tenants/" + partner.domain() + "/servicePrincipals/" + bridgeApp
        + "/addSecret" + OPERATOR_API, null).path("properties").path("clientSecret").asText();
    return new Registration(made.path("id").asText(), subscription, cloudId, options.billingModel(), bridge, bridgeApp,
        secret);
  }

  /**
   * A customer bought through Partner Center, its CSP subscription ordered by the partner, an owner
   * user in its directory, the directory onboarded as a guest and a user subscription for the owner.
   */
  private static Customer customer(AdminClient operator, AdminClient partnerCenter, AdminClient stackOperator,
      Plane stack, String offer, String region, String name, int n) throws IOException, InterruptedException {
    String domain = "customer-" + n + "-" + name + ".onmicrosoft.local";
    String tenantId = call(partnerCenter, "POST", "/v1/customers", "{\"companyProfile\":{\"domain\":\"" + domain
        + "\"},\"billingProfile\":{\"companyName\":\"Customer " + n + " of " + name + "\"}}").path("id").asText();
    String csp = order(partnerCenter, tenantId, "Customer " + n + " on Azure Stack");
    String upn = "owner@" + domain;
    String password = "Sim-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    call(operator, "PUT", IDENTITY + "/tenants/" + domain + "/users/" + upn + OPERATOR_API, "{\"properties\":"
        + "{\"displayName\":\"Owner of customer " + n + "\",\"password\":\"" + password + "\"}}");
    call(stackOperator, "PUT", "/subscriptions/" + stack.operatorSubscriptionId() + "/resourceGroups/system." + region
        + "/providers/Microsoft.Subscriptions.Admin/directoryTenants/" + domain + SimulatedTenants.V, "{}");
    String local = UUID.randomUUID().toString();
    call(stackOperator, "PUT", SimulatedTenants.userSubscription(stack.operatorSubscriptionId(), local),
        SimulatedTenants.userSubscriptionBody("Customer " + n, upn, tenantId, offer));
    return new Customer(n, tenantId, domain, csp, local, upn, password);
  }

  /**
   * The partner's person gets what Partner Center gave its admin agent on the customer's CSP
   * subscription (admin on behalf of): a guest of the customer's directory, made by the operator, and
   * Owner of the subscription, given by the agent signed in at that directory as the guest it is. The
   * agent makes the customer's owner Reader of it too, so the owner reads its own invoices.
   */
  private static void onBehalfOf(Plane cloud, AdminClient operator, Partner partner, Customer customer, Clock clock)
      throws IOException, InterruptedException {
    String person = principal(operator, partner.adminUpn()).path("objectId").asText();
    call(operator, "PUT", IDENTITY + "/tenants/" + customer.domain() + "/guests/" + person + OPERATOR_API, "{}");
    AdminClient agent = cloud.as(EndpointRole.CLOUD_ARM, customer.tenantId(), partner.clientId(), partner.clientSecret(),
        Stackledger.CLOUD_AUDIENCE, clock);
    assign(agent, customer.cspSubscriptionId(), RoleDefinition.OWNER, person);
    String owner = principal(operator, customer.ownerUpn()).path("objectId").asText();
    assign(agent, customer.cspSubscriptionId(), RoleDefinition.READER, owner);
  }

  /** A role assignment on a subscription, made by {@code by} through the ARM API. */
  private static void assign(AdminClient by, String subscriptionId, RoleDefinition role, String principalId)
      throws IOException, InterruptedException {
    call(by, "PUT", "/subscriptions/" + subscriptionId + "/providers/Microsoft.Authorization/roleAssignments/"
        + UUID.randomUUID() + "?api-version=2022-04-01", "{\"properties\":{\"roleDefinitionId\":\"" + role.id()
        + "\",\"principalId\":\"" + principalId + "\"}}");
  }

  /** One CSP subscription ordered for the customer; its id. */
  private static String order(AdminClient partnerCenter, String customerId, String friendlyName)
      throws IOException, InterruptedException {
    return call(partnerCenter, "POST", "/v1/customers/" + customerId + "/orders", "{\"referenceCustomerId\":\""
        + customerId + "\",\"lineItems\":[{\"lineItemNumber\":0,\"offerId\":\"" + OfferIds.CSP + "\",\"friendlyName\":\""
        + friendlyName + "\",\"quantity\":1}]}").path("lineItems").path(0).path("subscriptionId").asText();
  }

  private static JsonNode principal(AdminClient operator, String key) throws IOException, InterruptedException {
    return call(operator, "GET", IDENTITY + "/principals/" + key + OPERATOR_API, null).path("properties");
  }

  public Partner partner() {
    return partner;
  }

  public Registration registration() {
    return registration;
  }

  public String cloudId() {
    return registration.cloudId();
  }

  public List<Customer> customers() {
    return customers;
  }

  /** Adds the customer's own CSP subscription to the registration (PUT customerSubscriptions), as the partner. */
  public void map(Customer customer) throws IOException, InterruptedException {
    map(customer, customer.cspSubscriptionId());
  }

  /**
   * Maps the customer's directory onto another of its CSP subscriptions: the mapping in force for its
   * directory, if any, ends as the new one begins (Replaced).
   */
  public void map(Customer customer, String cspSubscriptionId) throws IOException, InterruptedException {
    call(partnerArm, "PUT", customerSubscription(cspSubscriptionId), "{\"properties\":{\"tenantId\":\""
        + customer.tenantId() + "\"}}");
  }

  /** Removes the mapping in force for the customer's directory, found in the registration's history. */
  public void unmap(Customer customer) throws IOException, InterruptedException {
    JsonNode history = call(partnerArm, "GET", registration.id() + "/customerSubscriptionHistory" + REGISTRATION_API
        + "&tenantId=" + customer.tenantId(), null).path("value");
    for (JsonNode m : history) {
      if (m.path("effectiveTo").isNull()) {
        call(partnerArm, "DELETE", customerSubscription(m.path("customerSubscriptionId").asText()), null);
      }
    }
  }

  /** Another CSP subscription for the customer, ordered by the partner in Partner Center; its id. */
  public String anotherSubscription(Customer customer) throws IOException, InterruptedException {
    return order(partnerCenter, customer.tenantId(), "Customer " + customer.number() + ", another subscription");
  }

  private String customerSubscription(String id) {
    return registration.id() + "/customerSubscriptions/" + id + REGISTRATION_API;
  }

  /** One call that must succeed; its answer's JSON. */
  private static JsonNode call(AdminClient client, String method, String pathAndQuery, String body)
      throws IOException, InterruptedException {
    AdminClient.Answer answer = client.send(method, pathAndQuery, body);
    if (answer.status() / 100 != 2) {
      throw new IOException(method + " " + pathAndQuery + " answered " + answer.status() + ": " + answer.body());
    }
    return answer.json();
  }
}
