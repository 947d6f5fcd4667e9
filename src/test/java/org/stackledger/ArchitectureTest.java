package org.stackledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rules that keep features and plumbing apart, checked on the sources: a feature refuses
 * with a {@code problem.Problem} and only the HTTP edge decides statuses; plumbing never imports a
 * feature.
 */
class ArchitectureTest {
  private static final Path SOURCES = Path.of("src/main/java/org/stackledger");
  /** Packages every feature may use and which use no feature. */
  private static final Set<String> PLUMBING = Set.of("http", "store", "problem", "logging");
  /** The error envelopes: each renders an {@code http.ApiException} in its endpoint role's shape. */
  private static final Set<String> ENVELOPES = Set.of("arm/ArmErrors.java", "directory/OAuthErrors.java",
      "partnercenter/PartnerCenterErrors.java", "console/ConsoleErrors.java");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.stackledger\\.([a-z]+)\\.",
      Pattern.MULTILINE);

  @Test
  void onlyTheHttpEdgeTurnsARefusalIntoAStatus() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path file : sources()) {
      String relative = SOURCES.relativize(file).toString().replace('\\', '/');
      String pkg = relative.contains("/") ? relative.substring(0, relative.indexOf('/')) : "";
      if (pkg.equals("http") || pkg.equals("cli") || ENVELOPES.contains(relative)) {
        continue;
      }
      if (Files.readString(file).matches("(?s).*\\bApiException\\b.*")) {
        offenders.add(relative);
      }
    }
    assertThat(offenders).as("features throw problem.Problem; only http maps it to a status").isEmpty();
  }

  @Test
  void plumbingImportsNoFeature() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path file : sources()) {
      String relative = SOURCES.relativize(file).toString().replace('\\', '/');
      String pkg = relative.contains("/") ? relative.substring(0, relative.indexOf('/')) : "";
      if (!PLUMBING.contains(pkg)) {
        continue;
      }
      Matcher m = IMPORT.matcher(Files.readString(file));
      while (m.find()) {
        if (!PLUMBING.contains(m.group(1))) {
          offenders.add(relative + " imports " + m.group(1));
        }
      }
    }
    assertThat(offenders).isEmpty();
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
  }
}
