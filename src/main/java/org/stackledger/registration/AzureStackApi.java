package org.stackledger.registration;

import java.util.List;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.Exchange;

/** The namespace, types, api-versions, route templates and RBAC actions of {@code Microsoft.AzureStack}. */
final class AzureStackApi {
  static final String NAMESPACE = "Microsoft.AzureStack";
  static final String REGISTRATIONS = NAMESPACE + "/registrations";
  static final String CUSTOMER_SUBSCRIPTIONS = REGISTRATIONS + "/customerSubscriptions";
  /** The same operations in each: the 2017–2019 tools use only 2017-06-01. */
  private static final String[] VERSIONS = {"2017-06-01", "2020-06-01-preview", "2022-06-01"};
  static final ApiVersions REGISTRATION_VERSIONS = ApiVersions.of(REGISTRATIONS, VERSIONS);
  static final ApiVersions CUSTOMER_SUBSCRIPTION_VERSIONS = ApiVersions.of(CUSTOMER_SUBSCRIPTIONS, VERSIONS);
  static final ApiVersions PRODUCT_VERSIONS = ApiVersions.of(REGISTRATIONS + "/products", VERSIONS);
  static final ApiVersions OPERATION_VERSIONS = ApiVersions.of(NAMESPACE + "/operations", VERSIONS);

  static final String RG = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/" + NAMESPACE;
  static final String ITEM = RG + "/registrations/{registrationName}";
  static final String CUSTOMER_SUBSCRIPTION = ITEM + "/customerSubscriptions/{customerSubscriptionName}";

  static final String READ = REGISTRATIONS + "/read";
  static final String WRITE = REGISTRATIONS + "/write";
  static final String DELETE = REGISTRATIONS + "/delete";
  static final String GET_ACTIVATION_KEY = REGISTRATIONS + "/getActivationKey/action";
  static final String PRODUCTS_READ = REGISTRATIONS + "/products/read";
  static final String CS_READ = CUSTOMER_SUBSCRIPTIONS + "/read";
  static final String CS_WRITE = CUSTOMER_SUBSCRIPTIONS + "/write";
  static final String CS_DELETE = CUSTOMER_SUBSCRIPTIONS + "/delete";
  /** Ours, held only at the root scope (the operator): Microsoft's approval of a registration for multi-tenancy. */
  static final String APPROVE = REGISTRATIONS + "/approveMultiTenancy/action";
  static final String REVOKE = REGISTRATIONS + "/revokeMultiTenancy/action";

  /** One operation of the provider as its operations list shows it. */
  record Operation(String name, String resource, String operation, String description) {}

  /** The published operations, i.e. the RBAC actions (spec §2.3), plus ours. */
  static final List<Operation> OPERATIONS = List.of(
      new Operation(READ, "Registrations", "Read registration", "Gets the properties of an Azure Stack registration."),
      new Operation(WRITE, "Registrations", "Create or update registration", "Creates or updates an Azure Stack registration."),
      new Operation(DELETE, "Registrations", "Delete registration", "Deletes an Azure Stack registration."),
      new Operation(GET_ACTIVATION_KEY, "Registrations", "Get activation key", "Gets the activation key of a registration."),
      new Operation(NAMESPACE + "/register/action", "Subscription", "Register", "Registers the subscription for the Azure Stack resource provider."),
      new Operation(PRODUCTS_READ, "Products", "Read products", "Gets the marketplace products of a registration."),
      new Operation(REGISTRATIONS + "/products/listDetails/action", "Products", "List product details", "Gets the download details of a product."),
      new Operation(CS_READ, "Customer subscriptions", "Read customer subscription", "Gets the customer subscriptions of a registration."),
      new Operation(CS_WRITE, "Customer subscriptions", "Create customer subscription", "Maps a customer tenant onto its CSP subscription."),
      new Operation(CS_DELETE, "Customer subscriptions", "Delete customer subscription", "Removes a customer subscription mapping."),
      new Operation(NAMESPACE + "/cloudmanifestfile/read", "Cloud manifest files", "Read cloud manifest file", "Gets a cloud manifest file."),
      new Operation(NAMESPACE + "/Operations/read", "Operations", "Read operations", "Lists the operations of the Azure Stack resource provider."),
      new Operation(REGISTRATIONS + "/usage/action", "Registrations", "Report usage", "Uploads a deployment's usage (the usage bridge)."),
      new Operation(APPROVE, "Registrations", "Approve multi-tenancy", "Approves a registration for multi-tenancy (operator only)."),
      new Operation(REVOKE, "Registrations", "Revoke multi-tenancy", "Revokes a registration's multi-tenancy approval (operator only)."));

  private AzureStackApi() {}

  /** The registration a request names; the names are checked (400) but the caller is not yet authorized. */
  static ResourceId registration(Exchange ex) {
    return ResourceId.resourceGroup(ex.pathParam("subscriptionId"), ex.pathParam("resourceGroupName"))
        .child(NAMESPACE, "registrations", ResourceId.checkName(ex.pathParam("registrationName"), "registrationName"));
  }

  static ResourceId customerSubscription(ResourceId registration, String name) {
    return registration.child(NAMESPACE, "customerSubscriptions", name);
  }

  /** Adds the provider's types to the catalogue, so subscriptions can register it. */
  static void catalogue(Arm arm) {
    List<String> global = List.of("global");
    arm.providers().add(NAMESPACE, "registrations", REGISTRATION_VERSIONS, global);
    arm.providers().add(NAMESPACE, "registrations/customerSubscriptions", CUSTOMER_SUBSCRIPTION_VERSIONS, global);
    arm.providers().add(NAMESPACE, "registrations/products", PRODUCT_VERSIONS, global);
    arm.providers().add(NAMESPACE, "operations", OPERATION_VERSIONS, List.of());
  }
}
