package org.stackledger.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the area documents merge into one description, and what the merge refuses. */
class ApiDescriptionTest {
  private static ObjectNode doc(String yaml) {
    return ApiDescription.parse("test.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  private static String document(String paths, String schemas) {
    return """
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths:
        %s
        components:
          schemas:
        %s
        """.formatted(paths.indent(2), schemas.indent(4));
  }

  private static String operation(String path, String method, String id, String roles) {
    return """
        %s:
          %s:
            operationId: %s
            x-stackledger-roles: [%s]
            x-stackledger-access: operator
            parameters:
              - {name: api-version, in: query, required: true, schema: {type: string, enum: ['2017-06-01']}}
            responses:
              '200': {description: ok}
        """.formatted(path, method, id, roles);
  }

  private static final String ERROR = "ErrorResponse: {type: object}";

  @Test
  void oneTemplateMayBeTwoOperationsOnTwoRoles() {
    ApiDescription d = ApiDescription.merge(Map.of(
        "a.yaml", doc(document(operation("/subscriptions/{subscriptionId}", "get", "Subscriptions_Get", "cloudArm"), ERROR)),
        "b.yaml", doc(document(operation("/subscriptions/{subscriptionId}", "get", "UserSubscriptions_Get",
            "stackTenantArm"), ERROR))));

    assertThat(d.operation("cloudArm", "GET", "/subscriptions/{subscriptionId}")).get()
        .extracting(ApiOperation::operationId).isEqualTo("Subscriptions_Get");
    assertThat(d.operation("stackTenantArm", "get", "/subscriptions/{subscriptionId}")).get()
        .extracting(ApiOperation::operationId).isEqualTo("UserSubscriptions_Get");
    assertThat(d.forRole("stackTenantArm", "https://x/").at("/paths/~1subscriptions~1{subscriptionId}/get/operationId")
        .asText()).isEqualTo("UserSubscriptions_Get");
  }

  @Test
  void anOperationCarriesItsApiVersionsAccessClassAndStatuses() {
    ApiDescription d = ApiDescription.merge(Map.of("a.yaml", doc(document(operation("/x", "put", "X_Create",
        "cloudArm, stackAdminArm"), ERROR))));

    ApiOperation op = d.operation("stackAdminArm", "PUT", "/x").orElseThrow();
    assertThat(op.apiVersions()).containsExactly("2017-06-01");
    assertThat(op.access()).isEqualTo(ApiOperation.Access.OPERATOR);
    assertThat(op.statuses()).containsExactly("200");
    assertThat(op.roles()).containsExactly("cloudArm", "stackAdminArm");
  }

  @Test
  void theRouterReadsEachRoutesOperationFromTheCatalogueOfItsRole() {
    ApiDescription d = ApiDescription.merge(Map.of("a.yaml", doc(document(operation("/x", "put", "X_Create",
        "stackAdminArm"), ERROR))));
    org.stackledger.http.Router router = new org.stackledger.http.Router()
        .put("/x", ex -> org.stackledger.http.Reply.empty(200))
        .get("/y", ex -> org.stackledger.http.Reply.empty(200));

    router.catalogue(d.catalogue("stackAdminArm"));

    assertThat(router.describe()).extracting(r -> r.operation().map(org.stackledger.http.Router.Operation::operationId)
        .orElse("undescribed")).containsExactly("X_Create", "undescribed");
    assertThat(router.describe().get(0).operation().orElseThrow().apiVersions()).containsExactly("2017-06-01");
    assertThat(router.describe().get(0).operation().orElseThrow().access()).isEqualTo("operator");
    router.catalogue(d.catalogue("cloudArm"));
    assertThat(router.describe().get(0).operation()).isEmpty();
  }

  @Test
  void twoOperationsOfOneRoleOnOneRouteAreRefused() {
    assertThatThrownBy(() -> ApiDescription.merge(Map.of(
        "a.yaml", doc(document(operation("/x", "get", "A_Get", "cloudArm"), ERROR)),
        "b.yaml", doc(document(operation("/x", "get", "B_Get", "cloudArm, identity"), ERROR)))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("b.yaml").hasMessageContaining("A_Get");
  }

  @Test
  void anOperationIdUsedTwiceIsRefused() {
    assertThatThrownBy(() -> ApiDescription.merge(Map.of(
        "a.yaml", doc(document(operation("/x", "get", "X_Get", "cloudArm"), ERROR)),
        "b.yaml", doc(document(operation("/y", "get", "X_Get", "cloudArm"), ERROR)))))
        .hasMessageContaining("operationId X_Get");
  }

  @Test
  void twoDifferentDefinitionsOfOneComponentAreRefusedAndEqualOnesMerge() {
    ApiDescription.merge(Map.of(
        "a.yaml", doc(document(operation("/x", "get", "X_Get", "cloudArm"), ERROR)),
        "b.yaml", doc(document(operation("/y", "get", "Y_Get", "cloudArm"), ERROR))));

    assertThatThrownBy(() -> ApiDescription.merge(Map.of(
        "a.yaml", doc(document(operation("/x", "get", "X_Get", "cloudArm"), ERROR)),
        "b.yaml", doc(document(operation("/y", "get", "Y_Get", "cloudArm"), "ErrorResponse: {type: string}")))))
        .hasMessageContaining("b.yaml: components/schemas/ErrorResponse differs from its definition in a.yaml");
  }

  @Test
  void anOperationWithoutRolesOrWithAnUnknownAccessClassIsRefused() {
    assertThatThrownBy(() -> ApiDescription.merge(Map.of("a.yaml", doc(document(
        operation("/x", "get", "X_Get", "cloudArm").replace("x-stackledger-roles: [cloudArm]", "x-stackledger-roles: []"),
        ERROR))))).hasMessageContaining("x-stackledger-roles");
    assertThatThrownBy(() -> ApiDescription.merge(Map.of("a.yaml", doc(document(
        operation("/x", "get", "X_Get", "cloudArm").replace("access: operator", "access: everyone"), ERROR)))))
        .hasMessageContaining("x-stackledger-access");
  }

  @Test
  void theBundledDescriptionLoadsFromTheClassPath() {
    ApiDescription d = ApiDescription.bundled();

    assertThat(d.operation("identity", "GET", "/healthz")).isPresent();
    assertThat(d.operations()).extracting(ApiOperation::file).contains("metadata.yaml");
  }
}
