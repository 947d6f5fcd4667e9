package org.stackledger.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.stackledger.console.ConsoleSession;
import org.stackledger.console.api.Api;
import org.stackledger.console.api.ApiClient;
import org.stackledger.console.api.Apis;
import org.stackledger.http.Exchange;

/**
 * One signed-in request to a console page: the exchange, the person's session, the APIs called on
 * their behalf, the views they get (for the navigation) and the clock. Pages read their choices and
 * call the APIs through it.
 */
public final class Visit {
  /** Which views the person gets, as the APIs answered when asked. */
  public record Views(boolean operator, boolean partner) {}

  private final Exchange exchange;
  private final ConsoleSession session;
  private final Apis apis;
  private final ApiClient client;
  private final Views views;
  private final Clock clock;

  public Visit(Exchange exchange, ConsoleSession session, Apis apis, ApiClient client, Views views, Clock clock) {
    this.exchange = exchange;
    this.session = session;
    this.apis = apis;
    this.client = client;
    this.views = views;
    this.clock = clock;
  }

  public Exchange exchange() {
    return exchange;
  }

  public ConsoleSession session() {
    return session;
  }

  public Apis apis() {
    return apis;
  }

  public Views views() {
    return views;
  }

  public Clock clock() {
    return clock;
  }

  /** Today in UTC, by the server's clock (which may be a test's: it is never asked for another zone). */
  public java.time.LocalDate today() {
    return java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
  }

  /**
   * This visit with the person's tokens from another directory they are a member or guest of (a
   * partner's person in a customer's directory, admin on behalf of): the APIs answer it as they would
   * a sign-in there. When that directory issues the person no token, its calls are refused with
   * {@link ApiClient#SIGN_IN_REQUIRED}, though the person's own session goes on.
   */
  public Visit in(String tenantId) {
    return tenantId.equalsIgnoreCase(session.tenantId()) ? this
        : new Visit(exchange, session.in(tenantId), apis, client, views, clock);
  }

  public Optional<String> query(String name) {
    return exchange.query(name);
  }

  /** A GET answered as JSON, or the API's refusal. */
  public JsonNode get(Api api, String pathAndQuery) {
    return client.get(session, api, pathAndQuery);
  }

  /** A GET started now, waited for with {@link ApiClient#join}: pages needing several calls start them all first. */
  public CompletableFuture<ApiClient.Answer> start(Api api, String pathAndQuery) {
    return client.async(session, api, "GET", pathAndQuery, null, null);
  }

  public JsonNode json(CompletableFuture<ApiClient.Answer> call) {
    return ApiClient.join(call).json();
  }

  public ApiClient.Answer send(Api api, String method, String pathAndQuery, String body, String contentType) {
    return client.send(session, api, method, pathAndQuery, body, contentType);
  }

  /** A page with this person's navigation; {@code current} is the path of the view it belongs to. */
  public Page.Builder page(String title, String current) {
    return Page.titled(title, nav(current));
  }

  public Page.Nav nav(String current) {
    List<Page.Link> links = new ArrayList<>();
    if (views.operator()) {
      links.add(new Page.Link("Dashboard", "/admin"));
      links.add(new Page.Link("Tenants", "/admin/tenants"));
      links.add(new Page.Link("Usage explorer", "/admin/usage"));
      links.add(new Page.Link("Price sheet", "/admin/prices"));
      links.add(new Page.Link("Billing settings", "/admin/billing-settings"));
      links.add(new Page.Link("Chargeback", "/admin/chargeback"));
    }
    if (views.partner()) {
      links.add(new Page.Link("Customers", "/partner"));
      links.add(new Page.Link("Partner invoices", "/partner/invoices"));
    }
    if (!views.operator() && !views.partner()) {
      links.add(new Page.Link("Subscriptions", "/"));
      links.add(new Page.Link("Usage", "/usage"));
      links.add(new Page.Link("Invoices", "/invoices"));
    }
    String who = session.displayName() == null || session.displayName().isBlank() ? session.upn() : session.displayName();
    return new Page.Nav(who, session.csrfToken(), links, current);
  }
}
