package org.stackledger.console;

import java.util.Optional;
import org.stackledger.console.api.ApiClient;
import org.stackledger.console.api.ApiRefusal;
import org.stackledger.console.customer.CustomerPages;
import org.stackledger.console.invoices.InvoicePages;
import org.stackledger.console.operator.MoneyPages;
import org.stackledger.console.operator.OperatorPages;
import org.stackledger.console.operator.UsageExplorer;
import org.stackledger.console.partner.PartnerPages;
import org.stackledger.console.web.Assets;
import org.stackledger.console.web.BadInput;
import org.stackledger.console.web.Choices;
import org.stackledger.console.web.FormPost;
import org.stackledger.console.web.Html;
import org.stackledger.console.web.Views;
import org.stackledger.console.web.Visit;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;

/**
 * Every route of the console, in one place. Pages need a session: without one the browser is sent to
 * {@code /signin?returnTo=…} and comes back to the same address. A page's API refusal is shown with its
 * code and message (404 as the not-found page), a bad choice as a 400 naming the field, a form without
 * the session's CSRF token as a 403 — never a stack trace.
 */
final class ConsoleRoutes {
  /** A page's work, given the signed-in visit. */
  @FunctionalInterface
  interface PageHandler {
    Reply handle(Visit visit) throws Exception;
  }

  private final Console console;

  ConsoleRoutes(Console console) {
    this.console = console;
  }

  void register(Router router) {
    SignIn signIn = console.signIn();
    anonymous(router, "GET", "/signin", ex -> signIn.begin(ex, ex.query("tenant").filter(t -> !t.isBlank()),
        returnTo(ex.query("returnTo"))));
    anonymous(router, "GET", "/signin-oidc", signIn::callback);
    anonymous(router, "POST", "/signout", ex -> {
      Optional<ConsoleSession> session = signIn.session(ex);
      if (session.isEmpty()) {
        return Html.redirect(303, "/signin");
      }
      try {
        FormPost.read(ex, session.get());
      } catch (FormPost.Forged forged) {
        return Views.error(403, null, "InvalidFormToken", forged.getMessage());
      }
      return signIn.signOut(ex, session.get());
    });
    router.anonymous("GET", "/assets/{file}", ex -> Assets.reply(ex.pathParam("file"))
        .orElseGet(() -> Views.notFound(null)));

    // Customer (a tenant with its subscriptions), and whoever else opens them: the API decides what shows.
    page(router, "GET", "/", CustomerPages::home);
    page(router, "GET", "/usage", CustomerPages::usage);
    page(router, "GET", "/usage/export", CustomerPages::usageExport);
    page(router, "GET", "/invoices", v -> InvoicePages.list(v, "/invoices"));
    page(router, "GET", "/invoices/{subscription}/{month}", v -> InvoicePages.invoice(v, "/invoices"));
    page(router, "GET", "/invoices/{subscription}/{month}/export", InvoicePages::export);
    page(router, "GET", "/invoices/{subscription}/{month}/lines/{line}", v -> InvoicePages.line(v, "/invoices"));

    // Operator: the stack admin and cloud roles.
    page(router, "GET", "/admin", OperatorPages::dashboard);
    page(router, "GET", "/admin/tenants", OperatorPages::tenants);
    page(router, "GET", "/admin/usage", UsageExplorer::page);
    page(router, "GET", "/admin/prices", MoneyPages::prices);
    page(router, "POST", "/admin/prices", MoneyPages::importPrices);
    page(router, "GET", "/admin/billing-settings", MoneyPages::billingSettings);
    page(router, "POST", "/admin/billing-settings", MoneyPages::saveBillingSettings);
    page(router, "GET", "/admin/chargeback", MoneyPages::chargeback);
    page(router, "POST", "/admin/chargeback/markups", MoneyPages::setMarkup);

    // Partner: Partner Center access.
    page(router, "GET", "/partner", PartnerPages::customers);
    page(router, "GET", "/partner/registration", PartnerPages::registration);
    page(router, "POST", "/partner/customer-subscriptions", PartnerPages::changeCustomerSubscription);
    page(router, "GET", "/partner/invoices", v -> InvoicePages.list(v, "/partner/invoices"));
    page(router, "GET", "/partner/invoices/{subscription}/{month}", v -> InvoicePages.invoice(v, "/partner/invoices"));
    page(router, "GET", "/partner/invoices/{subscription}/{month}/lines/{line}",
        v -> InvoicePages.line(v, "/partner/invoices"));
    page(router, "GET", "/partner/reconciliation", PartnerPages::reconciliation);
  }

  private void page(Router router, String method, String template, PageHandler handler) {
    router.add(method, template, false, ex -> policed(serve(ex, handler)));
  }

  /** Sign-in routes: no session needed (they make and end sessions). */
  private void anonymous(Router router, String method, String template, Router.Handler handler) {
    router.anonymous(method, template, ex -> policed(handler.handle(ex)));
  }

  /** Every page's policy lets its forms lead to the identity endpoint too (the sign-out form may end there). */
  private Reply policed(Reply reply) {
    return reply.header("Content-Security-Policy", console.csp());
  }

  private Reply serve(Exchange ex, PageHandler handler) throws Exception {
    Optional<ConsoleSession> session = console.signIn().session(ex);
    if (session.isEmpty()) {
      return toSignIn(ex);
    }
    Visit visit = new Visit(ex, session.get(), console.apis(), console.client(), console.views(session.get()),
        console.clock());
    try {
      return handler.handle(visit);
    } catch (ApiRefusal refusal) {
      // The session can no longer get tokens: signing in again brings the person back here. An API that refuses
      // a token it was given (a directory the deployment no longer admits) is shown instead: signing in again
      // would only loop.
      return refusal.code().equals(ApiClient.SIGN_IN_REQUIRED) ? toSignIn(ex) : Views.refused(refusal, visit.nav(null));
    } catch (BadInput bad) {
      return Views.error(400, visit.nav(null), "InvalidParameter (" + bad.field() + ")", bad.getMessage());
    } catch (FormPost.Forged forged) {
      return Views.error(403, visit.nav(null), "InvalidFormToken", forged.getMessage());
    }
  }

  /** To the sign-in, then back to the page asked for (a GET's address; after a refused post, its view). */
  private static Reply toSignIn(Exchange ex) {
    String back = ex.method().equals("GET") ? ex.path() + (ex.rawQuery().isEmpty() ? "" : "?" + ex.rawQuery()) : "/";
    return Html.redirect(302, "/signin?returnTo=" + Choices.encode(back));
  }

  /** Only a path of the console, never another site: an open redirect would let a link send people anywhere. */
  static String returnTo(Optional<String> asked) {
    String path = asked.orElse("/");
    return path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\") ? path : "/";
  }
}
