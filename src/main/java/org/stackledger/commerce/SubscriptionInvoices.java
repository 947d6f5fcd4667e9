package org.stackledger.commerce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ResourceId;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * One billing subscription's invoices as a caller may read them: the list, one month's invoice
 * with its lines, why a line was billed there, and the operator's finalizing. The ARM routes
 * ({@link CommerceRoutes}) and the console call these methods with the signed-in {@link Caller}; the
 * check is here, so neither can skip it.
 *
 * <p>A caller reads a subscription's invoices when a role it holds at the subscription (or above)
 * allows {@value CommerceRoutes#INVOICE_READ}: the subscription's owner, and the CSP partner through
 * admin-on-behalf-of. A subscription the caller cannot see answers 404 {@code SubscriptionNotFound},
 * exactly as one that does not exist; one it sees without that permission 403. Finalizing is the
 * operator's (a root-scope role allowing {@value CommerceRoutes#INVOICE_FINALIZE}). Months and line
 * numbers are taken as the user wrote them and checked after the caller, so a refusal never tells a
 * stranger more than "not found".
 */
public final class SubscriptionInvoices {
  private final AccessControl access;
  private final Commerce commerce;
  private final Explanations explanations;

  public SubscriptionInvoices(Arm arm, Commerce commerce, Explanations explanations) {
    this.access = AccessControl.of(arm);
    this.commerce = commerce;
    this.explanations = explanations;
  }

  /** The subscription's invoices, newest first (totals, no lines). */
  public List<Invoice> invoices(Caller caller, String subscriptionId) {
    return commerce.invoices(readable(caller, subscriptionId));
  }

  /** The subscription's invoice of {@code month} (yyyy-MM), with its lines; 404 {@code InvoiceNotFound}. */
  public Invoice invoice(Caller caller, String subscriptionId, String month) {
    String s = readable(caller, subscriptionId);
    String m = month(month);
    return commerce.invoice(s, m).orElseThrow(() -> notFound(s, m));
  }

  /** Why line {@code line} (1, 2, …) of the month's invoice was billed to this subscription. */
  public ObjectNode line(Caller caller, String subscriptionId, String month, String line) {
    String s = readable(caller, subscriptionId);
    String m = month(month);
    int n;
    try {
      n = Integer.parseInt(line);
    } catch (NumberFormatException e) {
      throw Problem.invalid("InvalidInvoiceLine", "line", "The line must be a line number (1, 2, ...).");
    }
    Invoice invoice = commerce.invoice(s, m).orElseThrow(() -> notFound(s, m));
    return explanations.line(invoice, n);
  }

  /** Freezes the month's draft invoice; the operator's. The caller is recorded as who finalized it. */
  public Invoice finalizeInvoice(Caller caller, String subscriptionId, String month) {
    access.requireRoot(caller, CommerceRoutes.INVOICE_FINALIZE);
    String s = ResourceId.checkSubscription(subscriptionId).toLowerCase(Locale.ROOT);
    return commerce.finalizeInvoice(s, month(month), caller.objectId());
  }

  /** The subscription id, lower-case, once the caller may read its invoices. */
  private String readable(Caller caller, String subscriptionId) {
    String s = ResourceId.checkSubscription(subscriptionId).toLowerCase(Locale.ROOT);
    access.require(caller, ResourceId.subscription(s), CommerceRoutes.INVOICE_READ);
    return s;
  }

  private static String month(String m) {
    try {
      return YearMonth.parse(m).toString();
    } catch (DateTimeParseException e) {
      throw Problem.invalid("InvalidInvoiceMonth", "month", "The invoice month '" + m
          + "' must be a calendar month written yyyy-MM.");
    }
  }

  private static Problem notFound(String subscriptionId, String month) {
    return Problem.notFound("InvoiceNotFound",
        "The subscription '" + subscriptionId + "' has no invoice for " + month + ".");
  }
}
