package org.stackledger.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tool builder learns from the description which refusals to handle. The suite only sees the
 * answers its tests provoke, so the refusals every caller can meet are held to here for every
 * operation: a route that needs a caller lists 401, an operator's route 403, a route that takes an
 * api-version 400 (missing or unsupported version).
 */
class DocumentedRefusalsTest {
  private static final ApiDescription DESCRIPTION = ApiDescription.bundled();

  @Test
  void everyOperationListsTheRefusalsItsAccessAndApiVersionImply() {
    List<String> missing = new ArrayList<>();
    for (ApiOperation op : DESCRIPTION.operations()) {
      List<String> statuses = op.statuses();
      String where = op.operationId() + " (" + op.file() + ")";
      if (op.access() != ApiOperation.Access.ANONYMOUS && !statuses.contains("401")) {
        missing.add(where + " needs a caller but lists no 401");
      }
      if (op.access() == ApiOperation.Access.OPERATOR && !statuses.contains("403")) {
        missing.add(where + " is the operator's but lists no 403");
      }
      if (!op.apiVersions().isEmpty() && !statuses.contains("400")) {
        missing.add(where + " takes an api-version but lists no 400");
      }
    }
    assertThat(missing).isEmpty();
  }
}
