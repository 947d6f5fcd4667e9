package org.stackledger.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's "Driving a CSP world over HTTP" table sends readers to operations of the API
 * description by id; an id renamed or dropped there must not leave the manual pointing at nothing.
 */
class ReadmeRouteIndexTest {
  private static final Pattern OPERATION_ID = Pattern.compile("`([A-Z][A-Za-z]+_[A-Z][A-Za-z0-9]+)`");

  @Test
  void everyOperationIdTheReadmeIndexNamesIsDocumented() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("### Driving a CSP world over HTTP");
    assertThat(start).as("the README's index of calls").isNotNegative();
    int end = readme.indexOf("\n### ", start + 1);
    String index = readme.substring(start, end < 0 ? readme.length() : end);

    Set<String> named = new TreeSet<>();
    Matcher m = OPERATION_ID.matcher(index);
    while (m.find()) {
      named.add(m.group(1));
    }
    Set<String> documented = ApiDescription.bundled().operations().stream().map(ApiOperation::operationId)
        .collect(Collectors.toSet());

    assertThat(named).as("operation ids the index names").isNotEmpty();
    assertThat(documented).as("operation ids of src/main/resources/openapi").containsAll(named);
  }
}
