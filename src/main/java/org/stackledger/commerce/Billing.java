package org.stackledger.commerce;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.access.RoleAssignments;
import org.stackledger.arm.Arm;
import org.stackledger.directory.Directory;
import org.stackledger.http.Router;
import org.stackledger.partnercenter.PartnerCenter;
import org.stackledger.registration.RegistrationStore;
import org.stackledger.store.Settings;

/**
 * Commerce put together: the billing settings, the usage intake from deployments (uploads and signed
 * usage files; with Kafka, uploads queued and the commerce workers that store them), the invoices with
 * their explanations, the partner and operator views, and the timer that finalizes invoices past their
 * grace period. Its routes are all on the cloud ARM endpoint.
 */
public final class Billing implements AutoCloseable {
  private final BillingSettings settings;
  private final Commerce commerce;
  private final CommerceRoutes commerceRoutes;
  private final UsageFileImport usageFileImport;
  private final BillingViewRoutes views;
  private final InvoiceFinalizer finalizer;
  private final CommerceQueueRoutes queueRoutes;
  private final Jdbi jdbi;
  private final Clock clock;
  private final Function<String, String> meters;
  /** The commerce workers this process runs ({@link #startWorker}); closed before anything else. */
  private final List<CommerceWorker> workers = new java.util.concurrent.CopyOnWriteArrayList<>();

  private Billing(BillingSettings settings, Commerce commerce, CommerceRoutes commerceRoutes,
      UsageFileImport usageFileImport, BillingViewRoutes views, InvoiceFinalizer finalizer,
      CommerceQueueRoutes queueRoutes, Jdbi jdbi, Clock clock, Function<String, String> meters) {
    this.queueRoutes = queueRoutes;
    this.jdbi = jdbi;
    this.clock = clock;
    this.meters = meters;
    this.settings = settings;
    this.commerce = commerce;
    this.commerceRoutes = commerceRoutes;
    this.usageFileImport = usageFileImport;
    this.views = views;
    this.finalizer = finalizer;
  }

  /**
   * Builds commerce and starts its invoice finalizer (stopped by {@link #close()}).
   *
   * @param ratesIn            the prices in force, in the currency asked (the billing currency), for rating
   * @param meters             a meter's id as the catalogue spells it, or {@code null} for an unknown meter
   * @param bridgeCertificates the certificates a bridge principal (by object id) signs usage files with
   * @param queue              the commerce topic uploads are queued on and answered 202 ({@code serve --kafka}),
   *                           stored by commerce workers; {@code null} to store each upload before answering 200
   */
  public static Billing open(Jdbi jdbi, Clock clock, Arm arm, Settings stored, RegistrationStore registrations,
      Function<String, Rates> ratesIn, Function<String, String> meters,
      Function<String, List<X509Certificate>> bridgeCertificates, PartnerCenter partnerCenter, RoleAssignments roles,
      Directory directory, CommerceQueue queue) {
    BillingSettings settings = new BillingSettings(stored, arm);
    Commerce commerce = new Commerce(jdbi, clock, registrations, () -> ratesIn.apply(settings.currency()),
        settings::maxUsageAge);
    return new Billing(settings, commerce,
        new CommerceRoutes(arm, commerce, meters, new Explanations(arm, jdbi, registrations), queue),
        new UsageFileImport(arm, commerce, registrations, bridgeCertificates, meters),
        new BillingViewRoutes(arm, commerce, partnerCenter, roles, directory),
        InvoiceFinalizer.start(commerce, settings::invoiceGracePeriod),
        new CommerceQueueRoutes(arm, new RejectedUploads(jdbi), queue == null ? null : queue.lag()), jdbi, clock, meters);
  }

  /**
   * Starts a commerce worker: a member of the commerce consumer group on the commerce topic of
   * {@code kafka}, storing queued uploads until {@link #close()}.
   *
   * @param name its thread's name
   */
  public CommerceWorker startWorker(org.stackledger.kafka.KafkaSettings kafka, String name) {
    CommerceWorker w = CommerceWorker.start(kafka, commerce, new RejectedUploads(jdbi), meters, clock, name);
    workers.add(w);
    return w;
  }

  /** Usage records, attribution, rating and invoices. */
  public Commerce commerce() {
    return commerce;
  }

  /** The operator's billing settings, read and changed as a signed-in caller (the console's way in). */
  public BillingSettings settings() {
    return settings;
  }

  /** A billing subscription's invoices and their explanations, as a signed-in caller may read them. */
  public SubscriptionInvoices invoices() {
    return commerceRoutes.invoices();
  }

  /**
   * The cross-subscription views (invoices, reconciliation, reports) as a signed-in caller's roles
   * reveal them, and the operator's chargeback and markups.
   */
  public BillingViews views() {
    return views.views();
  }

  /** Commerce's routes, on the cloud ARM endpoint. */
  public void register(Router router) {
    commerceRoutes.register(router);
    usageFileImport.register(router);
    settings.register(router);
    views.register(router);
    queueRoutes.register(router);
  }

  @Override
  public void close() {
    try {
      for (CommerceWorker w : workers) {
        w.close();
      }
    } finally {
      finalizer.close();
    }
  }
}
