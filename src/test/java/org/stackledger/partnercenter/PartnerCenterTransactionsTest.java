package org.stackledger.partnercenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.access.RoleAssignments;
import org.stackledger.directory.Directory;
import org.stackledger.directory.Principal;
import org.stackledger.store.Database;
import org.stackledger.testing.Engine;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestDatabases;

/**
 * "A refused request changes nothing": each Partner Center operation that writes to several tables
 * (directory tenant, principal, secret, partner or customer row, subscriptions, order, guest
 * membership, role assignment) commits all of them or none. The last write of each is made to fail
 * for real — a taken key, or a constraint the test adds to the table, so the database itself refuses
 * the row — and every table must then hold exactly the rows it held before.
 */
@Tag("storage")
class PartnerCenterTransactionsTest {
  /** Every table a Partner Center operation writes to. */
  private static final List<String> TABLES = List.of("directory_tenants", "principals", "client_secrets", "partners",
      "customers", "customer_tenants", "subscriptions", "orders", "guest_memberships", "role_assignments");

  @TempDir
  Path tempDir;

  private Database open(Engine engine) {
    String url = TestDatabases.fresh(engine);
    return engine == Engine.H2 ? Database.embedded(tempDir.resolve("data")) : Database.open(url, null, null);
  }

  private static PartnerCenter partnerCenter(Database db) {
    SteppingClock clock = new SteppingClock();
    Directory directory = new Directory(db.jdbi(), clock);
    return new PartnerCenter(db.jdbi(), clock, directory, new RoleAssignments(db.jdbi(), clock));
  }

  private static Map<String, Long> rows(Database db) {
    Map<String, Long> counts = new LinkedHashMap<>();
    db.jdbi().useHandle(h -> TABLES.forEach(t -> counts.put(t,
        h.createQuery("SELECT COUNT(*) FROM " + t).mapTo(Long.class).one())));
    return counts;
  }

  /** A constraint that refuses rows matching {@code refused}: the database's own refusal, on both engines. */
  private static void refuse(Database db, String table, String refused) {
    db.jdbi().useHandle(h -> h.execute("ALTER TABLE " + table + " ADD CONSTRAINT refused_by_test CHECK (NOT (" + refused
        + "))"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aPartnerWhoseRowIsRefusedLeavesNoTenantPrincipalOrSecretBehind(Engine engine) {
    try (Database db = open(engine)) {
      PartnerCenter pc = partnerCenter(db);
      pc.createPartner("contoso", "Contoso", PartnerKind.Direct, null, "contoso.onmicrosoft.local");
      Map<String, Long> before = rows(db);

      // The partner row is the last write; its id is taken, so the primary key refuses it.
      assertThatThrownBy(() -> pc.createPartner("contoso", "Contoso again", PartnerKind.Direct, null,
          "contoso2.onmicrosoft.local"))
          .isInstanceOf(JdbiException.class)
          .satisfies(e -> assertThat(Database.isUniqueViolation(e)).isTrue());

      assertThat(rows(db)).isEqualTo(before);
      Directory directory = new Directory(db.jdbi(), new SteppingClock());
      assertThat(directory.tenant("contoso2.onmicrosoft.local")).as("the new domain stays free").isEmpty();
      PartnerCenter.NewPartner again = pc.createPartner("fabrikam", "Fabrikam", PartnerKind.Direct, null,
          "contoso2.onmicrosoft.local");
      assertThat(again.domain()).isEqualTo("contoso2.onmicrosoft.local");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aCustomerWhoseTenantLinkIsRefusedLeavesNoTenantOrCustomerBehind(Engine engine) {
    try (Database db = open(engine)) {
      PartnerCenter pc = partnerCenter(db);
      Partner partner = pc.createPartner("contoso", "Contoso", PartnerKind.Direct, null, "contoso.onmicrosoft.local")
          .partner();
      // The customer's link to its own tenant is the last of its three writes.
      refuse(db, "customer_tenants", "customer_id = tenant_id");
      Map<String, Long> before = rows(db);

      assertThatThrownBy(() -> pc.createCustomer(partner, "Northwind", "northwind.onmicrosoft.local"))
          .isInstanceOf(JdbiException.class)
          .satisfies(e -> assertThat(Database.isIntegrityViolation(e)).isTrue());

      assertThat(rows(db)).isEqualTo(before);
      assertThat(pc.customers(partner)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anOrderWhoseOwnerAssignmentIsRefusedLeavesNoSubscriptionOrderOrGuestBehind(Engine engine) {
    try (Database db = open(engine)) {
      PartnerCenter pc = partnerCenter(db);
      Directory directory = new Directory(db.jdbi(), new SteppingClock());
      PartnerCenter.NewPartner made = pc.createPartner("contoso", "Contoso", PartnerKind.Direct, null,
          "contoso.onmicrosoft.local");
      Partner partner = made.partner();
      Customer customer = pc.createCustomer(partner, "Northwind", "northwind.onmicrosoft.local");
      Principal orderer = directory.principalByAppId(made.adminClientId()).orElseThrow();
      // Owner on the new subscription is the order's last write (after subscriptions, order row and guest membership).
      refuse(db, "role_assignments", "principal_id = '" + orderer.objectId() + "'");
      Map<String, Long> before = rows(db);

      List<PartnerCenter.Line> lines = List.of(new PartnerCenter.Line(1, "MS-AZR-0146P", "first", null),
          new PartnerCenter.Line(2, "MS-AZR-0146P", "second", null));
      assertThatThrownBy(() -> pc.order(partner, customer, orderer.objectId(), lines, placed -> "{}"))
          .isInstanceOf(JdbiException.class)
          .satisfies(e -> assertThat(Database.isIntegrityViolation(e)).isTrue());

      assertThat(rows(db)).isEqualTo(before);
      assertThat(pc.subscriptionsOf(customer)).isEmpty();
      assertThat(pc.orders(customer)).isEmpty();
      assertThat(directory.isGuest(customer.customerId(), orderer.objectId())).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anOrderThatSucceedsWritesEveryRowTogether(Engine engine) {
    try (Database db = open(engine)) {
      PartnerCenter pc = partnerCenter(db);
      Directory directory = new Directory(db.jdbi(), new SteppingClock());
      PartnerCenter.NewPartner made = pc.createPartner("contoso", "Contoso", PartnerKind.Direct, null,
          "contoso.onmicrosoft.local");
      Customer customer = pc.createCustomer(made.partner(), "Northwind", "northwind.onmicrosoft.local");
      Principal orderer = directory.principalByAppId(made.adminClientId()).orElseThrow();
      Map<String, Long> before = rows(db);

      PartnerCenter.Placed placed = pc.order(made.partner(), customer, orderer.objectId(),
          List.of(new PartnerCenter.Line(1, "MS-AZR-0146P", "first", null)), p -> "{}");

      Map<String, Long> after = rows(db);
      assertThat(after.get("subscriptions") - before.get("subscriptions")).isEqualTo(1);
      assertThat(after.get("orders") - before.get("orders")).isEqualTo(1);
      assertThat(after.get("guest_memberships") - before.get("guest_memberships")).isEqualTo(1);
      assertThat(after.get("role_assignments") - before.get("role_assignments")).isEqualTo(1);
      assertThat(pc.subscription(placed.subscriptionIds().get(0))).isPresent();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aNewCustomerTenantWhoseLinkIsRefusedLeavesNoTenantBehind(Engine engine) {
    try (Database db = open(engine)) {
      PartnerCenter pc = partnerCenter(db);
      Partner partner = pc.createPartner("contoso", "Contoso", PartnerKind.Direct, null, "contoso.onmicrosoft.local")
          .partner();
      Customer customer = pc.createCustomer(partner, "Northwind", "northwind.onmicrosoft.local");
      refuse(db, "customer_tenants", "customer_id <> tenant_id");
      Map<String, Long> before = rows(db);

      assertThatThrownBy(() -> pc.addCustomerTenant(customer, "northwind-eu.onmicrosoft.local"))
          .isInstanceOf(JdbiException.class);

      assertThat(rows(db)).isEqualTo(before);
      assertThat(new Directory(db.jdbi(), new SteppingClock()).tenant("northwind-eu.onmicrosoft.local")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aDirectSubscriptionWhoseOwnerAssignmentIsRefusedIsNotMade(Engine engine) {
    try (Database db = open(engine)) {
      PartnerCenter pc = partnerCenter(db);
      Directory directory = new Directory(db.jdbi(), new SteppingClock());
      PartnerCenter.NewPartner made = pc.createPartner("contoso", "Contoso", PartnerKind.Direct, null,
          "contoso.onmicrosoft.local");
      Customer customer = pc.createCustomer(made.partner(), "Northwind", "northwind.onmicrosoft.local");
      Principal owner = directory.principalByAppId(made.adminClientId()).orElseThrow();
      String subscriptionId = "0f8fad5b-d9cb-469f-a165-70867728950e";
      refuse(db, "role_assignments", "subscription_id = '" + subscriptionId + "'");
      Map<String, Long> before = rows(db);

      assertThatThrownBy(() -> pc.createDirect(subscriptionId, "direct", "MS-AZR-0146P", customer.customerId(),
          made.partner(), customer, owner)).isInstanceOf(JdbiException.class);

      assertThat(rows(db)).isEqualTo(before);
      assertThat(pc.anySubscription(subscriptionId)).isEmpty();
    }
  }
}
