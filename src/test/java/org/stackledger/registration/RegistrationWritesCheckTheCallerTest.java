package org.stackledger.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.stackledger.testing.ArmCalls.assertError;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.ApiException;
import org.stackledger.http.Json;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;
import org.stackledger.testing.Engine;
import org.stackledger.testing.FakePartnerCenter;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The registration and customer-subscription writes called directly, with no HTTP in between, as the
 * console will call them (the partner's seed operation): each checks the caller it is handed, so a
 * partner maps customers onto its own registration, and another partner is refused exactly as over
 * the API — same status, code, message and target, before anything about its request is looked at.
 */
@Tag("storage")
class RegistrationWritesCheckTheCallerTest {
  static final FakePartnerCenter PARTNER_CENTER = new FakePartnerCenter();
  static TestServer server;
  static Seed.Registration own;
  static Seed.Registration other;
  static TestServer.TestTenant customer;
  static CustomerSubscriptionWrites customerSubscriptions;
  static RegistrationWrites registrations;

  @BeforeAll
  static void twoPartnersWithARegistrationEach() throws Exception {
    server = TestServer.start(Engine.H2, o -> o.withCspSubscriptions(PARTNER_CENTER));
    own = Seed.registered(server, PARTNER_CENTER, true);
    other = Seed.registered(server, PARTNER_CENTER, true);
    customer = Seed.customer(server, PARTNER_CENTER, own.partnerId());
    customerSubscriptions = server.app().azureStack().customerSubscriptionWrites();
    registrations = server.app().azureStack().registrationWrites();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) { // null when this engine's run skipped the class
      server.close();
    }
  }

  static Caller caller(TestServer.TestTenant t) {
    return new Caller(t.tenantId(), t.objectId(), t.clientId(), Optional.empty(), "test");
  }

  static ResourceId id(Seed.Registration r) {
    return ResourceId.parse(r.path());
  }

  /** The refusal as the HTTP edge would send it, to compare with what the API answered. */
  static void sameAs(Problem refused, TestClient.Response overHttp) {
    ApiException sent = ApiException.of(refused);
    assertThat(sent.status()).isEqualTo(overHttp.status());
    assertThat(sent.code()).isEqualTo(overHttp.errorCode());
    assertThat(sent.getMessage()).isEqualTo(overHttp.json().path("error").path("message").asText());
    assertThat(Optional.ofNullable(sent.target()).orElse(""))
        .isEqualTo(overHttp.json().path("error").path("target").asText(""));
  }

  @Test
  void anotherPartnerMappingOntoTheRegistrationIsRefusedAsOverHttp() {
    String name = customer.subscriptionId();
    TestClient.Response overHttp = other.client().put(own.customerSubscription(name), null);
    assertError(overHttp, 404, "SubscriptionNotFound");

    Problem refused = catchThrowableOfType(() -> customerSubscriptions.put(caller(other.partner()), id(own), name,
        null, Preconditions.NONE), Problem.class);
    sameAs(refused, overHttp);
    // A malformed request tells the stranger nothing more: the caller is checked first, as over HTTP.
    ObjectNode badTenant = Json.object();
    badTenant.putObject("properties").put("tenantId", "not-a-guid");
    sameAs(catchThrowableOfType(() -> customerSubscriptions.put(caller(other.partner()), id(own), "not-a-guid",
        badTenant, Preconditions.NONE), Problem.class), overHttp);

    TestClient.Response deleteOverHttp = other.client().delete(own.customerSubscription(name));
    sameAs(catchThrowableOfType(() -> customerSubscriptions.delete(caller(other.partner()), id(own), name,
        Preconditions.NONE), Problem.class), deleteOverHttp);

    // Nothing was mapped by either refusal.
    assertThat(own.client().get(own.customerSubscriptions()).json().path("value")).isEmpty();
  }

  @Test
  void thePartnerMapsItsCustomerWithoutHttpAndTheApiSeesIt() {
    String name = customer.subscriptionId();
    assertThat(customerSubscriptions.put(caller(own.partner()), id(own), name, null, Preconditions.NONE)
        .body().path("properties").path("tenantId").asText()).isEqualTo(customer.tenantId());
    assertThat(own.client().get(own.customerSubscription(name)).status()).isEqualTo(200);

    assertThat(customerSubscriptions.delete(caller(own.partner()), id(own), name, Preconditions.NONE)).isTrue();
    assertThat(own.client().get(own.customerSubscription(name)).status()).isEqualTo(404);
  }

  @Test
  void anotherPartnerWritingOrDeletingTheRegistrationIsRefusedAsOverHttp() {
    String body = Seed.body(Seed.token(own.cloudId(), BillingModel.PayAsYouUse, true, null));
    TestClient.Response overHttp = other.client().put(own.url(), body);
    assertError(overHttp, 404, "SubscriptionNotFound");
    sameAs(catchThrowableOfType(() -> registrations.writable(caller(other.partner()), id(own)), Problem.class),
        overHttp);
    sameAs(catchThrowableOfType(() -> registrations.delete(caller(other.partner()), id(own), Preconditions.NONE),
        Problem.class), other.client().delete(own.url()));
    assertThat(own.client().get(own.url()).status()).isEqualTo(200);
  }
}
