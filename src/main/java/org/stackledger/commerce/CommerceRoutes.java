package org.stackledger.commerce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmResource;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * Commerce on the cloud ARM endpoint:
 * <ul>
 *   <li>{@code POST …/Microsoft.AzureStack/registrations/{name}/usage?api-version=2017-06-01} — the usage
 *       bridge's upload, allowed to the registration's own bridge identity only;</li>
 *   <li>{@code GET /subscriptions/{id}/providers/Stackledger.Billing/invoices[/{yyyy-MM}]} — a billing
 *       subscription's invoices, to whoever may read the subscription (its owner, the CSP partner
 *       through admin-on-behalf-of); {@code …/invoices/{month}/export} the lines as CSV;</li>
 *   <li>{@code POST …/invoices/{month}/finalize} — the platform operator's;</li>
 *   <li>{@code GET /providers/Stackledger.Billing/attribution} — who pays for a deployment's local
 *       subscription at an hour, and by which rule.</li>
 * </ul>
 * The invoice and attribution routes parse the request and ask {@link SubscriptionInvoices} and
 * {@link Explanations} as the request's caller, which decide what it may read.
 */
public final class CommerceRoutes {
  static final String REGISTRATION = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/"
      + "Microsoft.AzureStack/registrations/{registrationName}";
  static final ApiVersions UPLOAD_VERSIONS = ApiVersions.of("Microsoft.AzureStack/registrations", "2017-06-01");
  static final ApiVersions BILLING_VERSIONS = ApiVersions.of("Stackledger.Billing/invoices", "2026-11-01");
  static final String INVOICES = "/subscriptions/{subscriptionId}/providers/Stackledger.Billing/invoices";
  static final String UPLOAD_ACTION = "Microsoft.AzureStack/registrations/usage/action";
  static final String INVOICE_READ = "Stackledger.Billing/invoices/read";
  static final String INVOICE_FINALIZE = "Stackledger.Billing/invoices/finalize/action";
  /** 5,000 records of a few hundred bytes each, with room to spare. */
  static final long MAX_UPLOAD = 16L * 1024 * 1024;

  private final Arm arm;
  private final Commerce commerce;
  private final Function<String, String> meters;
  private final Explanations explanations;
  private final SubscriptionInvoices invoices;
  /** The commerce topic uploads are queued on ({@code serve --kafka}), or {@code null} to store them at once. */
  private final CommerceQueue queue;

  CommerceRoutes(Arm arm, Commerce commerce, Function<String, String> meters, Explanations explanations,
      CommerceQueue queue) {
    this.arm = arm;
    this.commerce = commerce;
    this.queue = queue;
    this.meters = meters;
    this.explanations = explanations;
    this.invoices = new SubscriptionInvoices(arm, commerce, explanations);
  }

  /** The invoice reads these routes answer from, for a front end that renders them another way. */
  public SubscriptionInvoices invoices() {
    return invoices;
  }

  public void register(Router router) {
    router.post(REGISTRATION + "/usage", this::upload);
    router.get(INVOICES, this::list);
    router.get(INVOICES + "/{month}", this::one);
    router.get(INVOICES + "/{month}/export", this::export);
    router.get(INVOICES + "/{month}/lines/{line}", this::line);
    router.post(INVOICES + "/{month}/finalize", this::finalizeInvoice);
    router.get("/providers/Stackledger.Billing/attribution", this::attribution);
  }

  private Reply upload(Exchange ex) {
    UPLOAD_VERSIONS.require(ex);
    ResourceId id = ResourceId.resourceGroup(ex.pathParam("subscriptionId"), ex.pathParam("resourceGroupName"))
        .child("Microsoft.AzureStack", "registrations", ResourceId.checkName(ex.pathParam("registrationName"),
            "registrationName"));
    arm.authorize(ex, id, UPLOAD_ACTION);
    ArmResource registration = arm.resources().get(id.subscriptionId(), id).orElseThrow(() -> Problem.notFound(
        "ResourceNotFound", "The registration '" + id.name() + "' was not found."));
    Commerce.Reporter reporter = Commerce.Reporter.bridgeOf(AccessControl.caller(ex), registration);
    byte[] body;
    try {
      body = ex.body(MAX_UPLOAD);
    } catch (Exchange.BodyTooLargeException e) {
      throw Problem.tooLarge("RequestEntityTooLarge", null, "A usage upload is at most " + MAX_UPLOAD + " bytes.");
    } catch (IOException e) {
      throw Problem.invalid("InvalidRequestContent", null, "The request body could not be read.");
    }
    UsageReport report = UsageReport.parse(body, meters);
    if (queue != null) {
      return queued(reporter, report, body);
    }
    Commerce.Ack ack = commerce.ingestAsBridge(reporter, report, "Bridge");
    ObjectNode out = Json.object();
    out.put("batchId", ack.batchId());
    out.put("records", ack.records());
    out.put("accepted", ack.accepted());
    out.put("duplicates", ack.duplicates());
    return Reply.json(200, out);
  }

  /**
   * With the commerce topic: everything that can be refused without the stored records is refused now,
   * as the synchronous upload does; the rest is queued (on every in-sync replica) and answered 202.
   */
  private Reply queued(Commerce.Reporter reporter, UsageReport report, byte[] body) {
    commerce.check(reporter, report);
    QueuedUpload upload = queue.append(reporter, report, body, "Bridge");
    ObjectNode out = Json.object();
    out.put("batchId", upload.batchId());
    out.put("records", upload.records());
    out.put("status", "Queued");
    out.put("uploadId", upload.uploadId());
    return Reply.json(202, out);
  }

  private Reply list(Exchange ex) {
    BILLING_VERSIONS.require(ex);
    ObjectNode out = Json.object();
    ArrayNode value = out.putArray("value");
    for (Invoice i : invoices.invoices(AccessControl.caller(ex), ex.pathParam("subscriptionId"))) {
      value.add(InvoiceJson.render(i, false));
    }
    return Reply.json(200, out);
  }

  private Reply one(Exchange ex) {
    BILLING_VERSIONS.require(ex);
    return Reply.json(200, InvoiceJson.render(invoices.invoice(AccessControl.caller(ex), ex.pathParam("subscriptionId"),
        ex.pathParam("month")), true));
  }

  private Reply export(Exchange ex) {
    BILLING_VERSIONS.require(ex);
    Invoice invoice = invoices.invoice(AccessControl.caller(ex), ex.pathParam("subscriptionId"), ex.pathParam("month"));
    return Reply.text(200, InvoiceJson.csv(invoice), "text/csv; charset=utf-8");
  }

  private Reply line(Exchange ex) {
    BILLING_VERSIONS.require(ex);
    return Reply.json(200, invoices.line(AccessControl.caller(ex), ex.pathParam("subscriptionId"), ex.pathParam("month"),
        ex.pathParam("line")));
  }

  private Reply finalizeInvoice(Exchange ex) {
    BILLING_VERSIONS.require(ex);
    return Reply.json(200, InvoiceJson.render(invoices.finalizeInvoice(AccessControl.caller(ex),
        ex.pathParam("subscriptionId"), ex.pathParam("month")), true));
  }

  private Reply attribution(Exchange ex) {
    BILLING_VERSIONS.require(ex);
    String cloudId = Explanations.guid(parameter(ex, "cloudId"), "cloudId");
    String subscriptionId = Explanations.guid(parameter(ex, "subscriptionId"), "subscriptionId");
    String time = parameter(ex, "usageTime");
    Instant usageTime;
    try {
      usageTime = OffsetDateTime.parse(time).toInstant();
    } catch (DateTimeParseException e) {
      throw Problem.invalid("InvalidParameter", "usageTime",
          "The usageTime must be an ISO 8601 date and time with an offset.");
    }
    return Reply.json(200, explanations.attribution(AccessControl.caller(ex), cloudId, subscriptionId, usageTime,
        ex.query("tenantId")));
  }

  private static String parameter(Exchange ex, String name) {
    return ex.query(name).orElseThrow(() -> Problem.invalid("MissingParameter", name,
        "The query parameter '" + name + "' is required."));
  }
}
