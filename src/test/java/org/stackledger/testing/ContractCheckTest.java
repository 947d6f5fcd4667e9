package org.stackledger.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.stackledger.http.ExchangeObserver.Observed;
import org.stackledger.openapi.ApiDescription;

/** What the suite's contract check lets through and what it reports, on the bundled description. */
class ContractCheckTest {
  private final ContractCheck check = new ContractCheck(ApiDescription.bundled(),
      new ContractCheck.Allowlist(Set.of("GET /not/yet/documented")));

  private static Observed answer(String site, String method, String template, int status, String json) {
    return new Observed(site, method, template, template, "", Map.of(), status, Map.of(),
        json == null ? null : "application/json; charset=utf-8", json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anAnswerTheDescriptionAllowsIsNoViolation() {
    check.observed(answer("stackAdminArm", "GET", "/healthz", 200, "{\"status\":\"Healthy\",\"store\":\"H2\"}"));

    assertThat(check.drain()).isEmpty();
  }

  @Test
  void aStatusTheOperationDoesNotListIsAViolationNamingTheOperation() {
    check.observed(answer("cloudArm", "GET", "/healthz", 201, "{\"status\":\"Healthy\"}"));

    assertThat(check.drain()).singleElement().asString().contains("Health_Get").contains("201")
        .contains("metadata.yaml");
  }

  @Test
  void aBodyThatBreaksItsSchemaIsAViolation() {
    check.observed(answer("cloudArm", "GET", "/healthz", 200, "{\"status\":\"Fine\"}"));

    assertThat(check.drain()).singleElement().asString().contains("Health_Get").contains("Fine");
  }

  @Test
  void anUndocumentedRouteIsAViolationUnlessAllowlisted() {
    check.observed(answer("cloudArm", "GET", "/not/documented", 200, "{}"));
    check.observed(answer("cloudArm", "GET", "/not/yet/documented", 200, "{}"));

    assertThat(check.drain()).singleElement().asString().contains("undocumented route").contains("/not/documented");
  }

  @Test
  void aRouteDocumentedOnAnotherRoleOnlyIsUndocumentedOnThisOne() {
    check.observed(answer("identity", "GET", "/metadata/endpoints", 200, "{}"));

    assertThat(check.drain()).singleElement().asString().contains("undocumented route");
  }

  @Test
  void aRequestNoRouteAnsweredIsNotHeldToTheDescription() {
    check.observed(answer("cloudArm", "GET", null, 404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"x\"}}"));

    assertThat(check.drain()).isEmpty();
  }

  @Test
  void theSuiteRunsTheCheckAfterEveryTest() throws Exception {
    var extensions = java.util.ServiceLoader.load(org.junit.jupiter.api.extension.Extension.class).stream()
        .map(java.util.ServiceLoader.Provider::type).toList();
    var platform = new java.util.Properties();
    try (var in = ContractCheckTest.class.getResourceAsStream("/junit-platform.properties")) {
      platform.load(in);
    }

    assertThat(extensions).contains(ContractExtension.class);
    assertThat(platform.getProperty("junit.jupiter.extensions.autodetection.enabled")).isEqualTo("true");
  }

  @Test
  void headIsHeldToTheGetOperationWithoutItsBody() {
    check.observed(new Observed("cloudArm", "HEAD", "/healthz", "/healthz", "", Map.of(), 200, Map.of(),
        "application/json; charset=utf-8", null));

    assertThat(check.drain()).isEmpty();
  }
}
