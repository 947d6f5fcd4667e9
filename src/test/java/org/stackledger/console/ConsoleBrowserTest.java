package org.stackledger.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.stackledger.app.EndpointRole;
import org.stackledger.http.Json;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.testing.TestClient;

/**
 * The console in a real browser over a small billed world: the operator's views, the partner adding
 * and removing a customer subscription (and a refusal in words) and opening a customer's invoice, a
 * customer's usage chart against the usage API, an invoice line's explanation, and another customer's
 * invoice address answering the not-found page. Every view is saved to {@code target/screenshots/}.
 */
class ConsoleBrowserTest {
  private static ConsoleWorld world;
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Browser.available(), "chromium and chromedriver are not installed (.ci/run installs them)");
    world = ConsoleWorld.build();
    browser = new Browser(world.console());
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (world != null) {
      world.close();
    }
  }

  private static void signInAsOperator(String returnTo) {
    browser.signIn(world.operator.tenant(), world.operator.upn(), world.operator.password(), returnTo);
  }

  private static void signInAsPartner(String returnTo) {
    browser.signIn(world.partner.tenant(), world.partner.upn(), world.partner.password(), returnTo);
  }

  private static void signInAsCustomer(SimulatedCloud.Customer c, String returnTo) {
    browser.signIn(c.domain(), c.ownerUpn(), c.ownerPassword(), returnTo);
  }

  @Test
  void theOperatorThePartnerAndACustomerEachSignInOnTheIdentityEndpointsPage() {
    browser.startSignIn(world.operator.tenant(), "/admin").screenshot("signin");
    assertThat(browser.find(By.cssSelector("label[for=username]")).getText()).isEqualTo("User name");
    assertThat(browser.find(By.cssSelector("label[for=password]")).getText()).isEqualTo("Password");
    browser.narrow().screenshot("signin-narrow");
    assertThat(browser.find(By.id("signin")).isDisplayed()).isTrue();
    browser.wide();

    signInAsOperator("/admin");
    assertThat(browser.title()).as(browser.text()).isEqualTo("Dashboard");
    assertThat(page()).contains("Operator");

    signInAsPartner("/partner");
    assertThat(browser.driver().getCurrentUrl()).endsWith("/partner");
    assertThat(page()).contains("Partner admin of").contains(world.customer(1).domain());

    SimulatedCloud.Customer c = world.customer(1);
    signInAsCustomer(c, "/invoices");
    assertThat(browser.driver().getCurrentUrl()).endsWith("/invoices");
    assertThat(browser.title()).as(browser.text()).isEqualTo("Invoices");
    assertThat(page()).doesNotContain(world.customer(2).cspSubscriptionId());
  }

  @Test
  void aWrongPasswordKeepsThePersonOnTheSignInPageWithTheProblemSaid() {
    browser.startSignIn(world.operator.tenant(), "/admin");
    browser.find(By.id("username")).sendKeys(world.operator.upn());
    browser.find(By.id("password")).sendKeys("not-the-password");
    browser.submit(By.id("signin"));

    assertThat(browser.find(By.id("problem")).getText()).contains("Your account or password is incorrect");
    assertThat(browser.find(By.id("username")).getAttribute("value")).isEqualTo(world.operator.upn());
    browser.screenshot("signin-refused");
  }

  private static String page() {
    return browser.find(By.tagName("body")).getText();
  }

  @Test
  void theOperatorSeesTheDashboardUsageExplorerAndTheMoneyViews() {
    signInAsOperator("/");

    assertThat(browser.title()).as(browser.text()).isEqualTo("Dashboard");
    assertThat(browser.text()).contains("Registered").contains(world.world.cloudId()).contains("Usage bridge");
    browser.screenshot("operator-dashboard");

    browser.open("/admin/usage?from=" + world.day + "&to=" + world.day.plusDays(1) + "&granularity=Hourly");
    assertThat(browser.title()).as(browser.text()).isEqualTo("Usage explorer");
    assertThat(browser.find(By.cssSelector("#usage-chart canvas")).isDisplayed()).isTrue();
    assertThat(browser.text()).contains(world.customer(1).localSubscriptionId());
    browser.screenshot("operator-usage-explorer");

    browser.open("/admin/tenants");
    assertThat(browser.text()).contains(world.customer(1).domain());
    browser.screenshot("operator-tenants");
    browser.open("/admin/prices");
    assertThat(browser.text()).contains("Prices in force (USD)");
    browser.screenshot("operator-price-sheet");
    browser.open("/admin/billing-settings");
    browser.screenshot("operator-billing-settings");
    browser.open("/admin/chargeback?month=" + world.month);
    assertThat(browser.title()).as(browser.text()).isEqualTo("Chargeback " + world.month);
    browser.screenshot("operator-chargeback");
    browser.narrow().open("/admin").screenshot("operator-dashboard-narrow").wide();

    browser.open("/admin/usage?from=yesterday");
    assertThat(browser.title()).isEqualTo("The request was refused");
    assertThat(browser.text()).contains("InvalidParameter (from)");
    browser.screenshot("error-bad-choice");
  }

  /**
   * Accessible basics on every view of the three kinds of person, at 1280×800 and at a phone's width: each
   * field has a label (a {@code label for} or an {@code aria-label}), the page is not wider than the
   * screen (wide tables scroll inside their own box, long words wrap), and the keyboard's first stop is
   * the skip link or the navigation.
   */
  @Test
  void everyViewIsLabelledFitsANarrowScreenAndStartsWithTheNavigation() {
    SimulatedCloud.Customer c = world.customer(1);
    String invoice = c.cspSubscriptionId() + "/" + world.month;
    signInAsOperator("/admin");
    accessible("/admin", "/admin/tenants", "/admin/usage?from=" + world.day + "&to=" + world.day.plusDays(1)
        + "&granularity=Hourly", "/admin/prices", "/admin/billing-settings", "/admin/chargeback?month=" + world.month);
    signInAsPartner("/partner");
    accessible("/partner", "/partner/registration?id=" + java.net.URLEncoder.encode(world.world.registration().id(),
        java.nio.charset.StandardCharsets.UTF_8), "/partner/invoices?month=" + world.month, "/partner/invoices/" + invoice,
        "/partner/reconciliation");
    signInAsCustomer(c, "/");
    accessible("/", "/usage?subscription=" + c.localSubscriptionId() + "&from=" + world.day + "&to="
        + world.day.plusDays(1) + "&granularity=Hourly", "/invoices", "/invoices/" + invoice, "/invoices/" + invoice
        + "/lines/1");
  }

  private static void accessible(String... views) {
    org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) browser.driver();
    for (boolean narrow : new boolean[] {false, true}) {
      for (String view : views) {
        browser.open(view);
        assertThat(browser.title()).as(view).isNotIn("Not found", "The request was refused", "Something went wrong");
        if (narrow) {
          browser.narrow();
        }
        Object unlabelled = js.executeScript("return [...document.querySelectorAll('input:not([type=hidden]),select,"
            + "textarea')].filter(e => !e.getAttribute('aria-label') && !(e.id && document.querySelector("
            + "'label[for=\"' + e.id + '\"]'))).map(e => e.name || e.outerHTML.slice(0, 80))");
        assertThat((List<?>) unlabelled).as("fields without a label on %s", view).isEmpty();
        Object overflow = js.executeScript("return document.documentElement.scrollWidth - window.innerWidth");
        assertThat(((Number) overflow).longValue()).as("%s wider than a %s screen", view, narrow ? "narrow" : "wide")
            .isLessThanOrEqualTo(0);
      }
      browser.wide();
    }
    browser.open(views[0]);
    browser.find(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
    Object first = js.executeScript("const a = document.activeElement; return a.closest('nav, header') !== null || "
        + "(a.getAttribute('href') || '').startsWith('#')");
    assertThat((Boolean) first).as("the first tab stop on %s is the skip link or the navigation", views[0]).isTrue();
  }

  @Test
  void aPriceSheetWithProblemsIsRefusedWithEveryProblemShown() {
    signInAsOperator("/admin/prices");
    browser.find(By.id("f-csv")).sendKeys("meterId,commerceMeterId,meterName,currency,unitPrice,pricingUnit,unitDivisor,effectiveFrom\n"
        + "NoSuchMeter,,,USD,1,,,2026-01-01T00:00:00Z\n"
        + "F271A8A388C44D93956A063E1D2FA80B,,,USD,-1,,,2026-01-01T00:00:00Z\n");
    browser.submit(By.cssSelector("form.post button[type=submit]"));

    assertThat(browser.text()).contains("InvalidPriceSheet").contains("UnknownMeter").contains("InvalidUnitPrice")
        .contains("row 2").contains("row 3");
    assertThat(browser.find(By.id("f-csv")).getAttribute("value")).contains("NoSuchMeter");
    browser.screenshot("operator-price-sheet-refused");
  }

  @Test
  void thePartnerAddsAndRemovesACustomerSubscriptionAndSeesARefusalInWords() {
    signInAsPartner("/");
    assertThat(browser.title()).as(browser.text()).isEqualTo("Customers");
    assertThat(browser.text()).contains(world.customer(2).cspSubscriptionId());
    browser.screenshot("partner-customers");

    browser.submit(By.linkText("AzureStack-" + world.world.cloudId()));
    assertThat(browser.title()).as(browser.text()).startsWith("Registration");
    assertThat(browser.find(By.cssSelector(".timeline")).getText()).contains(world.customer(1).cspSubscriptionId());
    browser.screenshot("partner-registration-timeline");

    String second = world.customer(2).cspSubscriptionId();
    browser.find(By.id("f-subscription")).sendKeys(second);
    browser.submit(By.cssSelector("form.post:not([id]) button[type=submit]"));
    assertThat(browser.text()).contains("Added");
    assertThat(browser.find(By.id("remove-" + second)).isDisplayed()).isTrue();
    browser.screenshot("partner-customer-subscription-added");

    browser.submit(By.cssSelector("#remove-" + second + " button"));
    assertThat(browser.text()).contains("Removed");
    assertThat(browser.driver().findElements(By.id("remove-" + second))).isEmpty();

    browser.find(By.id("f-subscription")).sendKeys("not-a-subscription");
    browser.submit(By.cssSelector("form.post:not([id]) button[type=submit]"));
    assertThat(browser.find(By.cssSelector(".notice.error")).getText()).contains("InvalidCustomerSubscriptionId")
        .contains("is not a subscription id (a GUID)");
    browser.screenshot("partner-customer-subscription-refused");

    browser.open("/partner/invoices");
    assertThat(browser.text()).contains(world.customer(1).cspSubscriptionId());
    browser.screenshot("partner-invoices");
    browser.open("/partner/reconciliation").screenshot("partner-reconciliation");
    assertThat(browser.fetch("/partner/reconciliation?month=" + world.month)).startsWith("customer,customerId,")
        .contains(world.customer(1).cspSubscriptionId());

    // Signed out, the console's root sends the browser to sign in again: the identity endpoint's page.
    browser.submit(By.cssSelector(".signout button"));
    assertThat(browser.title()).isEqualTo("Sign in");
    assertThat(browser.find(By.id("signin")).isDisplayed()).isTrue();
    browser.open("/partner");
    assertThat(browser.driver().getCurrentUrl()).contains("/oauth2/v2.0/authorize?");
  }

  @Test
  void aCustomersUsageChartTotalsEqualTheUsageApis() throws Exception {
    SimulatedCloud.Customer c = world.customer(1);
    String range = "from=" + world.day + "&to=" + world.day.plusDays(1);
    signInAsCustomer(c, "/usage?subscription=" + c.localSubscriptionId() + "&" + range);
    assertThat(browser.title()).as(browser.text()).isEqualTo("Usage");
    browser.screenshot("customer-usage");

    String json = (String) ((JavascriptExecutor) browser.driver())
        .executeScript("return document.getElementById('usage-chart-data').textContent");
    Map<String, BigDecimal> chart = new TreeMap<>();
    Map<String, Double> drawn = new TreeMap<>();
    for (JsonNode s : Json.EXACT.readTree(json).path("series")) {
      chart.put(s.path("meterId").asText(), new BigDecimal(s.path("total").asText()));
      double sum = 0;
      for (JsonNode v : s.path("values")) {
        sum += v.asDouble();
      }
      drawn.put(s.path("meterId").asText(), sum);
    }
    TestClient api = world.asOwner(c, EndpointRole.STACK_TENANT_ARM, ConsoleWorld.audience(EndpointRole.STACK_TENANT_ARM));
    Map<String, BigDecimal> expected = new TreeMap<>();
    for (JsonNode row : api.get("/subscriptions/" + c.localSubscriptionId() + "/providers/Microsoft.Commerce/usageAggregates"
        + "?api-version=2015-06-01-preview&reportedStartTime=" + world.day + "T00:00:00Z&reportedEndTime="
        + world.day.plusDays(1) + "T00:00:00Z&aggregationGranularity=Daily").json().path("value")) {
      expected.merge(row.path("properties").path("meterId").asText(),
          row.path("properties").path("quantity").decimalValue(), BigDecimal::add);
    }
    assertThat(expected).isNotEmpty();
    assertThat(chart.keySet()).isEqualTo(expected.keySet());
    expected.forEach((meter, total) -> {
      assertThat(chart.get(meter)).as(meter).isEqualByComparingTo(total);
      assertThat(drawn.get(meter)).as(meter).isCloseTo(total.doubleValue(), org.assertj.core.data.Offset.offset(1e-6));
    });
    browser.narrow().screenshot("customer-usage-narrow").wide();

    String csv = browser.fetch("/usage/export?subscription=" + c.localSubscriptionId() + "&" + range);
    assertThat(csv).startsWith("subscriptionId,usageStartTime,usageEndTime,meterId,quantity,instanceData");
    BigDecimal exported = csv.lines().skip(1).map(l -> new BigDecimal(l.split(",")[4])).reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(exported).isEqualByComparingTo(expected.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
  }

  @Test
  void aCustomerOpensAnInvoiceLinesExplanation() {
    SimulatedCloud.Customer c = world.customer(1);
    signInAsCustomer(c, "/");
    assertThat(browser.title()).as(browser.text()).isEqualTo("Your subscriptions");
    browser.screenshot("customer-subscriptions");

    browser.open("/invoices");
    browser.screenshot("customer-invoices");
    browser.submit(By.linkText(world.month.toString()));
    assertThat(browser.title()).as(browser.text()).isEqualTo("Invoice " + world.month);
    browser.screenshot("customer-invoice");

    browser.submit(By.linkText("Line 1"));
    assertThat(browser.title()).as(browser.text()).isEqualTo("Line 1 of invoice " + world.month);
    assertThat(browser.text()).contains("Why it was billed here").contains("CustomerSubscription");
    browser.screenshot("customer-invoice-line-explanation");
  }

  @Test
  void thePartnerOpensACustomersInvoiceAndALinesExplanationSignedInAtItsOwnDirectory() throws Exception {
    SimulatedCloud.Customer c = world.customer(1);
    signInAsPartner("/partner/invoices/" + c.cspSubscriptionId() + "/" + world.month);

    assertThat(browser.title()).as(browser.text()).isEqualTo("Invoice " + world.month);
    JsonNode invoice = Json.EXACT.readTree(world.asOwner(c, EndpointRole.CLOUD_ARM, ConsoleWorld.audience(
        EndpointRole.CLOUD_ARM)).get("/subscriptions/" + c.cspSubscriptionId() + "/providers/Stackledger.Billing/invoices/"
        + world.month + "?api-version=2026-11-01").body()).path("properties");
    assertThat(browser.text()).contains(invoice.path("total").asText() + " " + invoice.path("currency").asText());
    browser.screenshot("partner-customer-invoice");

    JsonNode first = invoice.path("lines").get(0);
    browser.submit(By.linkText("Line " + first.path("line").asText()));
    assertThat(browser.title()).as(browser.text()).isEqualTo("Line " + first.path("line").asText() + " of invoice "
        + world.month);
    assertThat(browser.text()).contains("Why it was billed here").contains("CustomerSubscription")
        .contains(first.path("amount").asText()).contains(first.path("quantity").asText());
    browser.screenshot("partner-customer-invoice-line-explanation");
  }

  @Test
  void aCustomerOpeningAnotherCustomersInvoiceGetsTheNotFoundPageWithNoData() {
    String theirs = "/invoices/" + world.customer(1).cspSubscriptionId() + "/" + world.month;
    signInAsCustomer(world.customer(2), theirs);

    assertThat(browser.title()).as(browser.text()).isEqualTo("Not found");
    browser.screenshot("not-found");
    assertThat(browser.driver().getPageSource()).doesNotContain("Line 1").doesNotContain(world.customer(1).domain())
        .doesNotContain(world.customer(1).localSubscriptionId());

    browser.open("/admin");
    assertThat(browser.title()).isEqualTo("The request was refused");
    assertThat(browser.text()).contains("AuthorizationFailed");
    browser.screenshot("customer-opening-the-admin-dashboard");
  }
}
