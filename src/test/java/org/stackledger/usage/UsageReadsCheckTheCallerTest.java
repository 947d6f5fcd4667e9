package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stackledger.usage.UsageFixture.lastHour;
import static org.stackledger.usage.UsageFixture.send;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.app.Stackledger;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;
import org.stackledger.testing.Engine;
import org.stackledger.usersubscriptions.Stack;

/**
 * The usage reads called directly, with no HTTP in between, as the console will call them: a tenant
 * reads its own subscription's usage, another tenant's answers "not found", and a delegated provider
 * reads its direct tenants and no one else (invariant 6).
 */
@Tag("storage")
class UsageReadsCheckTheCallerTest {
  @Test
  void aTenantReadsItsOwnUsageAndAnotherTenantsIsNotFound() throws Exception {
    try (UsageFixture.World w = new UsageFixture.World(Engine.H2)) {
      Stackledger app = w.server.app();
      Instant now = w.clock.instant();
      send(w.intake(), List.of(lastHour(w.a, now, "vm-a"), lastHour(w.b, now, "vm-b"), lastHour(w.d, now, "vm-d")));
      w.clock.advance(Duration.ofHours(2));
      Instant from = now.truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
      Instant to = from.plus(2, ChronoUnit.HOURS);
      UsageReads reads = new UsageReads(app.cloudArm(), new UsageQueries(app.database().jdbi()),
          app.usage().aggregator());
      Caller alice = user(app, w.alice);
      Caller bob = user(app, w.bob);

      UsageReads.Grant own = reads.tenant(alice, w.a);
      List<UsageQueries.Row> rows = reads.subscription(own, from, to, UsageQueries.Granularity.HOURLY, false, null, 100)
          .rows();
      assertThat(rows).extracting(UsageQueries.Row::subscriptionId).containsOnly(w.a).isNotEmpty();

      assertThatThrownBy(() -> reads.tenant(bob, w.a))
          .isInstanceOfSatisfying(Problem.NotFound.class, p -> assertThat(p.code()).isEqualTo("SubscriptionNotFound"));
      assertThatThrownBy(() -> reads.provider(alice, w.p, "Microsoft.Commerce.Admin"))
          .as("a tenant is no provider of another's subscription").isInstanceOf(Problem.NotFound.class);

      // The delegated provider reads its direct tenant, and is refused any other subscription.
      Caller reseller = user(app, w.reseller);
      UsageReads.Grant provider = reads.provider(reseller, w.p, "Microsoft.Commerce.Admin");
      assertThat(reads.directTenants(provider, null, from, to, UsageQueries.Granularity.HOURLY, false, null, 100).rows())
          .extracting(UsageQueries.Row::subscriptionId).containsOnly(w.d).isNotEmpty();
      assertThatThrownBy(() -> reads.directTenants(provider, w.a, from, to, UsageQueries.Granularity.HOURLY, false, null,
          100)).isInstanceOfSatisfying(Problem.Invalid.class,
              p -> assertThat(p.code()).isEqualTo("SubscriberIdIsNotDirectTenant"));
    }
  }

  /** The guest's user, who owns its subscription, as the stack's identity would name it. */
  private static Caller user(Stackledger app, Stack.Guest g) {
    String objectId = app.directory().principalByUpn(g.upn()).orElseThrow().objectId();
    return new Caller(g.tenant().tenantId(), objectId, "04b07795-8ddb-461a-bbee-02f9e1bf7b46", Optional.of(g.upn()),
        "test");
  }
}
