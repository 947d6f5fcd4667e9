package org.stackledger.registration;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmResource;
import org.stackledger.arm.Paging;
import org.stackledger.arm.ResourceId;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * Registrations and their customer subscriptions as a caller may read them. The ARM routes and the
 * console read through here with the signed-in {@link Caller}: a registration in a subscription the
 * caller cannot see is 404 {@code SubscriptionNotFound}, as if it did not exist; one it sees without
 * the read permission 403 {@code AuthorizationFailed}.
 *
 * <p>The customer subscriptions of a registration are read in two steps: {@link #customerSubscriptions}
 * checks the caller and answers a {@link Mappings}, which only this class makes, and its methods read.
 * A route asks for it before it reads the rest of the request (a page cursor, a filter), so a stranger
 * learns "not found" before anything about its parameters.
 */
public final class RegistrationReads {
  private final Arm arm;
  private final AccessControl access;
  private final RegistrationStore store;

  RegistrationReads(Arm arm, RegistrationStore store) {
    this.arm = arm;
    this.access = AccessControl.of(arm);
    this.store = store;
  }

  /** The registration; 404 {@code ResourceNotFound} when the caller may read it but it does not exist. */
  public ArmResource registration(Caller caller, ResourceId registration) {
    access.require(caller, registration, AzureStackApi.READ);
    return RegistrationRoutes.existing(arm, registration);
  }

  /** The caller's right to list the registrations of a subscription. */
  public Listing inSubscription(Caller caller, String subscriptionId) {
    String subscription = access.require(caller, ResourceId.subscription(subscriptionId), AzureStackApi.READ)
        .subscriptionId();
    return new Listing(cursor -> store.registrationsIn(subscription, cursor.afterKey().orElse(""), cursor.limit() + 1)
        .stream().flatMap(id -> arm.resources().get(subscription, id).stream()).toList());
  }

  /** The caller's right to list the registrations of a resource group; 404 {@code ResourceGroupNotFound}. */
  public Listing inResourceGroup(Caller caller, ResourceId group) {
    access.require(caller, group, AzureStackApi.READ);
    if (arm.resources().get(group.subscriptionId(), group).isEmpty()) {
      throw Problem.notFound("ResourceGroupNotFound", "Resource group '" + group.name() + "' could not be found.");
    }
    return new Listing(cursor -> arm.resources().list(group.subscriptionId(), group, AzureStackApi.REGISTRATIONS,
        cursor));
  }

  /** Registrations a caller was allowed to list, a page at a time; only {@link RegistrationReads} makes one. */
  public static final class Listing {
    private final Function<Paging.Cursor, List<ArmResource>> reader;

    private Listing(Function<Paging.Cursor, List<ArmResource>> reader) {
      this.reader = reader;
    }

    /** A page of registrations in id order, one more than the cursor's limit when there are more. */
    public List<ArmResource> page(Paging.Cursor cursor) {
      return reader.apply(cursor);
    }
  }

  /**
   * The caller's right to read the customer subscriptions of a registration, and that registration;
   * 404 {@code RegistrationNotFound} when it does not exist.
   */
  public Mappings customerSubscriptions(Caller caller, ResourceId registration) {
    access.require(caller, registration, AzureStackApi.CS_READ);
    return new Mappings(arm.resources().get(registration.subscriptionId(), registration).orElseThrow(
        () -> TenantErrors.registrationNotFound(registration.subscriptionId(), registration.resourceGroup().orElse(""),
            registration.name())));
  }

  /** The customer subscriptions of one registration, which a caller was allowed to read. */
  public final class Mappings {
    private final ArmResource registration;

    private Mappings(ArmResource registration) {
      this.registration = registration;
    }

    public ArmResource registration() {
      return registration;
    }

    /** One customer subscription by its name (the CSP subscription id); 404 {@code CustomerSubscriptionNotFound}. */
    public ArmResource get(String customerSubscriptionName) {
      ResourceId id = AzureStackApi.customerSubscription(registration.id(),
          ResourceId.checkName(customerSubscriptionName, "customerSubscriptionName"));
      return arm.resources().get(id.subscriptionId(), id).orElseThrow(
          () -> TenantErrors.customerSubscriptionNotFound(id.name(), registration.id().name()));
    }

    /** A page of the registration's customer subscriptions, one more than the cursor's limit when there are more. */
    public List<ArmResource> list(Paging.Cursor cursor) {
      return arm.resources().list(registration.id().subscriptionId(), registration.id(),
          AzureStackApi.CUSTOMER_SUBSCRIPTIONS, cursor);
    }

    /** Every mapping the registration held, oldest first, of one tenant and in force at an instant when given. */
    public List<RegistrationStore.Mapping> history(Optional<String> tenantId, Optional<Instant> inForceAt) {
      return store.history(registration.id(), tenantId, inForceAt);
    }
  }
}
