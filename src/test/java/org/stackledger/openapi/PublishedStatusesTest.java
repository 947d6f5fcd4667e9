package org.stackledger.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The typed-SDK view: an SDK generated from Microsoft's published spec accepts exactly the success
 * statuses the spec lists and throws on any other. For every operation our description marks as
 * Microsoft's ({@code x-ms-published}), the 2xx statuses it lists must be exactly those in
 * {@code published-statuses.txt}, a checked-in copy of just those facts.
 */
class PublishedStatusesTest {
  private static final ApiDescription DESCRIPTION = ApiDescription.bundled();
  private static final Facts FACTS = Facts.read();

  /** Published success statuses by {@code <spec path>#<operationId>}, and the operations not yet read. */
  record Facts(Map<String, Set<String>> statuses, Set<String> unchecked) {
    static Facts read() {
      Map<String, Set<String>> statuses = new LinkedHashMap<>();
      Set<String> unchecked = new LinkedHashSet<>();
      try (InputStream in = PublishedStatusesTest.class.getResourceAsStream("/published-statuses.txt")) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          String[] words = line.strip().split("\\s+");
          if (words[0].isEmpty() || words[0].startsWith("#")) {
            continue;
          }
          if (words[0].equals("unchecked")) {
            unchecked.add(words[1]);
          } else {
            statuses.put(words[0], new TreeSet<>(List.of(words).subList(1, words.length)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Facts(statuses, unchecked);
    }
  }

  static Stream<Arguments> checkedOperations() {
    return DESCRIPTION.operations().stream().filter(op -> op.published().isPresent())
        .filter(op -> FACTS.statuses().containsKey(op.published().get()))
        .map(op -> Arguments.of(op.operationId(), op));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checkedOperations")
  void theSuccessStatusesWeDocumentAreExactlyThePublishedOnes(String operationId, ApiOperation op) {
    Set<String> ours = new TreeSet<>();
    op.statuses().stream().filter(s -> s.startsWith("2")).forEach(ours::add);

    assertThat(ours).as("%s (%s) against %s", operationId, op.file(), op.published().get())
        .isEqualTo(FACTS.statuses().get(op.published().get()));
  }

  @Test
  void everyOperationMarkedAsMicrosoftsIsCheckedOrListedAsNotYetRead() {
    Set<String> missing = new TreeSet<>();
    for (ApiOperation op : DESCRIPTION.operations()) {
      op.published().filter(p -> !FACTS.statuses().containsKey(p) && !FACTS.unchecked().contains(p)).ifPresent(missing::add);
    }
    assertThat(missing).as("x-ms-published operations missing from published-statuses.txt").isEmpty();
  }

  @Test
  void everyFactNamesAnOperationWeDocument() {
    Set<String> published = new TreeSet<>();
    DESCRIPTION.operations().forEach(op -> op.published().ifPresent(published::add));

    assertThat(FACTS.statuses().keySet()).isSubsetOf(published);
    assertThat(FACTS.unchecked()).isSubsetOf(published);
  }

  @Test
  void theSeedOperationCustomerSubscriptionsCreateListsOnly200() {
    ApiOperation create = DESCRIPTION.operations().stream()
        .filter(op -> op.operationId().equals("CustomerSubscriptions_Create")).findFirst().orElseThrow();

    assertThat(create.statuses()).filteredOn(s -> s.startsWith("2")).containsExactly("200");
  }
}
