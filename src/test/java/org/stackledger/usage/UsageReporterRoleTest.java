package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.stackledger.access.RoleDefinition;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The deployment's infrastructure identity: a service principal holding only Stackledger Usage
 * Reporter at the root scope reports usage, and can do nothing else the operator can.
 */
class UsageReporterRoleTest {
  @Test
  void aUsageReporterReportsUsageAndReadsNothing() throws Exception {
    try (TestServer server = TestServer.start(Engine.H2)) {
      Stackledger app = server.app();
      var sp = app.directory().createServicePrincipal(app.homeTenantId(), "compute provider", null, null);
      app.roleAssignments().assign(UUID.randomUUID().toString(), "/", RoleDefinition.USAGE_REPORTER,
          sp.principal().objectId(), "ServicePrincipal");
      TestClient reporter = new TestClient(app.url(EndpointRole.STACK_ADMIN_ARM), app.certificate()).withToken(
          server.token(sp.principal().appId().orElseThrow(), sp.clientSecret(), app.homeTenantId(),
              Stackledger.STACK_ADMIN_AUDIENCE));
      // An unknown subscription is the intake's own refusal: the reporter got past authorization.
      Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
      String event = "[{\"eventId\":\"e1\",\"subscriptionId\":\"" + UUID.randomUUID() + "\",\"meterId\":"
          + "\"FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5\",\"quantity\":1,\"usageStartTime\":\"" + hour + "\","
          + "\"usageEndTime\":\"" + hour.plusSeconds(60) + "\",\"resourceUri\":\"/x\",\"location\":\"local\"}]";
      TestClient.Response r = reporter.post(UsageFixture.INTAKE, event);
      assertThat(r.errorCode()).as(r.body()).isEqualTo("UnknownSubscription");
      TestClient.Response read = reporter.get("/subscriptions/" + app.operatorSubscriptionId()
          + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates?api-version=2015-06-01-preview"
          + "&reportedStartTime=2026-01-01T00:00:00Z&reportedEndTime=2026-01-02T00:00:00Z");
      assertThat(read.status()).isIn(403, 404);
      TestClient.Response plans = reporter.get("/subscriptions/" + app.operatorSubscriptionId()
          + "/providers/Microsoft.Subscriptions.Admin/subscriptions?api-version=2015-11-01");
      assertThat(plans.status()).isEqualTo(403);
    }
  }
}
