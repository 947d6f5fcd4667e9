package org.stackledger.usersubscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.usersubscriptions.Stack.V;

import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;

/**
 * Creating a user subscription writes its row, its ARM subscription, its first state and its owner's
 * role assignment: one transaction. The database refuses the owner's assignment (a constraint the
 * test adds for this subscription only), and nothing of the subscription may remain.
 */
@Tag("storage")
class UserSubscriptionTransactionsTest {
  private static final ServerPool SERVERS = new ServerPool();

  @AfterAll
  static void stop() throws Exception {
    SERVERS.close();
  }

  private static long count(Jdbi jdbi, String table, String subscriptionId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE subscription_id = :s")
        .bind("s", subscriptionId).mapTo(Long.class).one());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aSubscriptionWhoseOwnerAssignmentIsRefusedLeavesNothingBehind(Engine engine) throws Exception {
    Stack s = Stack.of(SERVERS.get(engine));
    Jdbi jdbi = s.server().app().database().jdbi();
    String offer = s.publicOffer("gold" + UUID.randomUUID().toString().substring(0, 6), "Public");
    Stack.Guest g = s.guest();
    String id = UUID.randomUUID().toString();
    String constraint = "refuse_" + id.substring(0, 8);
    jdbi.useHandle(h -> h.execute("ALTER TABLE role_assignments ADD CONSTRAINT " + constraint
        + " CHECK (scope_key <> '/subscriptions/" + id + "')"));

    TestClient.Response refused = s.admin().put(s.subscription(id) + V, Stack.body(g.upn(), g.tenant().tenantId(), offer));

    assertThat(refused.status()).as(refused.body()).isGreaterThanOrEqualTo(400);
    assertThat(s.server().app().userSubscriptions().find(id)).isEmpty();
    assertThat(s.server().app().cloudArm().subscriptions().find(id)).as("no ARM subscription").isEmpty();
    assertThat(count(jdbi, "user_subscription_states", id)).as("no state history").isZero();
    assertThat(count(jdbi, "role_assignments", id)).isZero();

    jdbi.useHandle(h -> h.execute("ALTER TABLE role_assignments DROP CONSTRAINT " + constraint));
    TestClient.Response made = s.admin().put(s.subscription(id) + V, Stack.body(g.upn(), g.tenant().tenantId(), offer));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    assertThat(count(jdbi, "user_subscription_states", id)).isEqualTo(1);
    assertThat(count(jdbi, "role_assignments", id)).isEqualTo(1);
  }
}
