package org.stackledger.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.stackledger.http.ExchangeObserver;
import org.stackledger.http.Json;
import org.stackledger.openapi.ApiDescription;
import org.stackledger.openapi.ApiOperation;

/**
 * Checks each response the suite's servers send against the API description: the route must be
 * documented for its endpoint role (or be on the allowlist of routes not yet documented), the status
 * must be one its operation lists, and a JSON body must match the schema of that status. Violations
 * are collected here and {@link ContractExtension} fails the test during which they happened.
 *
 * <p>The validator sees each operation under a path of its own (its {@code operationId}, see {@link #path}),
 * so it never has to guess which of two templates matching one path the router chose: the router has
 * told us.
 */
public final class ContractCheck implements ExchangeObserver {
  /** The suite's one check, shared by every server the fixtures start. */
  public static final ContractCheck SUITE = new ContractCheck(ApiDescription.bundled(), Allowlist.bundled());

  private final ApiDescription description;
  private final Allowlist allowlist;
  private final OpenApiInteractionValidator validator;
  private final List<String> violations = new ArrayList<>();

  public ContractCheck(ApiDescription description, Allowlist allowlist) {
    this.description = description;
    this.allowlist = allowlist;
    this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(Json.text(byOperation(description)))
        .withLevelResolver(LevelResolver.create()
            // Requests are not checked: tests send bad ones on purpose, and the answer is what is checked.
            .withLevel("validation.request", ValidationReport.Level.IGNORE)
            // The validator closes every object schema by default; the description's objects are open
            // (OpenAPI's default): a schema lists what the server always or may send, and clients ignore the rest.
            .withLevel("validation.response.body.schema.additionalProperties", ValidationReport.Level.IGNORE)
            .build())
        .build();
  }

  /** The description with each operation under a path of its own; requests are not checked, so their parameters and bodies go. */
  private static ObjectNode byOperation(ApiDescription description) {
    ObjectNode doc = description.forRole("cloudArm", "https://localhost/");
    ObjectNode paths = doc.putObject("paths");
    for (ApiOperation op : description.operations()) {
      ObjectNode node = op.node().deepCopy();
      node.remove("parameters");
      node.remove("requestBody");
      paths.putObject(path(op)).set(op.method().toLowerCase(Locale.ROOT), node);
    }
    return doc;
  }

  /**
   * The operation's own path: its id, then {@code /_} repeated 0 to {@value #LENGTHS}-1 times. The
   * validator finds a path by trying every path with as many segments as the one asked for, compiling
   * a pattern for each segment it compares; spread over {@value #LENGTHS} lengths and told apart at
   * the first segment, a look-up tries a few dozen candidates instead of every operation (it was half
   * of the check's time).
   */
  private static String path(ApiOperation op) {
    return "/" + op.operationId() + "/_".repeat(Math.floorMod(op.operationId().hashCode(), LENGTHS));
  }

  private static final int LENGTHS = 24;

  /**
   * The suite's check for servers that code under test starts inside this JVM without
   * {@link TestServer} ({@code demo}, {@code simulate} and other CLI verbs run in-process): surefire
   * names this class in {@link org.stackledger.app.Stackledger#TEST_OBSERVER_PROPERTY}, so every
   * server of the test JVM reports to {@link #SUITE}.
   */
  public static final class InThisJvm implements ExchangeObserver {
    @Override
    public void observed(Observed exchange) {
      SUITE.observed(exchange);
    }
  }

  @Override
  public void observed(Observed exchange) {
    try {
      check(exchange);
    } catch (RuntimeException e) {
      // The observer runs on the server's request thread: a failure here is the check's, reported, never the answer's.
      record(exchange.site() + " " + exchange.method() + " " + exchange.path() + ": the contract check failed: " + e);
    }
  }

  private void check(Observed exchange) {
    if (exchange.template() == null) {
      return; // no route answered (404/405 from the router, 503 while starting): nothing to hold it to
    }
    if (exchange.site().equals("console")) {
      return; // the console serves HTML pages, not an API: the description has nothing to hold them to
    }
    Optional<ApiOperation> operation = description.operation(exchange.site(), exchange.method(), exchange.template());
    String method = exchange.method();
    if (operation.isEmpty() && method.equals("HEAD")) {
      // HEAD is answered by the GET route, without a body.
      operation = description.operation(exchange.site(), "GET", exchange.template());
    }
    String where = exchange.site() + " " + method + " " + exchange.path() + " (route " + exchange.template() + ") → "
        + exchange.status();
    if (operation.isEmpty()) {
      if (!allowlist.allows(exchange.method(), exchange.template())) {
        record(where + ": undocumented route — no operation of " + exchange.site() + " has this method and template");
      }
      return;
    }
    ApiOperation op = operation.get();
    SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.status());
    exchange.responseHeaders().forEach(response::withHeader);
    if (exchange.contentType() != null) {
      response.withContentType(exchange.contentType());
    }
    if (exchange.body() != null && !method.equals("HEAD")) {
      response.withBody(exchange.body());
    }
    ValidationReport report = validator.validateResponse(path(op), Request.Method.valueOf(
        method.equals("HEAD") ? op.method() : method), response.build());
    Set<String> problems = new LinkedHashSet<>();
    for (ValidationReport.Message m : report.getMessages()) {
      boolean headWithoutBody = method.equals("HEAD") && m.getKey().equals("validation.response.body.missing");
      if (m.getLevel() == ValidationReport.Level.ERROR && !headWithoutBody) {
        problems.add(m.getKey() + ": " + m.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      record(where + " breaks " + op.operationId() + " (" + op.file() + "): " + String.join("; ", problems)
          + (exchange.body() == null ? "" : "\n    body: " + abbreviated(exchange.body())));
    }
  }

  private static String abbreviated(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    return text.length() > 600 ? text.substring(0, 600) + "…" : text;
  }

  private synchronized void record(String violation) {
    violations.add(violation);
  }

  /** The violations since the last call, which are then forgotten. */
  public synchronized List<String> drain() {
    List<String> out = List.copyOf(violations);
    violations.clear();
    return out;
  }

  /**
   * Routes not documented yet, one {@code METHOD template} a line ({@code openapi-undocumented.txt}
   * in the test resources): their responses are not checked. It only shrinks: an entry whose route is
   * documented fails {@code RouteCoverageTest}.
   */
  public record Allowlist(Set<String> entries) {
    public static Allowlist bundled() {
      try (InputStream in = ContractCheck.class.getResourceAsStream("/openapi-undocumented.txt")) {
        Set<String> entries = new LinkedHashSet<>();
        if (in != null) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String entry = line.strip();
            if (!entry.isEmpty() && !entry.startsWith("#")) {
              entries.add(entry);
            }
          }
        }
        return new Allowlist(Set.copyOf(entries));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public boolean allows(String method, String template) {
      return entries.contains(method + " " + template);
    }
  }
}
