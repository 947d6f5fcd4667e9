package org.stackledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.http.Json;
import org.stackledger.http.TrustedCertificates;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.testing.TestClient;

/**
 * A partner's person, signed in at the partner's directory only, opens a customer's invoice, a line's
 * explanation and the CSV over HTTPS: the console reads them with the person's token of the customer's
 * directory (the refresh token redeemed there, where the person is a guest), so the pages show what the
 * customer's owner sees and the billing API answers. A person of the partner's directory who is no
 * guest there gets the not-found page, and keeps their session.
 */
class ConsolePartnerInvoicesTest {
  private static final Pattern CELL = Pattern.compile("<(td|th scope=\"row\"|dd)[^>]*>(.*?)</(td|th|dd)>", Pattern.DOTALL);
  private static ConsoleWorld world;
  private static HttpClient http;
  private static String console;
  private static String partner;
  private static String owner;
  private static SimulatedCloud.Customer customer;
  private static TestClient api;

  @BeforeAll
  static void start() throws Exception {
    world = ConsoleWorld.build();
    console = world.console().replaceAll("/$", "");
    http = HttpClient.newBuilder().sslContext(TrustedCertificates.sslContext(world.server.app().certificate()))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    customer = world.customer(1);
    partner = session(world.partner, "/partner/invoices");
    owner = session(new ConsoleUsers.User(customer.domain(), customer.ownerUpn(), customer.ownerPassword()), "/invoices");
    api = world.asOwner(customer, EndpointRole.CLOUD_ARM, Stackledger.CLOUD_AUDIENCE);
  }

  @AfterAll
  static void stop() throws Exception {
    if (world != null) {
      world.close();
    }
  }

  private static String session(ConsoleUsers.User user, String returnTo) throws Exception {
    HttpResponse<String> signedIn = ConsoleUsers.signIn(world.server, user, returnTo);
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
    return signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
  }

  private static HttpResponse<String> get(String path, String cookie) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(console + path)).header("Cookie", cookie).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The page's facts and table cells, in order, their links' text only: what a person reads. */
  private static List<String> read(HttpResponse<String> page) {
    List<String> cells = new ArrayList<>();
    Matcher m = CELL.matcher(page.body());
    while (m.find()) {
      cells.add(m.group(2).replaceAll("<[^>]+>", "").trim());
    }
    return cells;
  }

  /** The customer's owner's read of the billing API, its decimals kept exactly as written. */
  private static JsonNode exact(String pathAndQuery) throws Exception {
    TestClient.Response r = api.get(pathAndQuery);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return Json.EXACT.readTree(r.body());
  }

  private String invoice() {
    return "/subscriptions/" + customer.cspSubscriptionId() + "/providers/Stackledger.Billing/invoices/" + world.month;
  }

  @Test
  void thePartnerOpensACustomersInvoiceAndSeesWhatTheCustomerAndTheApiSee() throws Exception {
    String address = customer.cspSubscriptionId() + "/" + world.month;
    HttpResponse<String> theirs = get("/partner/invoices/" + address, partner);
    HttpResponse<String> ours = get("/invoices/" + address, owner);

    assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(200);
    assertThat(ours.statusCode()).as(ours.body()).isEqualTo(200);
    assertThat(read(theirs)).isEqualTo(read(ours));
    JsonNode p = exact(invoice() + "?api-version=2026-11-01").path("properties");
    assertThat(p.path("lines")).isNotEmpty();
    assertThat(read(theirs)).contains(p.path("total").asText() + " " + p.path("currency").asText());
    for (JsonNode line : p.path("lines")) {
      assertThat(read(theirs)).contains("Line " + line.path("line").asText(), line.path("amount").asText(),
          line.path("quantity").asText());
    }
  }

  @Test
  void thePartnerOpensALinesExplanationAndTheCsvAsTheCustomerDoes() throws Exception {
    String address = customer.cspSubscriptionId() + "/" + world.month;
    HttpResponse<String> theirs = get("/partner/invoices/" + address + "/lines/1", partner);
    HttpResponse<String> ours = get("/invoices/" + address + "/lines/1", owner);

    assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(200);
    assertThat(read(theirs)).isEqualTo(read(ours));
    JsonNode explained = exact(invoice() + "/lines/1?api-version=2026-11-01");
    assertThat(read(theirs)).contains(explained.path("line").path("amount").asText(),
        explained.path("line").path("quantity").asText());
    assertThat(theirs.body()).contains(explained.path("explanation").asText());

    HttpResponse<String> csv = get("/invoices/" + address + "/export", partner);
    assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
    assertThat(csv.body()).isEqualTo(api.get(invoice() + "/export?api-version=2026-11-01").body());
  }

  @Test
  void aPersonOfThePartnerWhoIsNoGuestOfTheCustomersDirectoryGetsTheNotFoundPageAndKeepsTheSession()
      throws Exception {
    SimulatedCloud.Partner p = world.world.partner();
    String upn = "clerk-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@" + p.domain();
    world.server.app().directory().createUser(p.tenantId(), upn, "A clerk", "clerk-password-123");
    String clerk = session(new ConsoleUsers.User(p.domain(), upn, "clerk-password-123"), "/partner/invoices");
    String address = customer.cspSubscriptionId() + "/" + world.month;

    for (String page : new String[] {"/partner/invoices/" + address, "/partner/invoices/" + address + "/lines/1",
        "/invoices/" + address + "/export"}) {
      HttpResponse<String> r = get(page, clerk);
      assertThat(r.statusCode()).as(page).isEqualTo(404);
      assertThat(r.body()).as(page).contains("<h1>Not found</h1>").doesNotContain("Line 1")
          .doesNotContain(customer.localSubscriptionId()).doesNotContain("Why it was billed here");
    }
    HttpResponse<String> list = get("/partner/invoices", clerk);
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
  }
}
