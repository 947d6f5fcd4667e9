package org.stackledger.stamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.app.Stackledger;
import org.stackledger.arm.Preconditions;
import org.stackledger.http.Json;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestServer;
import org.stackledger.usersubscriptions.Offering;

/**
 * The operator-only services of the stack plane called directly, with no HTTP in between, as the
 * console will call them: the stamp's activation and registration token, guest directories, user
 * subscriptions, plans and offers. Each checks the caller it is handed, so a tenant that is not the
 * operator is refused 403 {@code AuthorizationFailed} before anything about its request is looked at
 * (malformed ids here, which the operator would get a 400 for), and nothing changes.
 */
@Tag("storage")
class OperatorServicesCheckTheCallerTest {
  static TestServer server;
  static Stackledger app;
  static Caller stranger;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
    app = server.app();
    TestServer.TestTenant t = server.newTenant("stranger-" + System.nanoTime() + ".onmicrosoft.local");
    stranger = new Caller(t.tenantId(), t.objectId(), t.clientId(), Optional.empty(), "test");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) { // null when this engine's run skipped the class
      server.close();
    }
  }

  static void refused(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(Problem.Forbidden.class,
        p -> assertThat(p.code()).isEqualTo("AuthorizationFailed"));
  }

  @Test
  void theStampAndGuestDirectoriesRefuseAnyoneButTheOperator() {
    StampOperations stamp = app.stampOperations();
    refused(() -> stamp.info(stranger));
    refused(() -> stamp.history(stranger));
    refused(() -> stamp.activation(stranger, "not-a-guid"));
    refused(() -> stamp.issuingToken(stranger));
    refused(() -> stamp.activating(stranger, "not-a-guid"));
    refused(() -> stamp.deactivate(stranger, "not-a-guid"));
    GuestDirectoryAdmin guests = app.guestDirectoryAdmin();
    refused(() -> guests.listing(stranger, "not-a-guid", "?"));
    refused(() -> guests.get(stranger, "not-a-guid", "?", "?"));
    refused(() -> guests.onboarding(stranger, "not-a-guid", "?", "contoso.onmicrosoft.local"));
    refused(() -> guests.offboard(stranger, "not-a-guid", "?", "?"));
    assertThat(app.activations().history()).isEmpty();
    assertThat(app.guestDirectories().history()).isEmpty();
  }

  @Test
  void userSubscriptionsPlansAndOffersRefuseAnyoneButTheOperator() {
    String operator = app.operatorSubscriptionId();
    refused(() -> app.userSubscriptionWrites().writable(stranger, "not-a-guid"));
    refused(() -> app.userSubscriptionWrites().put(stranger, operator, "not-a-guid", Json.object(),
        Preconditions.NONE));
    refused(() -> app.userSubscriptionWrites().delete(stranger, operator, "not-a-guid", Preconditions.NONE));
    for (Offering.Kind kind : List.of(Offering.Kind.PLANS, Offering.Kind.OFFERS)) {
      refused(() -> app.offeringWrites().writable(stranger, kind, "not-a-guid", "?", "?"));
      refused(() -> app.offeringWrites().put(stranger, kind, operator, "rg", "name", Json.object(),
          Preconditions.NONE));
      refused(() -> app.offeringWrites().delete(stranger, kind, operator, "rg", "name", Preconditions.NONE));
    }
  }

  @Test
  void theDirectorysAdministrationRefusesAnyoneButTheOperator() {
    var tenants = app.directoryAdmin();
    refused(() -> tenants.tenants(stranger));
    refused(() -> tenants.tenant(stranger, "?"));
    refused(() -> tenants.writingTenants(stranger));
    refused(() -> tenants.principal(stranger, "?"));
    refused(() -> tenants.signingKeys(stranger));
    refused(() -> tenants.rotate(stranger));
    refused(() -> tenants.retire(stranger, "?"));
    var principals = app.principalAdmin();
    refused(() -> principals.servicePrincipals(stranger, "?"));
    refused(() -> principals.writingServicePrincipal(stranger, "?", "not-a-guid"));
    refused(() -> principals.addSecret(stranger, "?", "not-a-guid"));
    refused(() -> principals.writingUser(stranger, "?", "x@y"));
    refused(() -> principals.invitingGuest(stranger, "?", "not-a-guid"));
    refused(() -> principals.removeGuest(stranger, "?", "not-a-guid"));
  }
}
