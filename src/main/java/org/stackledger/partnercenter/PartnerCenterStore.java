package org.stackledger.partnercenter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.stackledger.arm.Subscription;

/** Partner Center's tables: partners, customers, customer_tenants, orders and the Partner Center columns of subscriptions. */
final class PartnerCenterStore {
  /** Every subscription with its billing partner; those made outside Partner Center have no offer or partner. */
  private static final String ANY_SUBSCRIPTION = "SELECT s.*, CASE WHEN p.kind = 'IndirectReseller' "
      + "THEN p.indirect_provider_id ELSE p.partner_id END AS billing_partner_id FROM subscriptions s "
      + "LEFT JOIN partners p ON p.partner_id = s.partner_id WHERE 1 = 1";
  /** The subscriptions Partner Center knows: those with an offer. */
  private static final String SUBSCRIPTION_SELECT = ANY_SUBSCRIPTION + " AND s.offer_id IS NOT NULL";

  private final Jdbi jdbi;
  private final Clock clock;

  PartnerCenterStore(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  void insertPartner(Handle h, Partner p) {
    h.createUpdate("INSERT INTO partners (partner_id, name, kind, indirect_provider_id, tenant_id, created_at) "
            + "VALUES (:id, :name, :kind, :provider, :tenant, :now)")
        .bind("id", p.partnerId()).bind("name", p.name()).bind("kind", p.kind().name())
        .bind("provider", p.indirectProviderId()).bind("tenant", p.tenantId())
        .bind("now", p.createdAt().atOffset(ZoneOffset.UTC)).execute();
  }

  void renamePartner(String partnerId, String name) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE partners SET name = :name WHERE partner_id = :id")
        .bind("name", name).bind("id", partnerId).execute());
  }

  Optional<Partner> partner(String partnerId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM partners WHERE partner_id = :id")
        .bind("id", partnerId.toLowerCase(Locale.ROOT)).map(PartnerCenterStore::partnerRow).findOne());
  }

  Optional<Partner> partnerByTenant(String tenantId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM partners WHERE tenant_id = :t")
        .bind("t", tenantId.toLowerCase(Locale.ROOT)).map(PartnerCenterStore::partnerRow).findOne());
  }

  List<Partner> partners(String after, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM partners WHERE partner_id > :after ORDER BY partner_id")
        .bind("after", after).setMaxRows(limit).map(PartnerCenterStore::partnerRow).list());
  }

  void insertCustomer(Handle h, Customer c) {
    h.createUpdate("INSERT INTO customers (customer_id, partner_id, company_name, domain, created_at) "
            + "VALUES (:id, :partner, :name, :domain, :now)")
        .bind("id", c.customerId()).bind("partner", c.partnerId()).bind("name", c.companyName())
        .bind("domain", c.domain()).bind("now", c.createdAt().atOffset(ZoneOffset.UTC)).execute();
    insertCustomerTenant(h, c.customerId(), c.customerId());
  }

  void insertCustomerTenant(Handle h, String customerId, String tenantId) {
    h.createUpdate("INSERT INTO customer_tenants (tenant_id, customer_id, added_at) VALUES (:t, :c, :now)")
        .bind("t", tenantId).bind("c", customerId).bind("now", now()).execute();
  }

  Optional<Customer> customer(String customerId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM customers WHERE customer_id = :id")
        .bind("id", customerId.toLowerCase(Locale.ROOT)).map(PartnerCenterStore::customerRow).findOne());
  }

  List<Customer> customers(String partnerId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM customers WHERE partner_id = :p ORDER BY customer_id")
        .bind("p", partnerId).map(PartnerCenterStore::customerRow).list());
  }

  /** The customer a tenant belongs to, if any. */
  Optional<String> customerOfTenant(String tenantId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT customer_id FROM customer_tenants WHERE tenant_id = :t")
        .bind("t", tenantId.toLowerCase(Locale.ROOT)).mapTo(String.class).findOne());
  }

  List<String> customerTenants(String customerId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT tenant_id FROM customer_tenants WHERE customer_id = :c "
            + "ORDER BY added_at, tenant_id")
        .bind("c", customerId).mapTo(String.class).list());
  }

  /** Inserts an Azure subscription with its Partner Center columns. */
  void insertSubscription(Handle h, String id, String name, String tenantId, String offerId, String partnerId,
      String customerId, String orderId, OffsetDateTime now) {
    h.createUpdate("INSERT INTO subscriptions (subscription_id, display_name, tenant_id, state, created_at, offer_id, "
            + "partner_id, customer_id, order_id) VALUES (:id, :name, :tenant, :state, :now, :offer, :partner, :customer, :order)")
        .bind("id", id).bind("name", name).bind("tenant", tenantId).bind("state", Subscription.State.Enabled.name())
        .bind("now", now).bind("offer", offerId).bind("partner", partnerId).bind("customer", customerId)
        .bind("order", orderId).execute();
  }

  void insertOrder(Handle h, String orderId, String customerId, String partnerId, String body, OffsetDateTime now) {
    h.createUpdate("INSERT INTO orders (order_id, customer_id, partner_id, body, created_at) "
            + "VALUES (:id, :customer, :partner, :body, :now)")
        .bind("id", orderId).bind("customer", customerId).bind("partner", partnerId).bind("body", body)
        .bind("now", now).execute();
  }

  Optional<String> order(String customerId, String orderId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT body FROM orders WHERE customer_id = :c AND order_id = :o")
        .bind("c", customerId).bind("o", orderId.toLowerCase(Locale.ROOT)).mapTo(String.class).findOne());
  }

  List<String> orders(String customerId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT body FROM orders WHERE customer_id = :c ORDER BY created_at, order_id")
        .bind("c", customerId).mapTo(String.class).list());
  }

  /** A Partner Center subscription (one with an offer), by its id. */
  Optional<PcSubscription> subscription(String subscriptionId) {
    return jdbi.withHandle(h -> h.createQuery(SUBSCRIPTION_SELECT + " AND s.subscription_id = :id")
        .bind("id", subscriptionId.toLowerCase(Locale.ROOT)).map(PartnerCenterStore::subscriptionRow).findOne());
  }

  List<PcSubscription> subscriptionsOfCustomer(String customerId) {
    return jdbi.withHandle(h -> h.createQuery(SUBSCRIPTION_SELECT + " AND s.customer_id = :c ORDER BY s.subscription_id")
        .bind("c", customerId).map(PartnerCenterStore::subscriptionRow).list());
  }

  /** Any subscription of the {@code subscriptions} table, Partner Center's or not (the operator's view). */
  Optional<PcSubscription> anySubscription(String subscriptionId) {
    return jdbi.withHandle(h -> h.createQuery(ANY_SUBSCRIPTION + " AND s.subscription_id = :id")
        .bind("id", subscriptionId.toLowerCase(Locale.ROOT)).map(PartnerCenterStore::subscriptionRow).findOne());
  }

  List<PcSubscription> subscriptions(String after, int limit) {
    return jdbi.withHandle(h -> h.createQuery(ANY_SUBSCRIPTION + " AND s.subscription_id > :after ORDER BY s.subscription_id")
        .bind("after", after).setMaxRows(limit).map(PartnerCenterStore::subscriptionRow).list());
  }

  void setState(String subscriptionId, Subscription.State state) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE subscriptions SET state = :state WHERE subscription_id = :id")
        .bind("state", state.name()).bind("id", subscriptionId).execute());
  }

  void rename(String subscriptionId, String name) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE subscriptions SET display_name = :name WHERE subscription_id = :id")
        .bind("name", name).bind("id", subscriptionId).execute());
  }

  private static Partner partnerRow(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Partner(rs.getString("partner_id"), rs.getString("name"), PartnerKind.valueOf(rs.getString("kind")),
        rs.getString("indirect_provider_id"), rs.getString("tenant_id"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  private static Customer customerRow(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Customer(rs.getString("customer_id"), rs.getString("partner_id"), rs.getString("company_name"),
        rs.getString("domain"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  private static PcSubscription subscriptionRow(ResultSet rs, StatementContext ctx) throws SQLException {
    return new PcSubscription(rs.getString("subscription_id"), rs.getString("display_name"), rs.getString("tenant_id"),
        Subscription.State.valueOf(rs.getString("state")), rs.getString("offer_id"), rs.getString("partner_id"),
        rs.getString("billing_partner_id"), rs.getString("customer_id"), rs.getString("order_id"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }
}
