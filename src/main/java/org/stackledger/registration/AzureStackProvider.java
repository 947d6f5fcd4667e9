package org.stackledger.registration;

import java.util.function.Supplier;
import org.stackledger.access.RoleAssignments;
import org.stackledger.arm.Arm;
import org.stackledger.csp.CspSubscriptions;
import org.stackledger.directory.Directory;
import org.stackledger.directory.TokenIssuer;
import org.stackledger.http.Router;
import org.stackledger.resources.ProviderRegistrations;

/**
 * The {@code Microsoft.AzureStack} provider, wired once by the composition root: its catalogue
 * entry, the store's delete listener and the routes of the cloud ARM endpoint. {@link #store()} is
 * what billing asks which subscription pays.
 */
public final class AzureStackProvider {
  /** What Partner Center answers until the real client is wired: every look-up is unavailable (502). */
  public static final CspSubscriptions NOT_WIRED = subscriptionId -> {
    throw new CspSubscriptions.UnavailableException("Partner Center is not wired yet", null);
  };

  private final RegistrationStore store;
  private final RegistrationReads reads;
  private final RegistrationWrites registrationWrites;
  private final CustomerSubscriptionWrites customerSubscriptionWrites;
  private final RegistrationRoutes registrations;
  private final CustomerSubscriptionRoutes customerSubscriptions;
  private final ActivationKeys activationKeys;
  private final MultiTenancyApprovals approvals;
  private final MultiTenancyRoutes multiTenancy;
  private final CatalogueRoutes catalogue;

  /**
   * @param activationIssuer the {@code iss} of activation keys (the cloud's home tenant issuer)
   * @param partnerCenter    Partner Center's subscription look-up, or {@code null} for {@link #NOT_WIRED}
   */
  public AzureStackProvider(Arm arm, ProviderRegistrations providers, Directory directory, RoleAssignments roles,
      TokenIssuer tokens, Supplier<String> activationIssuer, CspSubscriptions partnerCenter) {
    this.store = new RegistrationStore(arm.jdbi(), arm.clock(), roles);
    AzureStackApi.catalogue(arm);
    arm.resources().addDeleteListener(store);
    this.reads = new RegistrationReads(arm, store);
    this.registrationWrites = new RegistrationWrites(arm, store, providers, directory, roles);
    this.customerSubscriptionWrites = new CustomerSubscriptionWrites(arm, store,
        partnerCenter == null ? NOT_WIRED : partnerCenter);
    this.registrations = new RegistrationRoutes(arm, reads, registrationWrites);
    this.customerSubscriptions = new CustomerSubscriptionRoutes(arm, reads, customerSubscriptionWrites);
    this.activationKeys = new ActivationKeys(arm, tokens, activationIssuer, directory);
    this.approvals = new MultiTenancyApprovals(arm);
    this.multiTenancy = new MultiTenancyRoutes(approvals);
    this.catalogue = new CatalogueRoutes(arm);
  }

  /** Adds the provider's routes to the cloud ARM endpoint. */
  public void register(Router router) {
    catalogue.register(router);
    registrations.register(router);
    activationKeys.register(router);
    multiTenancy.register(router);
    customerSubscriptions.register(router);
  }

  /** Registrations and their customer subscriptions as a signed-in caller may read them (the console's way in). */
  public RegistrationReads reads() {
    return reads;
  }

  /** Registrations as a signed-in caller may create, change and delete them (the console's way in). */
  public RegistrationWrites registrationWrites() {
    return registrationWrites;
  }

  /**
   * Customer subscriptions as a signed-in caller may map and unmap them on a registration: the
   * partner's seed operation, for the console as for the API.
   */
  public CustomerSubscriptionWrites customerSubscriptionWrites() {
    return customerSubscriptionWrites;
  }

  /** The operator's multi-tenancy approval of a registration, as a signed-in caller may decide it. */
  public MultiTenancyApprovals multiTenancyApprovals() {
    return approvals;
  }

  /** Registrations' CloudId bindings and the mapping history, with the billing query. */
  public RegistrationStore store() {
    return store;
  }
}
