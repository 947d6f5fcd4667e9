package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.stackledger.registration.BillingModel;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestPartner;

/**
 * The reconciliation file carries names that partners and tenants chose (the customer's company
 * name, the resource ids of its usage) into the spreadsheet a partner opens: a name that would run as
 * a formula is a text cell there, and the amounts stay numbers.
 */
class ReconciliationFormulaTest {
  @Test
  void aCustomerNamedLikeAFormulaIsATextCellAndTheAmountsStayNumbers() throws Exception {
    try (CommerceWorld w = new CommerceWorld(Engine.H2, PartnerViews.OCT, BillingModel.PayAsYouUse)) {
      TestPartner direct = TestPartner.create(w.server, "Direct", null);
      String company = "=1+2, Ltd.";
      var made = direct.newCustomer(company);
      assertThat(made.status()).as(made.body()).isEqualTo(201);
      String customerId = made.json().path("id").asText();
      var order = direct.orderCsp(customerId, "formula");
      assertThat(order.status()).as(order.body()).isEqualTo(201);
      String sub = order.json().path("lineItems").path(0).path("subscriptionId").asText();
      w.partnerCenter.csp(sub, customerId, w.registration.partnerId());
      w.map(sub, customerId);
      w.at(PartnerViews.NOV.plus(Duration.ofHours(2)));
      String localSub = UUID.randomUUID().toString();
      var sent = w.upload(w.cloudId() + ":formula", List.of(new CommerceWorld.Rec(localSub, customerId,
          PartnerViews.BASE_VM, "Microsoft.Compute/virtualMachines/@vm", PartnerViews.OCT,
          PartnerViews.OCT.plus(Duration.ofHours(1)), new BigDecimal("12.5"))));
      assertThat(sent.status()).as(sent.body()).isEqualTo(200);

      String file = BillingViewsTest.reconciliation(w.operator());
      List<List<String>> rows = PartnerViews.csv(file);
      List<String> row = rows.stream().filter(r -> r.get(2).equals(sub)).findFirst().orElseThrow();
      assertThat(row.get(0)).as("the customer column").isEqualTo("'" + company);
      assertThat(file).contains("\"'=1+2, Ltd.\",");
      assertThat(row.get(10)).as("the quantity").isEqualTo("12.5");
      assertThat(new BigDecimal(row.get(13))).as("the amount").isPositive();
      assertThat(row.get(19)).endsWith("/virtualMachines/@vm");
    }
  }
}
