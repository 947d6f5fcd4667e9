package org.stackledger.app;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import io.micrometer.core.instrument.MeterRegistry;
import org.stackledger.commerce.Billing;
import org.stackledger.commerce.CommerceQueue;
import org.stackledger.kafka.KafkaSettings;
import org.stackledger.commerce.Rates;
import org.stackledger.csp.CspSubscriptions;
import org.stackledger.directory.TokenIssuer;
import org.stackledger.http.Router;
import org.stackledger.locks.LockRoutes;
import org.stackledger.partnercenter.PartnerCenterClient;
import org.stackledger.partnercenter.PartnerCenterFeature;
import org.stackledger.pricing.OperatorPriceSheet;
import org.stackledger.pricing.PriceSheet;
import org.stackledger.pricing.PriceSheetRoutes;
import org.stackledger.pricing.Prices;
import org.stackledger.registration.AzureStackProvider;
import org.stackledger.resources.ProviderRegistrations;
import org.stackledger.resources.ProviderRoutes;
import org.stackledger.resources.ResourceGroupRoutes;
import org.stackledger.resources.SubscriptionRoutes;

/**
 * The cloud plane — public Azure, Partner Center and Azure commerce — on the cloud ARM and Partner
 * Center endpoints: ARM's subscriptions, resource groups, providers and locks, Partner Center, the
 * Microsoft.AzureStack provider, the price sheet and billing. A process started with {@code --cloud}
 * builds none of it: its deployment reports to another process's cloud plane. With {@code --kafka}
 * uploads are queued on the commerce topic, and a process of the {@code commerce} role runs a commerce
 * worker on it; the commerce group's lag per partition is on {@code /metrics}.
 */
final class CloudPlane implements AutoCloseable {
  private final ServerOptions options;
  private final Shared shared;
  private final ProviderRegistrations providerRegistrations;
  private final PartnerCenterFeature partnerCenter;
  private final AzureStackProvider azureStack;
  private final PriceSheet priceSheet;
  private final OperatorPriceSheet operatorPriceSheet;
  private final Billing billing;
  /** The commerce topic with {@code --kafka}, else null. */
  private final CommerceQueue queue;

  /** @param metrics where the commerce group's lag is registered */
  CloudPlane(Shared shared, ServerOptions options, Endpoints endpoints, MeterRegistry metrics) throws StartRefused {
    Jdbi jdbi = shared.database().jdbi();
    this.options = options;
    this.shared = shared;
    this.providerRegistrations = new ProviderRegistrations(jdbi);
    this.partnerCenter = partnerCenter(shared, endpoints);
    // The provider asks Partner Center over HTTPS, as in Azure; tests may put a fake at that boundary.
    this.azureStack = new AzureStackProvider(shared.arm(), providerRegistrations, shared.directory(),
        shared.roleAssignments(), shared.tokenIssuer(),
        () -> shared.tokenIssuer().issuer(shared.homeTenantId(), TokenIssuer.Version.V2),
        options.cspSubscriptions() != null ? options.cspSubscriptions() : partnerCenter.client());
    this.priceSheet = new PriceSheet(jdbi, shared.meters(), shared.clock());
    this.operatorPriceSheet = new OperatorPriceSheet(shared.arm(), priceSheet);
    // With --kafka uploads are queued on the commerce topic (made if absent) and stored by commerce workers.
    this.queue = queue(options.kafka(), shared);
    this.billing = Billing.open(jdbi, shared.clock(), shared.arm(), shared.settings(), azureStack.store(),
        currency -> rates(priceSheet.snapshot(currency)), shared::meterId, shared.directory()::keyCredentials,
        partnerCenter.partnerCenter(), shared.roleAssignments(), shared.directory(), queue);
    try {
      if (queue != null) {
        queue.lag().register(metrics, queue.partitions());
        if (options.roles().contains(ProcessRole.COMMERCE)) {
          billing.startWorker(options.kafka(), "commerce-worker");
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private static CommerceQueue queue(KafkaSettings kafka, Shared shared) throws StartRefused {
    if (kafka == null) {
      return null;
    }
    try {
      return CommerceQueue.open(kafka, shared.clock());
    } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
      throw new StartRefused("cannot open the commerce queue on Kafka (--kafka " + kafka.bootstrap() + "): "
          + e.getMessage());
    }
  }

  /** Partner Center, with its client signed in as the platform's own service principal. */
  private static PartnerCenterFeature partnerCenter(Shared shared, Endpoints endpoints) {
    Bootstrap.Platform platform = shared.bootstrap().platform(shared.homeTenantId());
    return new PartnerCenterFeature(shared.database().jdbi(), shared.clock(), shared.arm(), shared.directory(),
        shared.roleAssignments(), platform.objectId(), new PartnerCenterClient.Settings(
            endpoints.url(EndpointRole.PARTNER_CENTER), endpoints.url(EndpointRole.IDENTITY), shared.homeTenantId(),
            platform.appId(), platform.secret(), Stackledger.PARTNER_CENTER_AUDIENCE, endpoints.certificatePem(),
            Duration.ofSeconds(2), Duration.ofSeconds(5)));
  }

  /** The cloud plane's routes, on its two endpoints. */
  void register(Endpoints endpoints) {
    Router arm = endpoints.router(EndpointRole.CLOUD_ARM);
    SubscriptionRoutes.register(arm, shared.arm());
    ResourceGroupRoutes.register(arm, shared.arm());
    ProviderRoutes.register(arm, shared.arm(), providerRegistrations);
    LockRoutes.register(arm, shared.arm());
    azureStack.register(arm);
    partnerCenter.registerOperatorApi(arm);
    billing.register(arm);
    PriceSheetRoutes.register(arm, operatorPriceSheet, options.bodyLimit());
    partnerCenter.registerPartnerCenterApi(endpoints.router(EndpointRole.PARTNER_CENTER));
  }

  /** The price sheet as rating reads it: one snapshot in the billing currency, taken once per batch. */
  private static Rates rates(Prices prices) {
    return new Rates() {
      @Override
      public String currency() {
        return prices.currency();
      }

      @Override
      public Optional<Rate> at(String meterId, Instant at) {
        return prices.at(meterId, at).map(p -> new Rate(p.commerceMeterId(), p.unitPrice(), p.unitDivisor()));
      }
    };
  }

  PartnerCenterFeature partnerCenter() {
    return partnerCenter;
  }

  CspSubscriptions cspSubscriptions() {
    return partnerCenter.client();
  }

  AzureStackProvider azureStack() {
    return azureStack;
  }

  PriceSheet priceSheet() {
    return priceSheet;
  }

  OperatorPriceSheet operatorPriceSheet() {
    return operatorPriceSheet;
  }

  Billing billing() {
    return billing;
  }

  @Override
  public void close() {
    try {
      billing.close();
    } finally {
      if (queue != null) {
        queue.close();
      }
    }
  }
}
