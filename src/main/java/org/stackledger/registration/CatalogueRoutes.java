package org.stackledger.registration;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * {@code GET /providers/Microsoft.AzureStack/operations} (any signed-in caller, as in Resource
 * Manager: it names actions, nothing of anyone's resources) and the marketplace products of a
 * registration, which answer an empty list until syndication exists.
 */
final class CatalogueRoutes {
  private final Arm arm;

  CatalogueRoutes(Arm arm) {
    this.arm = arm;
  }

  void register(Router router) {
    router.get("/providers/" + AzureStackApi.NAMESPACE + "/operations", this::operations);
    router.get(AzureStackApi.ITEM + "/products", this::products);
    router.get(AzureStackApi.ITEM + "/products/{productName}", this::product);
  }

  private Reply operations(Exchange ex) {
    AzureStackApi.OPERATION_VERSIONS.require(ex);
    ObjectNode out = Json.object();
    ArrayNode value = out.putArray("value");
    for (AzureStackApi.Operation op : AzureStackApi.OPERATIONS) {
      ObjectNode o = value.addObject();
      o.put("name", op.name());
      o.putObject("display").put("provider", "Microsoft Azure Stack").put("resource", op.resource())
          .put("operation", op.operation()).put("description", op.description());
      o.put("origin", "user,system");
    }
    return Reply.json(200, out);
  }

  private ResourceId registration(Exchange ex) {
    AzureStackApi.PRODUCT_VERSIONS.require(ex);
    ResourceId id = AzureStackApi.registration(ex);
    arm.authorize(ex, id, AzureStackApi.PRODUCTS_READ);
    RegistrationRoutes.existing(arm, id);
    return id;
  }

  private Reply products(Exchange ex) {
    registration(ex);
    ObjectNode out = Json.object();
    out.putArray("value");
    return Reply.json(200, out);
  }

  private Reply product(Exchange ex) {
    ResourceId id = registration(ex);
    throw Problem.notFound("ProductNotFound", "The product '" + ex.pathParam("productName")
        + "' was not found for registration '" + id.name() + "'.");
  }
}
