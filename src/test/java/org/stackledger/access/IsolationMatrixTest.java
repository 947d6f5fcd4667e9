package org.stackledger.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.http.Router;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestPartner;
import org.stackledger.testing.TestServer;

/**
 * Tenant isolation, for every authenticated route of every ARM endpoint. The rows are the routes the
 * server registers, so a route added later is tested here without anyone writing a row: its path
 * parameters are filled with tenant A's ids from {@link #ids}, and a parameter nobody has given a
 * value fails the test. A principal of tenant B, and a principal of tenant A without any role, must
 * get 404 and learn nothing of A; A's owner must get through on every read.
 */
class IsolationMatrixTest {
  private static final String SECRET_TAG = "a-only-tag-value";
  private static final String SECRET_NOTE = "a-only-lock-note";
  private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z]+)}");

  private static TestServer server;
  private static TestServer.TestTenant a;
  private static TestServer.TestTenant b;
  private static SignIn roleless;
  private static SignIn outsider;
  private static SignIn owner;
  private static SignIn operator;
  /** Partner Center: partner A (with a customer and its CSP subscription) and another partner. */
  private static TestPartner partnerA;
  private static SignIn partnerAdminA;
  private static SignIn otherPartner;
  private static final String COMPANY = "A-only-company";
  private static String customerDomain;

  /** A principal's credentials; it signs in for whichever endpoint a row calls. */
  record SignIn(String clientId, String secret, String tenantId) {
    /** Signed in once per endpoint role and kept, as a real client keeps its token for the hour it lives. */
    TestClient client(EndpointRole role) {
      return SIGNED_IN.computeIfAbsent(Map.entry(this, role), k -> {
        try {
          String audience = server.app().audiences(role).stream().filter(x -> !x.startsWith("https://127."))
              .findFirst().orElseThrow();
          return new TestClient(server.app().url(role), server.app().certificate())
              .withToken(server.token(clientId, secret, tenantId, audience));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }
  }
  private static final Map<Map.Entry<SignIn, EndpointRole>, TestClient> SIGNED_IN =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final Map<String, String> ids = new LinkedHashMap<>();
  /** Path parameter values for the Partner Center endpoint, where they name partner A's customer's objects. */
  private static final Map<String, String> pcIds = new LinkedHashMap<>();
  /** Path parameter values for the deployment's tenant endpoint, where {subscriptionId} is A's user subscription. */
  private static final Map<String, String> stackTenantIds = new LinkedHashMap<>();
  private static String userSubscription;
  private static final org.stackledger.testing.FakePartnerCenter PARTNER_CENTER =
      new org.stackledger.testing.FakePartnerCenter();
  private static final String REGISTRATION = "/resourceGroups/rg-a/providers/Microsoft.AzureStack/registrations/reg-a";
  private static String customerSubscription;
  private static String cloudId;

  @BeforeAll
  static void arrange() throws Exception {
    server = TestServer.start(Engine.H2, o -> o.withCspSubscriptions(PARTNER_CENTER));
    a = server.newTenant("fabrikam-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
    b = server.newTenant("contoso-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
    String sub = "/subscriptions/" + a.subscriptionId();
    assertThat(a.client().put(sub + "/resourceGroups/rg-a?api-version=2025-04-01",
        "{\"location\":\"westus\",\"tags\":{\"owner\":\"" + SECRET_TAG + "\"}}").status()).isEqualTo(201);
    assertThat(a.client().put(sub + "/resourceGroups/rg-a/providers/Microsoft.Authorization/locks/lock-a?api-version=2017-04-01",
        "{\"properties\":{\"level\":\"CanNotDelete\",\"notes\":\"" + SECRET_NOTE + "\"}}").status()).isEqualTo(201);
    assertThat(a.client().post(sub + "/providers/Microsoft.Authorization/register?api-version=2025-04-01", null)
        .status()).isEqualTo(200);
    String assignment = UUID.randomUUID().toString();
    var sp = server.app().directory().createServicePrincipal(a.tenantId(), "a reader", null, null);
    assertThat(a.client().put(sub + "/providers/Microsoft.Authorization/roleAssignments/" + assignment
        + "?api-version=2022-04-01", "{\"properties\":{\"roleDefinitionId\":\"" + RoleDefinition.READER.id()
        + "\",\"principalId\":\"" + sp.principal().objectId() + "\"}}").status()).isEqualTo(201);
    var lonely = server.app().directory().createServicePrincipal(a.tenantId(), "a principal with no role", null, null);
    roleless = new SignIn(lonely.principal().appId().orElseThrow(), lonely.clientSecret(), a.tenantId());
    outsider = new SignIn(b.clientId(), b.clientSecret(), b.tenantId());
    owner = new SignIn(a.clientId(), a.clientSecret(), a.tenantId());
    operator = new SignIn(server.admin().clientId(), server.admin().clientSecret(), server.app().homeTenantId());
    var user = server.app().directory().createUser(a.tenantId(), "dora@" + a.domain(), "Dora", "long-enough-password");

    // A's deployment registration, approved for multi-tenancy, with one customer mapped onto it.
    assertThat(a.client().post(sub + "/providers/Microsoft.AzureStack/register?api-version=2025-04-01", null)
        .status()).isEqualTo(200);
    String cloudId = UUID.randomUUID().toString();
    assertThat(a.client().put(sub + REGISTRATION + "?api-version=2017-06-01", "{\"location\":\"global\",\"properties\":"
        + "{\"registrationToken\":\"" + new org.stackledger.registration.RegistrationToken(cloudId,
        org.stackledger.registration.BillingModel.PayAsYouUse, true, true, null, null).encode() + "\"}}").status())
        .isEqualTo(201);
    assertThat(server.client().post(sub + REGISTRATION + "/approveMultiTenancy?api-version=2017-06-01", null).status())
        .isEqualTo(200);
    customerSubscription = UUID.randomUUID().toString();
    PARTNER_CENTER.csp(a.subscriptionId(), a.tenantId(), "partner-a");
    PARTNER_CENTER.csp(customerSubscription, UUID.randomUUID().toString(), "partner-a");
    assertThat(a.client().put(sub + REGISTRATION + "/customerSubscriptions/" + customerSubscription
        + "?api-version=2017-06-01", null).status()).isEqualTo(200);

    ids.put("subscriptionId", a.subscriptionId());
    ids.put("registrationName", "reg-a");
    ids.put("adminSubscriptionId", server.app().operatorSubscriptionId());
    ids.put("directoryTenantName", a.domain());
    // Both tenants are guest directories of the deployment, so its endpoints let them in at all.
    server.app().guestDirectories().onboard(server.app().operatorSubscriptionId(), "rg-a", a.domain(), a.tenantId(), "local");
    server.app().guestDirectories().onboard(server.app().operatorSubscriptionId(), "rg-b", b.domain(), b.tenantId(), "local");
    ids.put("customerSubscriptionName", customerSubscription);
    ids.put("month", "2026-10");
    ids.put("line", "1");
    IsolationMatrixTest.cloudId = cloudId;
    // A's user subscription on the deployment, made by the operator from an offer, owned by A's principal.
    TestClient adminArm = server.client(EndpointRole.STACK_ADMIN_ARM);
    String catalogue = "/subscriptions/" + server.app().operatorSubscriptionId()
        + "/resourceGroups/rg-offers/providers/Microsoft.Subscriptions.Admin";
    assertThat(adminArm.put(catalogue + "/plans/plan-a?api-version=2015-11-01",
        "{\"properties\":{\"services\":[\"Microsoft.Compute\"]}}").status()).isEqualTo(201);
    assertThat(adminArm.put(catalogue + "/offers/offer-a?api-version=2015-11-01",
        "{\"properties\":{\"basePlanIds\":[\"" + catalogue + "/plans/plan-a\"]}}").status()).isEqualTo(201);
    userSubscription = UUID.randomUUID().toString();
    assertThat(adminArm.put("/subscriptions/" + server.app().operatorSubscriptionId()
        + "/providers/Microsoft.Subscriptions.Admin/subscriptions/" + userSubscription + "?api-version=2015-11-01",
        "{\"displayName\":\"a-only\",\"owner\":\"" + user.upn().orElseThrow() + "\",\"tenantId\":\"" + a.tenantId()
            + "\",\"offerId\":\"" + catalogue + "/offers/offer-a\"}").status()).isEqualTo(201);
    server.app().roleAssignments().assign(UUID.randomUUID().toString(), "/subscriptions/" + userSubscription,
        RoleDefinition.OWNER, a.objectId(), "ServicePrincipal");
    ids.put("targetSubscriptionId", userSubscription);
    ids.put("planName", "plan-a");
    ids.put("offerName", "offer-a");
    stackTenantIds.put("subscriptionId", userSubscription);
    ids.put("productName", "product-a");
    ids.put("resourceGroupName", "rg-a");
    ids.put("lockName", "lock-a");
    ids.put("roleAssignmentName", assignment);
    ids.put("roleDefinitionId", RoleDefinition.OWNER.id());
    ids.put("resourceProviderNamespace", "Microsoft.Authorization");
    ids.put("namespace", "Microsoft.Authorization");
    ids.put("type", "locks");
    ids.put("name", "lock-a");
    ids.put("childType", "children");
    ids.put("childName", "child-a");
    // The operator's Stackledger.Identity routes, filled with A's names.
    ids.put("tenantName", a.domain());
    ids.put("appId", a.clientId());
    ids.put("userPrincipalName", user.upn().orElseThrow());
    ids.put("objectId", b.objectId());
    ids.put("principalKey", a.objectId());
    ids.put("kid", server.app().signingKeys().list().get(0).kid());
    ids.put("meterId", "fab6eb84-500b-4a09-a8ca-7358f8bbaea5");

    partnerA = TestPartner.create(server, "Direct", null);
    TestPartner partnerB = TestPartner.create(server, "Direct", null);
    partnerAdminA = new SignIn(partnerA.clientId(), partnerA.clientSecret(), partnerA.tenantId());
    otherPartner = new SignIn(partnerB.clientId(), partnerB.clientSecret(), partnerB.tenantId());
    var customer = partnerA.newCustomer(COMPANY);
    assertThat(customer.status()).isEqualTo(201);
    String customerId = customer.json().path("id").asText();
    customerDomain = customer.json().path("companyProfile").path("domain").asText();
    var order = partnerA.orderCsp(customerId, "a-only-subscription");
    assertThat(order.status()).isEqualTo(201);
    // The operator's Stackledger.PartnerCenter routes.
    ids.put("partnerId", partnerA.partnerId());
    ids.put("customerId", customerId);
    pcIds.put("customerId", customerId);
    pcIds.put("orderId", order.json().path("id").asText());
    pcIds.put("subscriptionId", order.json().path("lineItems").path(0).path("subscriptionId").asText());
  }

  @AfterAll
  static void stop() throws Exception {
    SIGNED_IN.clear();
    server.close();
  }

  /** Every authenticated route of the ARM endpoints, as the server registered it. */
  static Stream<Arguments> routes() throws Exception {
    if (server == null) {
      arrange();
    }
    List<Arguments> rows = new ArrayList<>();
    for (EndpointRole role : List.of(EndpointRole.CLOUD_ARM, EndpointRole.STACK_ADMIN_ARM, EndpointRole.STACK_TENANT_ARM,
        EndpointRole.PARTNER_CENTER)) {
      for (Router.Description route : server.app().routes(role)) {
        if (!route.anonymous()) {
          rows.add(Arguments.of(role, route.method(), route.template()));
        }
      }
    }
    assertThat(rows).as("the matrix must have routes to test").hasSizeGreaterThan(20);
    return rows.stream();
  }

  static String fill(EndpointRole role, String template) {
    Matcher m = PARAM.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = role == EndpointRole.PARTNER_CENTER ? pcIds.get(m.group(1))
          : role == EndpointRole.STACK_TENANT_ARM && stackTenantIds.containsKey(m.group(1)) ? stackTenantIds.get(m.group(1))
          : ids.get(m.group(1));
      assertThat(value).as("no value for path parameter {%s} of %s: add one to the matrix's ids", m.group(1), template)
          .isNotNull();
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * The operator's routes above every subscription: there the answer to anyone without a root-scope
   * role is 403 {@code AuthorizationFailed} over scope '/', the same whatever the path names, so it
   * tells nothing about A either.
   */
  static boolean operatorOnly(String template) {
    String t = template.toLowerCase();
    // Multi-tenancy approval is Microsoft's decision, the operator's here: a root-scope action.
    return t.startsWith("/providers/stackledger.") && !catalogue(template) && !ownView(template) && !bodyFirst(template)
        && !t.equals("/providers/stackledger.billing/attribution")
        || t.endsWith("/invoices/{month}/finalize") || t.contains("/providers/microsoft.azurebridge.admin/")
        || t.contains("/providers/microsoft.subscriptions.admin/")
        || t.endsWith("/approvemultitenancy")
        || t.endsWith("/revokemultitenancy");
  }

  /**
   * A provider's catalogue above every subscription (its operations list, the deployment's meters):
   * the same answer for every signed-in caller, naming nothing of anyone's resources.
   */
  static boolean catalogue(String template) {
    String t = template.toLowerCase();
    return t.matches("/providers/microsoft\\.[a-z]+/operations") || t.matches("/providers/stackledger\\.usage/meters(/\\{meterid})?");
  }

  /**
   * Billing views above every subscription that answer each caller its own (the invoices, the
   * reconciliation rows and the month's reports of the billing subscriptions it may read): 200 for
   * anyone, with nothing of A's for an outsider.
   */
  static boolean ownView(String template) {
    String t = template.toLowerCase();
    return t.equals("/providers/stackledger.billing/invoices") || t.equals("/providers/stackledger.billing/reconciliation")
        || t.matches("/providers/stackledger\\.billing/reports/(usage|cost)");
  }

  /**
   * Routes that learn whose data they touch from the body (a usage file names its CloudId): a body
   * that is not one is refused (400) before anyone's data is looked at, naming nothing.
   */
  static boolean bodyFirst(String template) {
    return template.equalsIgnoreCase("/providers/Stackledger.Billing/usageFiles");
  }

  /** Query parameters a route needs besides its api-version, filled with A's values. */
  static String query(String template) {
    String t = template.toLowerCase();
    if (t.equals("/providers/stackledger.billing/attribution")) {
      return "&cloudId=" + cloudId + "&subscriptionId=" + userSubscription + "&usageTime=2026-10-01T00:00:00Z&tenantId="
          + a.tenantId();
    }
    if (t.equals("/providers/stackledger.bridge/usagefile")) {
      return "&from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z";
    }
    if (t.startsWith("/providers/stackledger.billing/") && !t.contains("/markups") && !t.contains("/pricesheet")
        && !t.contains("/billingsettings") && !t.contains("/usagefiles")) {
      return "&month=2026-10";
    }
    return "";
  }

  /**
   * The usage API's routes without a subscription in the path: every caller gets the usage API's
   * 400 SubscriptionIdMissingInRequest, which names nobody's data.
   */
  static boolean subscriptionMissing(String template) {
    // Also "/subscriptions/providers/...": the empty id of "/subscriptions//providers/..." collapsed.
    return template.toLowerCase().matches("(/subscriptions)?/providers/microsoft\\.commerce(\\.admin)?/(subscriber)?usageaggregates");
  }

  /**
   * The api-version a row calls with: the newest its operation in the API description accepts (the
   * description is the one source of api-versions); for a route not described yet, a guess from its path.
   */
  static String apiVersion(EndpointRole role, String method, String template) {
    String window = template.toLowerCase().endsWith("usageaggregates")
        ? "&reportedStartTime=2026-01-01T00:00:00Z&reportedEndTime=2026-01-02T00:00:00Z" : "";
    return server.app().routes(role).stream().filter(r -> r.method().equals(method) && r.template().equals(template))
        .findFirst().flatMap(Router.Description::operation).map(Router.Operation::apiVersions)
        .filter(versions -> !versions.isEmpty()).map(versions -> versions.get(versions.size() - 1) + window)
        .orElseGet(() -> guessedApiVersion(template));
  }

  /** The api-version of a route the API description does not cover yet (see openapi-undocumented.txt). */
  static String guessedApiVersion(String template) {
    String t = template.toLowerCase();
    if (t.endsWith("usageaggregates")) {
      // The usage API takes its own version and a reported window as well.
      return "2015-06-01-preview&reportedStartTime=2026-01-01T00:00:00Z&reportedEndTime=2026-01-02T00:00:00Z";
    }
    if (t.contains("/microsoft.azurestack")) {
      return "2017-06-01";
    }
    if (t.contains("/microsoft.azurebridge.admin/")) {
      return "2016-01-01";
    }
    if (t.contains("/microsoft.subscriptions.admin/")) {
      return "2015-11-01";
    }
    if (operatorOnly(template) || t.startsWith("/providers/stackledger.") || t.contains("/providers/stackledger.")) {
      return "2026-11-01";
    }
    if (t.contains("/locks")) {
      return "2017-04-01";
    }
    if (t.contains("/roleassignments") || t.contains("/roledefinitions")) {
      return "2022-04-01";
    }
    if (t.equals("/subscriptions") || t.equals("/subscriptions/{subscriptionid}")) {
      return "2022-12-01";
    }
    return "2025-04-01";
  }

  private static TestClient.Response call(SignIn who, EndpointRole role, String method, String template) {
    TestClient c = who.client(role);
    String body = method.equals("PUT") || method.equals("PATCH") || method.equals("POST")
          ? "{\"location\":\"westus\",\"tags\":{\"x\":\"y\"},\"properties\":{\"level\":\"ReadOnly\"}}" : null;
    return c.send(method, fill(role, template) + "?api-version=" + apiVersion(role, method, template) + query(template), body,
        body == null ? Map.of() : Map.of("Content-Type", "application/json"));
  }

  /**
   * Partner Center's internal look-up is the platform's: everyone else gets 403, whatever it names.
   */
  static boolean platformOnly(String template) {
    return template.startsWith("/internal/");
  }

  /**
   * Who must learn nothing of A. On the Partner Center endpoint: another partner (404 for A's
   * customer, as if it did not exist) and a principal whose tenant is no partner (403 whatever the
   * path names).
   */
  private static List<SignIn> outsiders(EndpointRole role) {
    return role == EndpointRole.PARTNER_CENTER ? List.of(otherPartner, outsider) : List.of(outsider, roleless);
  }

  private static void partnerCenterRow(SignIn who, String method, String template, TestClient.Response r) {
    String row = method + " " + template + " -> " + r.body();
    if (platformOnly(template) || who == outsider) {
      assertThat(r.status()).as(row).isEqualTo(403);
    } else if (!template.contains("{")) {
      // The other partner's own collection: allowed, and without A's customer in it.
      if (method.equals("GET")) {
        assertThat(r.status()).as(row).isEqualTo(200);
      } else {
        assertThat(r.status()).as(row).isBetween(400, 499);
      }
    } else {
      assertThat(r.status()).as(row).isEqualTo(404);
    }
    if (r.status() >= 400) {
      assertThat(r.json().path("source").asText()).as(row).isEqualTo("PartnerFD");
    }
    assertThat(r.body()).doesNotContain(COMPANY).doesNotContain(customerDomain).doesNotContain(partnerA.tenantId())
        .doesNotContain(partnerA.partnerId()).doesNotContain(partnerA.domain()).doesNotContain("a-only-subscription");
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("routes")
  void anotherTenantsPrincipalGets404AndLearnsNothing(EndpointRole role, String method, String template) {
    if (role == EndpointRole.PARTNER_CENTER) {
      for (SignIn who : outsiders(role)) {
        partnerCenterRow(who, method, template, call(who, role, method, template));
      }
      return;
    }
    for (SignIn who : List.of(outsider, roleless)) {
      TestClient.Response r = call(who, role, method, template);
      if (template.equals("/subscriptions") || catalogue(template) || ownView(template)) {
        assertThat(r.status()).as("%s %s -> %s", method, template, r.body()).isEqualTo(200);
        assertThat(r.body()).doesNotContain(a.subscriptionId());
      } else if (bodyFirst(template)) {
        assertThat(r.status()).as("%s %s -> %s", method, template, r.body()).isEqualTo(400);
      } else if (subscriptionMissing(template)) {
        assertThat(r.errorCode()).as("%s %s -> %s", method, template, r.body()).isEqualTo("SubscriptionIdMissingInRequest");
      } else if (operatorOnly(template)) {
        assertThat(r.status()).as("%s %s -> %s", method, template, r.body()).isEqualTo(403);
        assertThat(r.errorCode()).isEqualTo("AuthorizationFailed");
        assertThat(r.json().path("error").path("message").asText()).endsWith("over scope '/'.");
      } else {
        assertThat(r.status()).as("%s %s -> %s", method, template, r.body()).isEqualTo(404);
      }
      assertThat(r.body()).doesNotContain(SECRET_TAG).doesNotContain(SECRET_NOTE).doesNotContain(a.tenantId())
          .doesNotContain(a.objectId()).doesNotContain(a.domain()).doesNotContain(a.clientId());
      if (!operatorOnly(template)) {
        assertThat(r.body()).doesNotContain("AuthorizationFailed");
      }
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("routes")
  void theOwnerGetsThroughOnEveryRead(EndpointRole role, String method, String template) {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return;
    }
    if (role == EndpointRole.PARTNER_CENTER) {
      if (platformOnly(template)) {
        assertThat(call(partnerAdminA, role, method, template).status()).as("a partner is not the platform").isEqualTo(403);
      }
      TestClient.Response r = call(platformOnly(template) ? operator : partnerAdminA, role, method, template);
      assertThat(r.status()).as("%s %s -> %s", method, template, r.body()).isEqualTo(200);
      return;
    }
    if (subscriptionMissing(template)) {
      assertThat(call(owner, role, method, template).errorCode()).isEqualTo("SubscriptionIdMissingInRequest");
      return;
    }
    if (operatorOnly(template)) {
      TestClient.Response refused = call(owner, role, method, template);
      assertThat(refused.status()).as("A's owner is no operator: %s %s", method, template).isEqualTo(403);
    }
    TestClient.Response r = call(operatorOnly(template) ? operator : owner, role, method, template);
    // Some rows name things A does not have at that scope (a lock at subscription scope, a child
    // resource): those answer the resource's own 404, which still shows the caller was let in.
    if (r.status() == 409 && template.equalsIgnoreCase("/providers/Stackledger.Bridge/usageFile")) {
      // Let in; the deployment of this world is not registered, so there is no registration to name.
      assertThat(r.errorCode()).isEqualTo("NotRegistered");
    } else if (r.status() == 404) {
      assertThat(r.header("x-ms-error-code")).as("%s %s -> %s", method, template, r.body()).isNotNull()
          .isNotEqualTo("SubscriptionNotFound");
    } else {
      assertThat(r.status()).as("%s %s -> %s", method, template, r.body()).isBetween(200, 204);
    }
  }

  @Test
  void nothingOfTenantAChangedAfterTheOutsidersWrites() throws Exception {
    String sub = "/subscriptions/" + a.subscriptionId();
    var keysBefore = server.app().signingKeys().list();
    var tenantsBefore = server.app().directory().tenants();
    routes().forEach(args -> {
      Object[] row = args.get();
      String method = (String) row[1];
      if (!method.equals("GET") && !method.equals("HEAD")) {
        for (SignIn who : outsiders((EndpointRole) row[0])) {
          call(who, (EndpointRole) row[0], method, (String) row[2]);
        }
      }
    });
    var group = a.client().get(sub + "/resourceGroups/rg-a?api-version=2025-04-01");
    assertThat(group.status()).isEqualTo(200);
    assertThat(group.json().path("tags").path("owner").asText()).isEqualTo(SECRET_TAG);
    var lock = a.client().get(sub + "/resourceGroups/rg-a/providers/Microsoft.Authorization/locks/lock-a?api-version=2017-04-01");
    assertThat(lock.json().path("properties").path("level").asText()).isEqualTo("CanNotDelete");
    assertThat(a.client().get(sub + "/providers/Microsoft.Authorization/roleAssignments/" + ids.get("roleAssignmentName")
        + "?api-version=2022-04-01").status()).isEqualTo(200);
    assertThat(a.client().get(sub + "/providers/Microsoft.Authorization?api-version=2025-04-01").json()
        .path("registrationState").asText()).isEqualTo("Registered");
    var registration = a.client().get(sub + REGISTRATION + "?api-version=2017-06-01");
    assertThat(registration.status()).isEqualTo(200);
    assertThat(registration.json().path("properties").path("multiTenancyApproved").asBoolean()).isTrue();
    assertThat(a.client().get(sub + REGISTRATION + "/customerSubscriptions?api-version=2017-06-01").json().path("value"))
        .hasSize(1);
    assertThat(a.client().get(sub + REGISTRATION + "/customerSubscriptionHistory?api-version=2017-06-01").json()
        .path("value")).singleElement().satisfies(m -> assertThat(m.path("effectiveTo").isNull()).isTrue());
    assertThat(server.app().signingKeys().list()).as("no rotation or retirement").isEqualTo(keysBefore);
    assertThat(server.app().directory().tenants()).isEqualTo(tenantsBefore);
    var pcSub = server.app().cspSubscriptions().find(pcIds.get("subscriptionId")).orElseThrow();
    assertThat(pcSub.status()).as("A's customer's subscription untouched").isEqualTo("Active");
    assertThat(partnerA.pc().get("/v1/customers/" + pcIds.get("customerId") + "/subscriptions").json()
        .path("totalCount").asInt()).isEqualTo(1);
    assertThat(server.app().directory().isGuest(a.tenantId(), b.objectId())).isFalse();
    assertThat(server.app().userSubscriptions().find(userSubscription).orElseThrow().state()).isEqualTo("Enabled");
    assertThat(server.token(a.clientId(), a.clientSecret(), a.tenantId(), org.stackledger.app.Stackledger.CLOUD_AUDIENCE))
        .as("A's credentials unchanged").isNotBlank();
  }

  @Test
  void aReaderSeesTheSubscriptionButIsRefusedWritesWith403() {
    var reader = server.app().directory().createServicePrincipal(a.tenantId(), "reader " + UUID.randomUUID(), null, null);
    String sub = "/subscriptions/" + a.subscriptionId();
    server.app().roleAssignments().assign(UUID.randomUUID().toString(), sub, RoleDefinition.READER,
        reader.principal().objectId(), "ServicePrincipal");
    TestClient client = server.client().anonymous().withToken(server.token(reader.principal().appId().orElseThrow(),
        reader.clientSecret(), a.tenantId(), org.stackledger.app.Stackledger.CLOUD_AUDIENCE));
    assertThat(client.get(sub + "/resourceGroups/rg-a?api-version=2025-04-01").status()).isEqualTo(200);
    var put = client.put(sub + "/resourceGroups/rg-new?api-version=2025-04-01", "{\"location\":\"westus\"}");
    assertThat(put.status()).isEqualTo(403);
    assertThat(put.errorCode()).isEqualTo("AuthorizationFailed");
    assertThat(put.json().path("error").path("message").asText())
        .contains("Microsoft.Resources/subscriptions/resourceGroups/write");
    assertThat(a.client().get(sub + "/resourceGroups/rg-new?api-version=2025-04-01").status()).isEqualTo(404);
  }

  @Test
  void aRoleAtAResourceGroupIsInheritedByItsResourcesButNotBySiblings() {
    String sub = "/subscriptions/" + a.subscriptionId();
    assertThat(a.client().put(sub + "/resourceGroups/rg-other?api-version=2025-04-01", "{\"location\":\"westus\"}")
        .status()).isEqualTo(201);
    var operator = server.app().directory().createServicePrincipal(a.tenantId(), "group operator " + UUID.randomUUID(),
        null, null);
    server.app().roleAssignments().assign(UUID.randomUUID().toString(), sub + "/resourceGroups/rg-a",
        RoleDefinition.CONTRIBUTOR, operator.principal().objectId(), "ServicePrincipal");
    TestClient client = server.client().anonymous().withToken(server.token(operator.principal().appId().orElseThrow(),
        operator.clientSecret(), a.tenantId(), org.stackledger.app.Stackledger.CLOUD_AUDIENCE));
    assertThat(client.get(sub + "/resourceGroups/rg-a/providers/Microsoft.Authorization/locks/lock-a?api-version=2017-04-01")
        .status()).isEqualTo(200);
    assertThat(client.get(sub + "/resourceGroups/rg-other?api-version=2025-04-01").status()).isEqualTo(403);
    var assign = client.put(sub + "/resourceGroups/rg-a/providers/Microsoft.Authorization/roleAssignments/"
        + UUID.randomUUID() + "?api-version=2022-04-01", "{\"properties\":{\"roleDefinitionId\":\""
        + RoleDefinition.OWNER.id() + "\",\"principalId\":\"" + operator.principal().objectId() + "\"}}");
    assertThat(assign.status()).as("a Contributor cannot hand out roles").isEqualTo(403);
  }
}
