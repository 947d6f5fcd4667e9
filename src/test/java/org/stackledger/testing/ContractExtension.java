package org.stackledger.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test during which a server answered against the API description (see
 * {@link ContractCheck}), in this JVM or in a server process the test started with
 * {@link ChildProcessContract#jvmOptions()}; what happened in {@code @BeforeAll} or {@code @AfterAll}
 * fails the class.
 * Registered for every test by {@code META-INF/services} and JUnit's extension autodetection.
 */
public final class ContractExtension implements AfterEachCallback, AfterAllCallback {
  @Override
  public void afterEach(ExtensionContext context) {
    failOnViolations();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    failOnViolations();
  }

  private static void failOnViolations() {
    var violations = new java.util.ArrayList<>(ContractCheck.SUITE.drain());
    violations.addAll(ChildProcessContract.drain());
    if (!violations.isEmpty()) {
      throw new AssertionError(violations.size() + " response(s) broke the API description "
          + "(src/main/resources/openapi):\n  " + String.join("\n  ", violations));
    }
  }
}
