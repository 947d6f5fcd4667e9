package org.stackledger.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** Paths, api-versions and checks the ARM tests share. */
public final class ArmCalls {
  /** A Microsoft.Resources api-version (resource groups, generic lists, providers). */
  public static final String RESOURCES = "api-version=2025-04-01";
  /** A subscriptions api-version. */
  public static final String SUBSCRIPTIONS = "api-version=2022-12-01";
  /** A Microsoft.Authorization/locks api-version. */
  public static final String LOCKS = "api-version=2016-09-01";

  private ArmCalls() {}

  public static String group(String subscription, String name) {
    return "/subscriptions/" + subscription + "/resourcegroups/" + name;
  }

  public static String groupUrl(String subscription, String name) {
    return group(subscription, name) + "?" + RESOURCES;
  }

  /** A lock under a scope path such as {@code /subscriptions/{id}} or a group's path. */
  public static String lockUrl(String scope, String name) {
    return scope + "/providers/Microsoft.Authorization/locks/" + name + "?" + LOCKS;
  }

  /**
   * Asserts an ARM error answer: the status, the envelope {@code {"error":{"code","message"}}} with the
   * code, the same code in {@code x-ms-error-code}, and a request id.
   */
  public static TestClient.Response assertError(TestClient.Response response, int status, String code) {
    assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
    assertThat(response.header("content-type")).startsWith("application/json");
    assertThat(response.json()).as("error body").isNotNull();
    assertThat(response.json().path("error").path("code").isTextual()).as("error.code of %s", response.body()).isTrue();
    assertThat(response.errorCode()).isEqualTo(code);
    assertThat(response.json().path("error").path("message").asText()).isNotBlank();
    assertThat(response.header("x-ms-error-code")).isEqualTo(code);
    assertThat(response.header("x-ms-request-id")).isNotBlank();
    return response;
  }
}
