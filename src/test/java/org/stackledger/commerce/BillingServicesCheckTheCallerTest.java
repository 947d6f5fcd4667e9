package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.YearMonth;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.app.Stackledger;
import org.stackledger.identity.Caller;
import org.stackledger.partnercenter.PartnerAccount;
import org.stackledger.problem.Problem;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestPartner;
import org.stackledger.testing.TestServer;

/**
 * The billing and Partner Center services called directly, with no HTTP in between, as the console
 * will call them: each service checks the caller it is handed, so a caller reads its own invoices and
 * customers, and another's answer "not found" exactly as over the API (invariant 6).
 */
@Tag("storage")
class BillingServicesCheckTheCallerTest {
  static final YearMonth OCTOBER = YearMonth.of(2026, 10);
  static PartnerViews v;
  static Stackledger app;
  static SubscriptionInvoices invoices;
  static BillingViews views;
  static PartnerAccount partnerCenter;

  @BeforeAll
  static void aMonthOfBilledUsage() throws Exception {
    v = new PartnerViews(Engine.H2, 24);
    app = v.w.server.app();
    // The services as the routes build them, from what the composition root hands the routes.
    invoices = new SubscriptionInvoices(app.cloudArm(), app.commerce(),
        new Explanations(app.cloudArm(), app.database().jdbi(), app.azureStack().store()));
    views = new BillingViews(app.cloudArm(), app.commerce(), app.partnerCenter(), app.roleAssignments(),
        app.directory());
    partnerCenter = app.partnerCenter().account();
  }

  @AfterAll
  static void close() throws Exception {
    if (v != null) { // null when this engine's run skipped the class
      v.close();
    }
  }

  static Caller caller(TestServer.TestTenant t) {
    return new Caller(t.tenantId(), t.objectId(), t.clientId(), Optional.empty(), "test");
  }

  static Caller caller(TestPartner p) {
    return new Caller(p.tenantId(), p.objectId(), p.clientId(), Optional.empty(), "test");
  }

  @Test
  void aCustomerReadsItsOwnInvoiceAndAnotherCustomersIsNotFound() {
    Caller first = caller(v.c1);
    Caller second = caller(v.c3);
    String own = v.c1.subscriptionId();

    Invoice invoice = invoices.invoice(first, own, OCTOBER.toString());
    assertThat(invoice.total()).isEqualByComparingTo(v.expectedTotals.get(own));
    assertThat(invoices.invoices(first, own)).extracting(Invoice::month).containsExactly(OCTOBER.toString());
    assertThat(invoices.line(first, own, OCTOBER.toString(), "1").path("line").path("line").asInt()).isEqualTo(1);

    // The second customer holds no role in the first one's subscription: it does not exist for it.
    assertThatThrownBy(() -> invoices.invoice(second, own, OCTOBER.toString()))
        .isInstanceOfSatisfying(Problem.NotFound.class, p -> assertThat(p.code()).isEqualTo("SubscriptionNotFound"));
    assertThatThrownBy(() -> invoices.invoices(second, own)).isInstanceOf(Problem.NotFound.class);
    assertThatThrownBy(() -> invoices.line(second, own, OCTOBER.toString(), "1")).isInstanceOf(Problem.NotFound.class);
    // A malformed month tells a stranger nothing either: the caller is checked first.
    assertThatThrownBy(() -> invoices.invoice(second, own, "2026-13")).isInstanceOf(Problem.NotFound.class);
  }

  @Test
  void theCrossSubscriptionViewsShowEachCallerOnlyWhatItsRolesReveal() {
    Caller first = caller(v.c1);
    Caller second = caller(v.c3);
    assertThat(views.invoices(first, Optional.of(OCTOBER))).extracting(Invoice::billingSubscriptionId)
        .containsExactly(v.c1.subscriptionId());
    // The second customer's usage is billed to the registration: it has no invoice, and sees none.
    assertThat(views.invoices(second, Optional.of(OCTOBER))).isEmpty();
    assertThat(views.reconciliation(second, OCTOBER)).doesNotContain(v.c1.subscriptionId());
    assertThat(views.report(second, MonthReport.Kind.cost, MonthReport.By.customer, OCTOBER).toString())
        .doesNotContain(v.c1.subscriptionId());
    // A partner sees its customer's invoice through admin-on-behalf-of, and no one else's.
    assertThat(views.invoices(caller(v.direct), Optional.empty())).extracting(Invoice::billingSubscriptionId)
        .containsExactly(v.contosoSub);
    assertThat(views.reconciliation(caller(v.direct), OCTOBER)).contains(v.contosoSub)
        .doesNotContain(v.c1.subscriptionId()).doesNotContain(v.fabrikamSub);
  }

  @Test
  void chargebackAndFinalizingAreTheOperatorsAlone() {
    assertThatThrownBy(() -> views.chargeback(caller(v.direct), OCTOBER))
        .isInstanceOfSatisfying(Problem.Forbidden.class, p -> assertThat(p.code()).isEqualTo("AuthorizationFailed"));
    assertThatThrownBy(() -> views.markups(caller(v.c1))).isInstanceOf(Problem.Forbidden.class);
    assertThatThrownBy(() -> invoices.finalizeInvoice(caller(v.c1), v.c1.subscriptionId(), OCTOBER.toString()))
        .isInstanceOf(Problem.Forbidden.class);
    assertThat(invoices.invoice(caller(v.c1), v.c1.subscriptionId(), OCTOBER.toString()).state())
        .isEqualTo(Invoice.State.Draft);
  }

  @Test
  void aPartnerReadsItsOwnCustomersAndAnotherPartnersAreNotFound() {
    Caller direct = caller(v.direct);
    Caller reseller = caller(v.reseller);
    assertThat(partnerCenter.customer(direct, v.contosoId).companyName()).isEqualTo(PartnerViews.CONTOSO);
    assertThat(partnerCenter.subscriptions(direct, v.contosoId)).extracting(s -> s.subscriptionId())
        .containsExactly(v.contosoSub);
    assertThat(partnerCenter.customers(reseller)).extracting(c -> c.customerId()).containsExactly(v.fabrikamId);

    assertThatThrownBy(() -> partnerCenter.customer(reseller, v.contosoId))
        .isInstanceOfSatisfying(Problem.NotFound.class, p -> assertThat(p.code()).isEqualTo("CustomerNotFound"));
    assertThatThrownBy(() -> partnerCenter.subscriptions(reseller, v.contosoId)).isInstanceOf(Problem.NotFound.class);
    assertThatThrownBy(() -> partnerCenter.subscription(reseller, v.fabrikamId, v.contosoSub))
        .as("a subscription of another partner's customer, asked under one's own customer")
        .isInstanceOfSatisfying(Problem.NotFound.class, p -> assertThat(p.code()).isEqualTo("SubscriptionNotFound"));
    // A customer's own directory is no partner's: it is refused before anything is looked up.
    assertThatThrownBy(() -> partnerCenter.customers(caller(v.c1)))
        .isInstanceOfSatisfying(Problem.Forbidden.class, p -> assertThat(p.code()).isEqualTo("PartnerNotFound"));
  }

  @Test
  void billingSettingsAndThePriceSheetAreTheOperatorsAlone() {
    BillingSettings settings = app.billing().settings();
    String currency = settings.currency();
    com.fasterxml.jackson.databind.node.ObjectNode change = org.stackledger.http.Json.object();
    change.put("currency", "EUR");
    for (Caller stranger : java.util.List.of(caller(v.direct), caller(v.c1))) {
      assertThatThrownBy(() -> settings.view(stranger))
          .isInstanceOfSatisfying(Problem.Forbidden.class, p -> assertThat(p.code()).isEqualTo("AuthorizationFailed"));
      // Refused before the change is looked at: an invalid one answers the same 403.
      assertThatThrownBy(() -> settings.put(stranger, org.stackledger.http.Json.object().put("currency", "??")))
          .isInstanceOf(Problem.Forbidden.class);
      assertThatThrownBy(() -> settings.put(stranger, change)).isInstanceOf(Problem.Forbidden.class);
      assertThatThrownBy(() -> app.operatorPriceSheet().inForce(stranger, null, null))
          .isInstanceOf(Problem.Forbidden.class);
      assertThatThrownBy(() -> app.operatorPriceSheet().importCsv(stranger, new java.io.StringReader("")))
          .isInstanceOfSatisfying(Problem.Forbidden.class, p -> assertThat(p.code()).isEqualTo("AuthorizationFailed"));
    }
    assertThat(settings.currency()).isEqualTo(currency);
  }

  @Test
  void partnerCenterAdministrationIsTheOperatorsAlone() {
    org.stackledger.partnercenter.PartnerAdmin admin = app.partnerAdmin();
    for (Caller stranger : java.util.List.of(caller(v.direct), caller(v.c1))) {
      assertThatThrownBy(() -> admin.partners(stranger))
          .isInstanceOfSatisfying(Problem.Forbidden.class, p -> assertThat(p.code()).isEqualTo("AuthorizationFailed"));
      assertThatThrownBy(() -> admin.partner(stranger, "not-a-guid")).isInstanceOf(Problem.Forbidden.class);
      assertThatThrownBy(() -> admin.writingPartners(stranger)).isInstanceOf(Problem.Forbidden.class);
      assertThatThrownBy(() -> admin.writingSubscriptions(stranger)).isInstanceOf(Problem.Forbidden.class);
      assertThatThrownBy(() -> admin.delete(stranger, v.contosoSub)).isInstanceOf(Problem.Forbidden.class);
      assertThatThrownBy(() -> admin.changeState(stranger, v.contosoSub, org.stackledger.arm.Subscription.State.Disabled,
          "suspend")).isInstanceOf(Problem.Forbidden.class);
      assertThatThrownBy(() -> admin.tenantListing(stranger, v.contosoId)).isInstanceOf(Problem.Forbidden.class);
      assertThatThrownBy(() -> admin.addTenant(stranger, v.contosoId, "x.onmicrosoft.local"))
          .isInstanceOf(Problem.Forbidden.class);
    }
    assertThat(partnerCenter.subscriptions(caller(v.direct), v.contosoId)).extracting(s -> s.subscriptionId())
        .containsExactly(v.contosoSub);
  }
}
